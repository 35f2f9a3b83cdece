import { setUpAccount } from '@mctb/control';
import { Agency, createOrm } from '@mctb/db';
import { repoRoot } from '@mctb/devstack';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { SecretKeyring } from '@mctb/secrets';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What `npm start` remembers between runs (in .mctb/demo.json, git-ignored) and the simulator reads. */
export interface DemoState {
  /** The simulated Twilio account that signs the demo's webhooks. */
  twilio: { accountSid: string; authToken: string };
  /** MCTB_SECRETS_KEY of this machine's platform (id:base64key): agencies' Twilio tokens are sealed with it. */
  secretsKey?: string;
  account?: {
    agencyId: string;
    apiKey: string;
    subAccountId: string;
    subAccountName: string;
    twilioNumber: string;
    forwardingNumber: string;
  };
  urls?: { controlPlane: string; gateway: string; temporalUi: string | null };
}

export const DEMO_SUB_ACCOUNT = {
  name: 'Greenfield Plumbing',
  timeZone: 'America/Chicago',
  twilioNumber: '+15125550100',
  forwardingNumber: '+15125550199',
  incomingCallTimeout: 18,
} as const;

export async function readDemoState(file: string): Promise<DemoState | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as DemoState;
  } catch {
    return null;
  }
}

export async function writeDemoState(file: string, state: DemoState): Promise<void> {
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** A development key, kept in .mctb/demo.json so tokens sealed on earlier runs still open. */
export function newDemoSecretsKey(): string {
  return SecretKeyring.generateEntry('dev1');
}

export function newDemoTwilioAccount(): DemoState['twilio'] {
  return { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
}

/**
 * The demo agency, its API key and a sub-account running the starter snapshot, created through
 * the same use cases as the GraphQL API. Reuses what an earlier run created when it still exists.
 */
export async function ensureDemoAccount(databaseUrl: string, state: DemoState): Promise<NonNullable<DemoState['account']>> {
  const orm = await createOrm(databaseUrl);
  try {
    const em = orm.em.fork();
    if (state.account && (await em.count(Agency, { id: state.account.agencyId })) > 0) return state.account;
    const account = await setUpAccount(em, firstPartyPlugins(), {
      agencyName: 'Demo Agency',
      subAccount: { ...DEMO_SUB_ACCOUNT },
      snapshotYaml: await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8'),
      customValues: { booking_link: 'https://book.example.com/greenfield' },
    });
    return {
      agencyId: account.agencyId,
      apiKey: account.apiKey,
      subAccountId: account.subAccountId,
      subAccountName: DEMO_SUB_ACCOUNT.name,
      twilioNumber: account.twilioNumber,
      forwardingNumber: DEMO_SUB_ACCOUNT.forwardingNumber,
    };
  } finally {
    await orm.close();
  }
}
