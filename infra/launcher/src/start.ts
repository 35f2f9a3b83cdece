/**
 * `npm start`: the whole platform on this machine with a seeded demo. State (database files,
 * Temporal's SQLite file, demo credentials, the e-mails notify steps sent) lives in .mctb/ and
 * survives restarts. `npm start -- --cluster` runs it on the real Temporal server instead of the
 * dev server, with Temporal's state in the same PostgreSQL.
 */
import { isPortOpen, stateDir } from '@mctb/devstack';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDemoAccount, newDemoSecretsKey, newDemoTwilioAccount, readDemoState, writeDemoState } from './demo.js';
import { startPlatform } from './platform.js';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = {
  controlPlane: port('MCTB_CONTROL_PLANE_PORT', 4000),
  gateway: port('MCTB_GATEWAY_PORT', 4001),
  worker: port('MCTB_WORKER_PORT', 4002),
  postgres: port('MCTB_POSTGRES_PORT', 54329),
  temporal: port('MCTB_TEMPORAL_PORT', 7233),
  temporalUi: port('MCTB_TEMPORAL_UI_PORT', 8233),
  smtp: port('MCTB_SMTP_PORT', 2525),
};
const args = process.argv.slice(2);
for (const arg of args) {
  if (arg !== '--cluster') {
    console.error(`unknown option ${arg}; the one option is --cluster (the real Temporal server on PostgreSQL instead of the dev server)`);
    process.exit(2);
  }
}
const cluster = args.includes('--cluster');
const databaseUrl = process.env.DATABASE_URL;
const temporalAddress = process.env.TEMPORAL_ADDRESS;
const smtpUrl = process.env.SMTP_URL;

const wanted: [string, number][] = [
  ['MCTB_CONTROL_PLANE_PORT', ports.controlPlane],
  ['MCTB_GATEWAY_PORT', ports.gateway],
  ['MCTB_WORKER_PORT', ports.worker],
  ...(databaseUrl ? [] : ([['MCTB_POSTGRES_PORT', ports.postgres]] as [string, number][])),
  ...(temporalAddress ? [] : ([['MCTB_TEMPORAL_PORT', ports.temporal], ...(cluster ? [] : [['MCTB_TEMPORAL_UI_PORT', ports.temporalUi]])] as [string, number][])),
  ...(smtpUrl ? [] : ([['MCTB_SMTP_PORT', ports.smtp]] as [string, number][])),
];
for (const [name, value] of wanted) {
  if (await isPortOpen(value)) {
    console.error(`port ${value} is already in use (is mctb already running?); choose another with ${name}=...`);
    process.exit(1);
  }
}

const state = stateDir();
await mkdir(state, { recursive: true });
const stateFile = join(state, 'demo.json');
const demo = (await readDemoState(stateFile)) ?? { twilio: newDemoTwilioAccount() };
// MCTB_SECRETS_KEY from the environment wins; else this machine's dev key (made once, kept in demo.json).
demo.secretsKey ??= newDemoSecretsKey();
const secretsKey = process.env.MCTB_SECRETS_KEY ?? demo.secretsKey;

const colors: Record<string, string> = { gateway: '36', worker: '35', 'control-plane': '33', temporal: '34', mail: '32' };
const platform = await startPlatform({
  ...(databaseUrl ? { databaseUrl } : { embeddedPostgres: { dataDir: join(state, 'postgres'), port: ports.postgres, persistent: true } }),
  ...(temporalAddress
    ? { temporalAddress }
    : cluster
      ? { temporalCluster: { port: ports.temporal, configDir: join(state, 'temporal-cluster') } }
      : { temporalDevServer: { port: ports.temporal, uiPort: ports.temporalUi, dbFile: join(state, 'temporal.sqlite') } }),
  ports,
  ...(smtpUrl ? { smtpUrl } : { mailCapture: { port: ports.smtp, saveTo: join(state, 'mail') } }),
  twilio: demo.twilio,
  secretsKey,
  log: (message) => console.log(message),
  onLine: (source, line) => console.log(`\x1b[${colors[source] ?? '0'}m[${source}]\x1b[0m ${line}`),
});

let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log('\n› stopping mctb');
  await platform.stop();
  process.exit(code);
};
void platform.firstExit.then(({ name, code }) => {
  if (stopping) return;
  console.error(`\n${name} exited unexpectedly (code ${code}); stopping everything`);
  void shutdown(1);
});
process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

try {
  demo.account = await ensureDemoAccount(platform.databaseUrl, demo);
  demo.urls = { controlPlane: platform.controlPlaneUrl, gateway: platform.gatewayUrl, temporalUi: platform.temporalUiUrl };
  await writeDemoState(stateFile, demo);
} catch (error) {
  console.error('could not seed the demo account:', error);
  await shutdown(1);
}

const account = demo.account!;
console.log(`
\x1b[1mmctb is running\x1b[0m (Ctrl-C stops it)

  Dashboard           ${platform.controlPlaneUrl}/dashboard/  (sign in with the demo API key)
  GraphQL (GraphiQL)  ${platform.controlPlaneUrl}/graphql
  Temporal Web UI     ${platform.temporalUiUrl ?? (cluster && !temporalAddress ? `(none with --cluster: the Temporal server on PostgreSQL, frontend at ${platform.temporalAddress})` : `(external Temporal at ${platform.temporalAddress})`)}
  Twilio webhooks     ${platform.gatewayUrl}/twilio/voice/incoming
  E-mail (SMTP)       ${platform.mail ? `${platform.smtpUrl}, kept in ${join(state, 'mail')}` : 'SMTP_URL from the environment'}
  Demo API key        ${account.apiKey}
  Demo sub-account    ${account.subAccountName}: ${account.twilioNumber} rings ${account.forwardingNumber}

Place a simulated missed call (webhooks signed exactly as Twilio signs them), in another terminal:

  npm run simulate-call -- --from +15125550123

It waits for the text-back (the starter snapshot waits 60 s) and prints it.
`);
