import { setUpAccount } from '@mctb/control';
import { Call, createOrm, migrate, type Orm } from '@mctb/db';
import { eventually, freePort, repoRoot, startTemporalDevServer, type RunningTemporal } from '@mctb/devstack';
import { textBackWorkflowId, type MissedCall } from '@mctb/domain';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { silentLogger, type Logger } from '@mctb/service-kit';
import { SecretKeyring } from '@mctb/secrets';
import { CallIntake, CallSettlement, CallSweeper, DeliveryReports, PluginWebhooks, Routes, TemporalTextBack, TextIntake, WebhookSigners } from '@mctb/telephony';
import { createEmptyDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from '@mctb/testkit';
import { encodeTwilioForm, parseTwilioForm, signTwilioRequest, type TwilioParams } from '@mctb/twilio-kit';
import { Client, Connection } from '@temporalio/client';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createGatewayApp } from '../app.js';

export const PUBLIC_URL = 'https://gateway.example.test';
export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
export const ACCOUNT_SID = 'AC00000000000000000000000000000001';
export const BUSINESS_NUMBER = '+15125550100';
export const FORWARD_TO = '+15125550199';

export interface GatewayHarness {
  app: ReturnType<typeof createGatewayApp>;
  /** A direct connection for the test's own checks (the app reaches PostgreSQL through `postgresLink`). */
  orm: Orm;
  temporal: Client;
  /** Between the app and PostgreSQL / Temporal: take either away and give it back. */
  postgresLink: TcpProxy;
  temporalLink: TcpProxy;
  /** Gives the app PostgreSQL and Temporal back, and waits until its own connections work again. */
  restoreLinks(): Promise<void>;
  /** The worker's sweeper, over direct connections. */
  sweeper: CallSweeper;
  subAccountId: string;
  /** Seals the tokens of agencies' own Twilio accounts that tests store; the app opens them with it. */
  keyring: SecretKeyring;
  /**
   * POSTs a form exactly as Twilio does, signed over the public URL with the platform account's
   * token (or `authToken`), naming the platform account unless the params name another.
   */
  post(path: string, params: TwilioParams, options?: { signature?: string; authToken?: string }): Promise<Response>;
  call(callSid: string): Promise<Call | null>;
  /** The missedCall signals the text-back workflow for this caller received (empty: never started). */
  missedCallSignals(callerPhone: string): Promise<MissedCall[]>;
  stop(): Promise<void>;
}

/** The gateway app over a fresh database and a real (in-memory) Temporal dev server. */
export async function startGatewayHarness(options: { log?: Logger } = {}): Promise<GatewayHarness> {
  const database: TestDatabase = await createEmptyDatabase('gateway');
  const orm = await createOrm(database.url);
  await migrate(orm);
  const plugins = firstPartyPlugins();
  const account = await setUpAccount(orm.em.fork(), plugins, {
    agencyName: 'Acme Agency',
    subAccount: { name: 'Greenfield Plumbing', timeZone: 'America/Chicago', twilioNumber: BUSINESS_NUMBER, forwardingNumber: FORWARD_TO, incomingCallTimeout: 18 },
    snapshotYaml: await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8'),
    customValues: { booking_link: 'https://book.example/greenfield' },
  });
  const server: RunningTemporal = await startTemporalDevServer({ cli: inject('temporalCli'), port: await freePort() });
  const connection = await Connection.connect({ address: server.address });
  const temporal = new Client({ connection });

  // The app's own connections go through proxies a test can cut.
  const postgresLink = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url).port) });
  const appDbUrl = new URL(database.url);
  appDbUrl.port = String(postgresLink.port);
  const appOrm = await createOrm(appDbUrl.toString());
  const temporalLink = await startTcpProxy({ host: '127.0.0.1', port: Number(server.address.split(':')[1]) });
  const appConnection = await Connection.connect({ address: `127.0.0.1:${temporalLink.port}` });

  const deadlineMs = 1_500;
  const log = options.log ?? silentLogger;
  const textBack = new TemporalTextBack(new Client({ connection: appConnection }), { deadlineMs });
  // Tests change sub-accounts behind the gateway's back: read the routing on every call (the cache
  // still answers when PostgreSQL is down).
  const routes = new Routes({ orm: appOrm, deadlineMs, ttlMs: 0 });
  const calls = new CallIntake({ orm: appOrm, textBack, plugins, routes, deadlineMs, log });
  const directTextBack = new TemporalTextBack(temporal);
  const sweeper = new CallSweeper({
    orm,
    settlement: new CallSettlement({ orm, textBack: directTextBack, log: silentLogger, deadlineMs: 5_000, now: () => new Date() }),
    textBack: directTextBack,
    thresholds: { unsignalledAfterSeconds: 0, unsettledAfterSeconds: 3600, noOutcomeAfterSeconds: 3600 },
  });
  const keyring = SecretKeyring.parse(SecretKeyring.generateEntry('test'));
  const signers = new WebhookSigners({ orm: appOrm, routes, platform: { authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID }, keyring, deadlineMs });
  const app = createGatewayApp({
    calls,
    texts: new TextIntake({ orm: appOrm, textBack, routes, deadlineMs, log }),
    deliveries: new DeliveryReports({ orm: appOrm }),
    pluginWebhooks: new PluginWebhooks({ orm: appOrm, plugins, calls, deadlineMs }),
    publicUrl: PUBLIC_URL,
    signers,
  }, { log });

  return {
    app,
    orm,
    temporal,
    postgresLink,
    temporalLink,
    async restoreLinks() {
      await postgresLink.set('open');
      await temporalLink.set('open');
      // gRPC reconnects with a back-off after losing its server; a real gateway waits it out too.
      await eventually(() => appConnection.withDeadline(Date.now() + 1_000, () => appConnection.healthService.check({})), { timeoutMs: 30_000 });
      await eventually(() => appOrm.em.fork().execute('select 1'), { timeoutMs: 30_000 });
    },
    sweeper,
    subAccountId: account.subAccountId,
    keyring,
    async post(path, params, options = {}) {
      // Twilio signs what it sends: the values as they travel (text that can't be UTF-8 can't travel).
      const body = encodeTwilioForm({ AccountSid: ACCOUNT_SID, ...params });
      const url = `${PUBLIC_URL}${path}`;
      return app.request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': options.signature ?? signTwilioRequest(options.authToken ?? AUTH_TOKEN, url, parseTwilioForm(body)),
        },
        body,
      });
    },
    call: (callSid) => orm.em.fork().findOne(Call, { callSid }),
    async missedCallSignals(callerPhone) {
      const handle = temporal.workflow.getHandle(textBackWorkflowId(account.subAccountId, callerPhone));
      try {
        const history = await handle.fetchHistory();
        const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'missedCall');
        const converter = temporal.options.loadedDataConverter.payloadConverter;
        return signals.map((e) => converter.fromPayload(e.workflowExecutionSignaledEventAttributes!.input!.payloads![0]!));
      } catch (error) {
        // Never started: the history service answers gRPC NOT_FOUND (code 5).
        if (error instanceof Error && (error.name === 'WorkflowNotFoundError' || (error as { code?: number }).code === 5)) return [];
        throw error;
      }
    },
    async stop() {
      await appConnection.close();
      await appOrm.close();
      await postgresLink.stop();
      await temporalLink.stop();
      await connection.close();
      await server.stop();
      await orm.close();
      await database.drop();
    },
  };
}
