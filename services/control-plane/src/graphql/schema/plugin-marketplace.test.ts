import { issueApiKey, type AccountSetup } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let production: ControlPlaneHarness;
let agency: AccountSetup;
let other: AccountSetup;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_marketplace');
  // The same API outside development mode: plugin URLs must be public.
  production = await startControlPlane('control_plane_marketplace_prod', { allowPrivatePluginUrls: false });
  agency = await cp.seedAgency('Acme Agency', '+15125550191');
  other = await cp.seedAgency('Rival Agency', '+15125550192');
});
afterAll(async () => {
  await cp?.close();
  await production?.close();
});

const PUBLISH = `mutation ($input: PublishPluginInput!) {
  publishPlugin(input: $input) {
    __typename
    ... on PublishPluginPayload { signingSecret release { pluginId version runtime url withdrawn hooks { hook timeoutMs failurePolicy retries } steps { name timeoutMs retries } } }
    ... on ValidationError { issues { path message } }
    ... on ForbiddenError { message }
  }
}`;

const manifest = (overrides: Record<string, unknown> = {}) => ({
  id: 'crm-sync',
  name: 'CRM sync',
  version: '1.0.0',
  description: 'Copies texts into the CRM.',
  author: 'Acme',
  permissions: ['messages:read', 'textback:veto'],
  configSchema: { type: 'object', properties: { apiKey: { type: 'string', minLength: 8 } }, required: ['apiKey'], additionalProperties: false },
  runtime: { kind: 'remote', url: 'https://crm.example.com/mctb' },
  hooks: { 'textback.sent': {}, 'textback.beforeSend': { timeoutMs: 1500, failurePolicy: 'closed' } },
  steps: { push_contact: { description: 'Pushes the contact', configSchema: { type: 'object', properties: { list: { type: 'string' } } } } },
  ...overrides,
});

interface Issue {
  path: string;
  message: string;
}
/** What the tests read of a mutation's payload (one of its union's members). */
interface Payload {
  __typename: string;
  issues: Issue[];
  signingSecret?: string;
  version?: string;
}
const payload = (response: { data?: unknown }, field: string): Payload => (response.data as Record<string, Payload>)[field]!;
const publish = (harness: ControlPlaneHarness, key: string, input: unknown) => harness.graphql(key, PUBLISH, { input: { manifest: input } });

