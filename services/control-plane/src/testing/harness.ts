import { ProviderAccounts, publishFirstPartyPlugins, setUpAccount, type AccountSetup, type ManualMessageSender, type ProvisioningStarter } from '@mctb/control';
import { createOrm, migrate, type Orm } from '@mctb/db';
import { SecretKeyring } from '@mctb/secrets';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { createEmptyDatabase } from '@mctb/testkit';
import type { Hono } from 'hono';
import { readFile } from 'node:fs/promises';
import { createControlPlaneApp } from '../app.js';

/** The starter snapshot shipped in snapshots/ (this file is services/control-plane/{src,dist}/testing/). */
export const starterSnapshotYaml = (): Promise<string> =>
  readFile(new URL('../../../../snapshots/missed-call-text-back.yaml', import.meta.url), 'utf8');

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface ControlPlaneHarness {
  orm: Orm;
  plugins: PluginRegistry;
  app: Hono;
  /** POSTs an operation, with `Authorization: Bearer <token>` when a token is given. */
  graphql<Data = Record<string, unknown>>(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<Data>>;
  /** An agency with an agency key and one provisioned sub-account, made through the real use cases. */
  seedAgency(name: string, twilioNumber: string): Promise<AccountSetup>;
  close(): Promise<void>;
}

/**
 * The app on a fresh, migrated database of the test run's PostgreSQL (one per test file). Without
 * `providerAccounts`, no Twilio account is configured and numbers are claimed unchecked (as with
 * ALLOW_UNVERIFIED_NUMBERS); tests of the provider checks pass accounts on the Twilio stand-in.
 */
export async function startControlPlane(
  label: string,
  options: { providerAccounts?: ProviderAccounts; provisioningRuns?: ProvisioningStarter; manualMessages?: ManualMessageSender; allowPrivatePluginUrls?: boolean } = {},
): Promise<ControlPlaneHarness> {
  const database = await createEmptyDatabase(label);
  const orm = await createOrm(database.url, { poolSize: 4 });
  await migrate(orm);
  const plugins = firstPartyPlugins();
  await publishFirstPartyPlugins(orm.em.fork(), plugins);
  const providerAccounts =
    options.providerAccounts ?? new ProviderAccounts({ keyring: SecretKeyring.parse(SecretKeyring.generateEntry('test')), platform: null, allowUnverifiedClaims: true });
  const app = createControlPlaneApp({ orm, plugins, providerAccounts, allowPrivatePluginUrls: options.allowPrivatePluginUrls ?? true, ...(options.provisioningRuns ? { provisioningRuns: options.provisioningRuns } : {}), ...(options.manualMessages ? { manualMessages: options.manualMessages } : {}) });
  const snapshotYaml = await starterSnapshotYaml();
  return {
    orm,
    plugins,
    app,
    async graphql(token, query, variables) {
      const response = await app.request('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    seedAgency: (name, twilioNumber) =>
      setUpAccount(orm.em.fork(), plugins, {
        agencyName: name,
        subAccount: {
          name: `${name} client`,
          timeZone: 'America/Chicago',
          twilioNumber,
          forwardingNumber: '+15125550199',
          incomingCallTimeout: 18,
        },
        snapshotYaml,
        customValues: { booking_link: `https://book.example/${name.toLowerCase().replace(/\W+/g, '-')}` },
      }),
    async close() {
      await orm.close();
      await database.drop();
    },
  };
}
