import type { AccountSetup } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_plugins');
  agency = await cp.seedAgency('Acme Agency', '+15125550190');
});
afterAll(() => cp?.close());

const INSTALL = `mutation ($input: InstallPluginInput!) {
  installPlugin(input: $input) {
    __typename
    ... on InstallPluginPayload { installedPlugin { pluginId version enabled config plugin { name } } }
    ... on ValidationError { issues { path message } }
  }
}`;

const SECRET = 'super-secret-signing-key-42';

describe('plugins', () => {
  it('lists the catalog with what each plugin may do', async () => {
    const { data } = await cp.graphql(agency.apiKey, '{ plugins { id name version description permissions } }');
    expect(data).toEqual({
      plugins: [
        {
          id: 'voice-ai',
          name: 'Voice AI',
          version: '0.1.0',
          description: expect.stringContaining('AI voice agent'),
          permissions: ['voice:route', 'calls:classify', 'textback:veto'],
        },
      ],
    });
  });

  it('installs a plugin and never shows its secrets back', async () => {
    const response = await cp.graphql(agency.apiKey, INSTALL, {
      input: { subAccountId: agency.subAccountId, pluginId: 'voice-ai', config: { agentUrl: 'https://agent.example/twiml', signingSecret: SECRET } },
    });
    expect(response.data).toEqual({
      installPlugin: {
        __typename: 'InstallPluginPayload',
        installedPlugin: {
          pluginId: 'voice-ai',
          version: '0.1.0',
          enabled: true,
          config: { agentUrl: 'https://agent.example/twiml', signingSecret: '********' },
          plugin: { name: 'Voice AI' },
        },
      },
    });
    const listed = await cp.graphql(agency.apiKey, '{ subAccounts { installedPlugins { pluginId config } } }');
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    expect(listed.data).toEqual({ subAccounts: [{ installedPlugins: [{ pluginId: 'voice-ai', config: { agentUrl: 'https://agent.example/twiml', signingSecret: '********' } }] }] });
  });

  it('names the config fields that fail the plugin schema', async () => {
    const { data } = await cp.graphql(agency.apiKey, INSTALL, {
      input: { subAccountId: agency.subAccountId, pluginId: 'voice-ai', config: { agentUrl: 'ftp://nope', signingSecret: 'short' } },
    });
    expect(data).toEqual({
      installPlugin: {
        __typename: 'ValidationError',
        issues: [
          { path: 'config.agentUrl', message: 'agentUrl must be an http(s) URL' },
          { path: 'config.signingSecret', message: 'signingSecret must be at least 16 characters' },
        ],
      },
    });
  });

  it('names a config value that cannot be stored (a NUL character) instead of failing inside', async () => {
    const { data } = await cp.graphql(agency.apiKey, INSTALL, {
      input: { subAccountId: agency.subAccountId, pluginId: 'voice-ai', config: { agentUrl: 'https://agent.example/\u0000', signingSecret: 'a-long-enough-secret' } },
    });
    expect(data).toEqual({ installPlugin: { __typename: 'ValidationError', issues: [{ path: 'config.agentUrl', message: expect.stringMatching(/NUL character/) }] } });
  });

  it('refuses a plugin the deployment does not have', async () => {
    const { data } = await cp.graphql(agency.apiKey, INSTALL, { input: { subAccountId: agency.subAccountId, pluginId: 'crm-sync' } });
    expect(data).toEqual({ installPlugin: { __typename: 'ValidationError', issues: [{ path: 'pluginId', message: 'no plugin "crm-sync" is published to this agency\'s marketplace' }] } });
  });
});
