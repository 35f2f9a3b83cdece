import { createAgency, issueApiKey } from '@mctb/control';
import { createOrm } from '@mctb/db';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '@mctb/launcher';
import { createEmptyDatabase, graphqlClient, postTwilioWebhook, startFakeTwilio, type FakeTwilio, type TestDatabase } from '@mctb/testkit';

export { eventually } from '@mctb/devstack';

export const ACCOUNT_SID = 'AC0e2e0000000000000000000000000001';
export const AUTH_TOKEN = 'e2e-auth-token-000000000000000000';

export interface Stack {
  platform: RunningPlatform;
  twilio: FakeTwilio;
  apiKey: string;
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Posts a webhook to the gateway exactly as Twilio would (signed over its public URL). */
  webhook(path: string, params: Record<string, string>, options?: { signature?: string }): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The real stack, every part its own process: PostgreSQL (a fresh database on the test run's
 * server), the Temporal dev server, control plane, gateway and worker, with the worker's Twilio
 * provider pointed at a local server that answers like Twilio's REST API.
 */
export async function startStack(options: Pick<PlatformOptions, 'serviceEnv' | 'onLine'> = {}): Promise<Stack> {
  const database: TestDatabase = await createEmptyDatabase('e2e');
  const twilio = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  let platform: RunningPlatform | undefined;
  try {
    platform = await startPlatform({
      databaseUrl: database.url,
      twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBaseUrl: twilio.url },
      ...options,
    });
  } catch (error) {
    await twilio.stop();
    await database.drop();
    throw error;
  }
  // Agencies are created by the platform operator, not through the agency API.
  const orm = await createOrm(database.url);
  const agency = await createAgency(orm.em.fork(), 'E2E Agency');
  const { token: apiKey } = await issueApiKey(orm.em.fork(), { agencyId: agency.id, name: 'e2e' });
  await orm.close();

  const running = platform;
  return {
    platform: running,
    twilio,
    apiKey,
    graphql: graphqlClient(running.controlPlaneUrl, apiKey),
    webhook: (path, params, options = {}) =>
      postTwilioWebhook(`${running.gatewayUrl}${path}`, { AccountSid: ACCOUNT_SID, ...params }, {
        authToken: AUTH_TOKEN,
        signatureUrl: `${running.gatewayPublicUrl}${path}`,
        ...(options.signature ? { signature: options.signature } : {}),
      }),
    async stop() {
      await running.stop();
      await twilio.stop();
      await database.drop();
    },
  };
}