describe('the plugin marketplace', () => {
  it('publishes a private plugin once per version, with the signing secret only the first time', async () => {
    const first = await publish(cp, agency.apiKey, manifest());
    expect(first.data).toEqual({
      publishPlugin: {
        __typename: 'PublishPluginPayload',
        signingSecret: expect.stringMatching(/^whsec_/),
        release: {
          pluginId: 'crm-sync',
          version: '1.0.0',
          runtime: 'remote',
          url: 'https://crm.example.com/mctb',
          withdrawn: false,
          hooks: [
            { hook: 'textback.sent', timeoutMs: 5000, failurePolicy: 'open', retries: 3 },
            { hook: 'textback.beforeSend', timeoutMs: 1500, failurePolicy: 'closed', retries: 0 },
          ],
          steps: [{ name: 'push_contact', timeoutMs: 10000, retries: 2 }],
        },
      },
    });
    const second = await publish(cp, agency.apiKey, manifest({ version: '1.1.0' }));
    expect(second.data).toMatchObject({ publishPlugin: { __typename: 'PublishPluginPayload', signingSecret: null, release: { version: '1.1.0' } } });

    const again = await publish(cp, agency.apiKey, manifest({ version: '1.1.0' }));
    expect(again.data).toEqual({ publishPlugin: { __typename: 'ValidationError', issues: [{ path: 'manifest.version', message: expect.stringContaining('already published') }] } });
    const older = await publish(cp, agency.apiKey, manifest({ version: '1.0.5' }));
    expect(older.data).toEqual({ publishPlugin: { __typename: 'ValidationError', issues: [{ path: 'manifest.version', message: expect.stringContaining('lower than the latest published version 1.1.0') }] } });
  });

  it('names every problem of a malformed manifest at its path', async () => {
    const { data } = await publish(
      cp,
      agency.apiKey,
      manifest({ id: 'Bad Id', version: 'v1', permissions: ['calls:read'], hooks: { 'textback.sent': { timeoutMs: 60_000, failurePolicy: 'closed' } }, configSchema: { type: 'object', properties: { a: { type: 'nonsense' } } } }),
    );
    expect(payload({ data }, 'publishPlugin').__typename).toBe('ValidationError');
    expect(payload({ data }, 'publishPlugin').issues.map((issue) => issue.path).sort()).toEqual([
      'manifest.hooks.textback.sent',
      'manifest.hooks.textback.sent.failurePolicy',
      'manifest.hooks.textback.sent.timeoutMs',
      'manifest.id',
      'manifest.version',
    ]);
    const badSchema = await publish(cp, agency.apiKey, manifest({ id: 'schema-check', configSchema: { type: 'object', properties: { a: { type: 'nonsense' } } } }));
    expect(badSchema.data).toEqual({ publishPlugin: { __typename: 'ValidationError', issues: [{ path: 'manifest.configSchema', message: expect.stringContaining('not a usable JSON Schema') }] } });
  });

  it('keeps a plugin id to the agency that published it, and its plugins private', async () => {
    const taken = await publish(cp, other.apiKey, manifest({ version: '9.0.0' }));
    expect(taken.data).toEqual({ publishPlugin: { __typename: 'ValidationError', issues: [{ path: 'manifest.id', message: expect.stringContaining('belongs to another agency') }] } });
    const firstParty = await publish(cp, other.apiKey, manifest({ id: 'voice-ai', version: '9.0.0' }));
    expect(payload(firstParty, 'publishPlugin').issues[0]!.message).toContain('first-party');
    const seen = await cp.graphql(other.apiKey, '{ plugins { id } }');
    expect(seen.data).toEqual({ plugins: [{ id: 'voice-ai' }] });
    const installed = await cp.graphql(other.apiKey, `mutation { installPlugin(input: { subAccountId: "${other.subAccountId}", pluginId: "crm-sync", config: { apiKey: "12345678" } }) { __typename ... on ValidationError { issues { path message } } } }`);
    expect(installed.data).toEqual({ installPlugin: { __typename: 'ValidationError', issues: [{ path: 'pluginId', message: expect.stringContaining('no plugin "crm-sync"') }] } });
  });

  it('checks a snapshot\'s plugin steps and configs against the release its range resolves to, at import', async () => {
    const yaml = (plugins: string, step: string) => `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: with-crm, name: With CRM }
templates:
  hello: "Hi from {{ location.name }}"
plugins:
${plugins}
workflows:
  - key: missed_call
    trigger: { type: call.missed }
    steps:
      - { id: text, send_sms: hello }
${step}
`;
    const IMPORT = `mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { __typename ... on ImportSnapshotPayload { warnings { path message } } ... on ValidationError { issues { path message } } } }`;
    const bad = await cp.graphql(agency.apiKey, IMPORT, {
      yaml: yaml('  - { id: crm-sync, version: ^1.0.0, config: { apiKey: short } }', '      - { id: push, plugin: crm-sync, step: push_contact, with: { list: 5 } }\n      - { id: nope, plugin: crm-sync, step: teleport }'),
    });
    expect(payload(bad, 'importSnapshot').issues.map((issue) => issue.path)).toEqual(['plugins[0].config.apiKey', 'workflows[0].steps[1].with.list', 'workflows[0].steps[2].step']);
    const good = await cp.graphql(agency.apiKey, IMPORT, {
      yaml: yaml('  - { id: crm-sync, version: ^1.0.0, config: { apiKey: abcdefgh } }', '      - { id: push, plugin: crm-sync, step: push_contact, with: { list: vip } }'),
    });
    expect(good.data).toEqual({ importSnapshot: { __typename: 'ImportSnapshotPayload', warnings: [] } });
  });

  it('refuses a plugin on a private or loopback address outside development mode', async () => {
    const productionAgency = await production.seedAgency('Prod Agency', '+15125550193');
    for (const url of ['http://127.0.0.1:9000/hook', 'http://10.1.2.3/hook', 'http://169.254.169.254/latest', 'http://[::1]:8080/', 'http://localhost:3000/']) {
      const { data } = await publish(production, productionAgency.apiKey, manifest({ id: 'local-thing', runtime: { kind: 'remote', url } }));
      expect(data, url).toEqual({ publishPlugin: { __typename: 'ValidationError', issues: [{ path: 'manifest.runtime.url', message: expect.stringContaining('private, loopback or link-local') }] } });
    }
    const local = await publish(cp, agency.apiKey, manifest({ id: 'local-thing', runtime: { kind: 'remote', url: 'http://127.0.0.1:9000/hook' } }));
    expect(payload(local, 'publishPlugin').__typename).toBe('PublishPluginPayload');
  });

  it('installs a version range, upgrades to the latest keeping the config, and checks it against the new schema', async () => {
    const install = await cp.graphql(
      agency.apiKey,
      `mutation ($input: InstallPluginInput!) { installPlugin(input: $input) { __typename ... on InstallPluginPayload { installedPlugin { version config plugin { version } } } } }`,
      { input: { subAccountId: agency.subAccountId, pluginId: 'crm-sync', version: '~1.0.0', config: { apiKey: 'abcdefgh-secret' } } },
    );
    expect(install.data).toEqual({ installPlugin: { __typename: 'InstallPluginPayload', installedPlugin: { version: '1.0.0', config: { apiKey: 'abcdefgh-secret' }, plugin: { version: '1.0.0' } } } });

    // 2.0.0 needs a setting the installation doesn't have: the upgrade says which, and changes nothing.
    await publish(cp, agency.apiKey, manifest({ version: '2.0.0', configSchema: { type: 'object', properties: { apiKey: { type: 'string' }, region: { enum: ['us', 'eu'] } }, required: ['apiKey', 'region'] } }));
    const UPGRADE = `mutation ($input: UpgradePluginInput!) { upgradePlugin(input: $input) {
      __typename ... on UpgradePluginPayload { previousVersion installedPlugin { version config } } ... on ValidationError { issues { path message } } } }`;
    const refused = await cp.graphql(agency.apiKey, UPGRADE, { input: { subAccountId: agency.subAccountId, pluginId: 'crm-sync' } });
    expect(refused.data).toEqual({ upgradePlugin: { __typename: 'ValidationError', issues: [{ path: 'config.region', message: 'is required' }] } });
    const toMinor = await cp.graphql(agency.apiKey, UPGRADE, { input: { subAccountId: agency.subAccountId, pluginId: 'crm-sync', version: '^1.0.0' } });
    expect(toMinor.data).toEqual({ upgradePlugin: { __typename: 'UpgradePluginPayload', previousVersion: '1.0.0', installedPlugin: { version: '1.1.0', config: { apiKey: 'abcdefgh-secret' } } } });
    const toMajor = await cp.graphql(agency.apiKey, UPGRADE, { input: { subAccountId: agency.subAccountId, pluginId: 'crm-sync', config: { apiKey: 'abcdefgh-secret', region: 'eu' } } });
    expect(toMajor.data).toMatchObject({ upgradePlugin: { previousVersion: '1.1.0', installedPlugin: { version: '2.0.0', config: { region: 'eu' } } } });
  });

  it('withdraws a release so nothing new resolves to it, while installations keep it', async () => {
    const withdraw = await cp.graphql(agency.apiKey, 'mutation { withdrawPluginVersion(input: { pluginId: "crm-sync", version: "2.0.0" }) { __typename ... on PluginRelease { version withdrawn } } }');
    expect(withdraw.data).toEqual({ withdrawPluginVersion: { __typename: 'PluginRelease', version: '2.0.0', withdrawn: true } });
    const listed = await cp.graphql(agency.apiKey, '{ plugin(id: "crm-sync") { version versions { version withdrawn } } subAccounts { installedPlugins { pluginId version } } }');
    expect((listed.data as Record<string, unknown>).plugin).toEqual({
      version: '1.1.0',
      versions: [
        { version: '2.0.0', withdrawn: true },
        { version: '1.1.0', withdrawn: false },
        { version: '1.0.0', withdrawn: false },
      ],
    });
    expect((listed.data as { subAccounts: { installedPlugins: unknown[] }[] }).subAccounts[0]!.installedPlugins).toContainEqual({ pluginId: 'crm-sync', version: '2.0.0' });
    const install = await cp.graphql(agency.apiKey, `mutation { installPlugin(input: { subAccountId: "${agency.subAccountId}", pluginId: "crm-sync", version: ">=2", config: { apiKey: "abcdefgh" } }) { __typename ... on ValidationError { issues { path message } } } }`);
    expect(install.data).toEqual({ installPlugin: { __typename: 'ValidationError', issues: [{ path: 'version', message: 'no published version of plugin "crm-sync" matches >=2 (published: 1.0.0, 1.1.0)' }] } });
  });

  it('disables, enables and uninstalls an installation; a sub-account key may do none of it', async () => {
    const ref = `{ subAccountId: "${agency.subAccountId}", pluginId: "crm-sync" }`;
    const { token } = await issueApiKey(cp.orm.em.fork(), { agencyId: agency.agencyId, subAccountId: agency.subAccountId, name: 'client' });
    const forbidden = await cp.graphql(token, `mutation { disablePlugin(input: ${ref}) { __typename } }`);
    expect(forbidden.data).toEqual({ disablePlugin: { __typename: 'ForbiddenError' } });
    const published = await publish(cp, token, manifest({ id: 'client-made' }));
    expect(payload(published, 'publishPlugin').__typename).toBe('ForbiddenError');

    const disabled = await cp.graphql(agency.apiKey, `mutation { disablePlugin(input: ${ref}) { ... on InstallPluginPayload { installedPlugin { enabled } } } }`);
    expect(disabled.data).toEqual({ disablePlugin: { installedPlugin: { enabled: false } } });
    const enabled = await cp.graphql(agency.apiKey, `mutation { enablePlugin(input: ${ref}) { ... on InstallPluginPayload { installedPlugin { enabled } } } }`);
    expect(enabled.data).toEqual({ enablePlugin: { installedPlugin: { enabled: true } } });
    const removed = await cp.graphql(agency.apiKey, `mutation { uninstallPlugin(input: ${ref}) { __typename ... on UninstallPluginPayload { pluginId } } }`);
    expect(removed.data).toEqual({ uninstallPlugin: { __typename: 'UninstallPluginPayload', pluginId: 'crm-sync' } });
    const again = await cp.graphql(agency.apiKey, `mutation { uninstallPlugin(input: ${ref}) { __typename } }`);
    expect(again.data).toEqual({ uninstallPlugin: { __typename: 'NotFoundError' } });
  });

  it('rotates a plugin signing secret for its own agency only', async () => {
    const rotated = await cp.graphql(agency.apiKey, 'mutation { rotatePluginSigningSecret(pluginId: "crm-sync") { __typename ... on RotatePluginSigningSecretPayload { signingSecret } } }');
    expect(payload(rotated, 'rotatePluginSigningSecret').signingSecret).toMatch(/^whsec_/);
    const stranger = await cp.graphql(other.apiKey, 'mutation { rotatePluginSigningSecret(pluginId: "crm-sync") { __typename } }');
    expect(stranger.data).toEqual({ rotatePluginSigningSecret: { __typename: 'NotFoundError' } });
  });
});
