import { setUpAccount } from '@mctb/control';
import { Call, createOrm, migrate, type Orm } from '@mctb/db';
import { freePort, repoRoot, startTemporalDevServer, type RunningTemporal } from '@mctb/devstack';
import { textBackWorkflowId } from '@mctb/domain';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { CallIntake, DeliveryReports, PluginWebhooks, TemporalTextBack, TextIntake } from '@mctb/telephony';
import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { signTwilioRequest } from '@mctb/twilio-kit';
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
  orm: Orm;
  temporal: Client;
  subAccountId: string;
  /** POSTs a form exactly as Twilio does, signed over the public URL. */
  post(path: string, params: Record<string, string>, options?: { signature?: string }): Promise<Response>;
  call(callSid: string): Promise<Call | null>;
  /** The missedCall signals the text-back workflow for this caller received (empty: never started). */
  missedCallSignals(callerPhone: string): Promise<{ callSid: string; outcome: string }[]>;
  stop(): Promise<void>;
}

/** The gateway app over a fresh database and a real (in-memory) Temporal dev server. */
export async function startGatewayHarness(): Promise<GatewayHarness> {
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

  const textBack = new TemporalTextBack(temporal);
  const calls = new CallIntake({ orm, textBack, plugins });
  const app = createGatewayApp({
    calls,
    texts: new TextIntake({ orm, textBack }),
    deliveries: new DeliveryReports({ orm }),
    pluginWebhooks: new PluginWebhooks({ orm, plugins, calls }),
    publicUrl: PUBLIC_URL,
    twilio: { authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID },
  });

  return {
    app,
    orm,
    temporal,
    subAccountId: account.subAccountId,
    async post(path, params, options = {}) {
      const body = { AccountSid: ACCOUNT_SID, ...params };
      const url = `${PUBLIC_URL}${path}`;
      return app.request(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': options.signature ?? signTwilioRequest(AUTH_TOKEN, url, body),
        },
        body: new URLSearchParams(body).toString(),
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
      await connection.close();
      await server.stop();
      await orm.close();
      await database.drop();
    },
  };
}
