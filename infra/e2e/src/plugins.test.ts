import { freePort, repoRoot } from '@mctb/devstack';
import { definePlugin, publishedManifestOf, servePlugin, verifyWebhookSignature, type HookEvents, type RunningPlugin } from '@mctb/plugin-sdk';
import { z } from 'zod';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard } from './provision.js';
import { eventually, startStack, type Stack } from './stack.js';

const SPAM_GUARD_MAIN = join(repoRoot, 'plugins/spam-guard/dist/main.js');
const ROBOCALLER = '+19005550100';

const snapshotYaml = (slug: string, plugins: string, extraSteps = '') => `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: ${slug}, name: Plugins at work }
quietHours: "off"
templates:
  first_text: "Sorry we missed you at {{ location.name }}!"
plugins:
${plugins}
workflows:
  - key: missed_call
    trigger: { type: call.missed }
    steps:
      - { id: first_text, send_sms: first_text }
${extraSteps}`;

/** A third party's server that misbehaves on demand: hangs, fails, or answers nonsense. */
type Behaviour = 'hang' | 'error' | 'garbage' | 'ok';

interface CallRow {
  callSid: string;
  textBackStatus: string | null;
  textBackReason: string | null;
}
interface DeliveryRow {
  pluginId: string;
  name: string;
  callSid: string | null;
  httpStatus: number | null;
  outcome: string;
  detail: string;
  attempt: number;
  latencyMs: number;
}

describe('plugins from the marketplace on the real stack (separate processes, real HTTP)', () => {
  let stack: Stack;
  let spamGuard: ChildProcess | undefined;
  let flaky: Server | undefined;
  let behaviour: Behaviour = 'ok';
  let flakySecret = '';
  const flakyRequests: { hook: string; deliveryId: string; verified: boolean }[] = [];
  let eventLog: RunningPlugin | undefined;
  const heard: { hook: string; event: Record<string, unknown>; deliveryId: string }[] = [];
  let guarded = ''; // the sub-account running spam-guard
  let shaky = ''; // the sub-account running the flaky plugin

  beforeAll(async () => {
    stack = await startStack();

    // Spam Guard, published as its author would: the manifest from its own binary, then served with the secret it got.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const { stdout } = await promisify(execFile)(process.execPath, [SPAM_GUARD_MAIN, '--print-manifest', url]);
    const published = await publish(JSON.parse(stdout));
    expect(published.signingSecret).toMatch(/^whsec_/);
    spamGuard = spawn(process.execPath, [SPAM_GUARD_MAIN], { env: { ...process.env, PORT: String(port), SPAM_GUARD_SIGNING_SECRET: published.signingSecret! }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      spamGuard!.stdout!.once('data', () => resolve());
      spamGuard!.once('exit', (code) => reject(new Error(`spam-guard exited with ${code}`)));
    });

    // The flaky plugin: a bare HTTP server, so it can answer what no SDK would.
    const flakyPort = await freePort();
    flaky = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const check = verifyWebhookSignature({ secret: flakySecret, header: req.headers['x-mctb-signature'] as string | undefined, body });
        const request = JSON.parse(body) as { hook: string; deliveryId: string };
        flakyRequests.push({ hook: request.hook, deliveryId: request.deliveryId, verified: check.ok && req.headers['idempotency-key'] === request.deliveryId });
        if (behaviour === 'hang') return; // never answers
        if (behaviour === 'error') return void res.writeHead(500).end('database is on fire');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(behaviour === 'garbage' ? '{"veto": "maybe"' : JSON.stringify({ veto: false }));
      });
    });
    await new Promise<void>((resolve) => flaky!.listen(flakyPort, '127.0.0.1', resolve));
    const flakyManifest = (version: string, failurePolicy: 'open' | 'closed') => ({
      id: 'flaky-veto',
      name: 'Flaky veto',
      version,
      author: 'A third party',
      permissions: ['textback:veto'],
      configSchema: { type: 'object', properties: { region: { type: 'string', enum: ['us', 'eu'] } }, required: ['region'], additionalProperties: false },
      runtime: { kind: 'remote', url: `http://127.0.0.1:${flakyPort}/hooks` },
      hooks: { 'textback.beforeSend': { timeoutMs: 1_000, failurePolicy } },
    });
    const first = await publish(flakyManifest('1.0.0', 'open'));
    flakySecret = first.signingSecret!;
    const second = await publish(flakyManifest('2.0.0', 'closed'));
    expect(second.signingSecret).toBeNull(); // given once, on the first publish

    guarded = await onboard(stack, {
      name: 'Guarded Plumbing',
      timeZone: 'America/Chicago',
      twilioNumber: '+15125550300',
      forwardingNumber: '+15125550199',
      snapshotYaml: snapshotYaml(
        'guarded',
        `  - id: spam-guard\n    version: ^0.1.0\n    config: { blockedNumbers: ["${ROBOCALLER}"], blockedPrefixes: ["+1900"] }`,
        '      - { id: score, plugin: spam-guard, step: score_caller, with: { threshold: 80 } }\n',
      ),
    });
    shaky = await onboard(stack, {
      name: 'Shaky Roofing',
      timeZone: 'America/Chicago',
      twilioNumber: '+15125550400',
      forwardingNumber: '+15125550199',
      snapshotYaml: snapshotYaml('shaky', '  - id: flaky-veto\n    version: 1.0.0\n    config: { region: us }'),
    });
  }, 180_000);

  afterAll(async () => {
    await eventLog?.close();
    spamGuard?.kill();
    flaky?.closeAllConnections();
    flaky?.close();
    await stack?.stop();
  });

  async function publish(manifest: unknown): Promise<{ signingSecret: string | null }> {
    const data = await stack.graphql<{ publishPlugin: { __typename: string; signingSecret?: string | null; issues?: unknown } }>(
      `mutation ($input: PublishPluginInput!) { publishPlugin(input: $input) {
        __typename ... on PublishPluginPayload { signingSecret release { version } } ... on ValidationError { issues { path message } } } }`,
      { input: { manifest } },
    );
    expect(data.publishPlugin.__typename, JSON.stringify(data.publishPlugin.issues)).toBe('PublishPluginPayload');
    return { signingSecret: data.publishPlugin.signingSecret ?? null };
  }

  const missedCall = async (callSid: string, from: string, to: string) => {
    expect((await stack.webhook('/twilio/voice/incoming', { CallSid: callSid, From: from, To: to, CallStatus: 'ringing' })).status).toBe(200);
    expect((await stack.webhook('/twilio/voice/dial-result', { CallSid: callSid, From: from, To: to, CallStatus: 'in-progress', DialCallStatus: 'no-answer' })).status).toBe(200);
  };
  const settled = async (subAccountId: string, callSid: string): Promise<CallRow> => {
    let row: CallRow | undefined;
    await eventually(async () => {
      const data = await stack.graphql<{ subAccount: { calls: CallRow[] } }>(
        `query ($id: ID!) { subAccount(id: $id) { calls(first: 50) { callSid textBackStatus textBackReason } } }`,
        { id: subAccountId },
      );
      row = data.subAccount.calls.find((call) => call.callSid === callSid);
      expect(row?.textBackStatus === 'SENT' || row?.textBackStatus === 'SKIPPED').toBe(true);
    });
    return row!;
  };
  const deliveries = async (subAccountId: string, callSid: string): Promise<DeliveryRow[]> =>
    (
      await stack.graphql<{ subAccount: { pluginDeliveries: DeliveryRow[] } }>(
        `query ($id: ID!, $callSid: String) { subAccount(id: $id) { pluginDeliveries(callSid: $callSid) { pluginId name callSid httpStatus outcome detail attempt latencyMs } } }`,
        { id: subAccountId, callSid },
      )
    ).subAccount.pluginDeliveries;
  const textsTo = (number: string) => stack.twilio.messages().filter((message) => message.to === number);

  it('lists both plugins with their releases, each with what it may do', async () => {
    const data = await stack.graphql<{ plugins: { id: string; firstParty: boolean; versions: { version: string; permissions: string[] }[] }[] }>(
      '{ plugins { id firstParty versions { version permissions } } }',
    );
    expect(data.plugins.map((plugin) => [plugin.id, plugin.firstParty, plugin.versions.map((release) => release.version)])).toEqual([
      ['flaky-veto', false, ['2.0.0', '1.0.0']],
      ['spam-guard', false, ['0.1.0']],
      ['voice-ai', true, ['0.1.0']],
    ]);
  });

  it('vetoes the text to a known robocaller through the remote plugin, with its reason on the call', async () => {
    await missedCall('CA-plug-robo', ROBOCALLER, '+15125550300');
    expect(await settled(guarded, 'CA-plug-robo')).toMatchObject({ textBackStatus: 'SKIPPED', textBackReason: expect.stringContaining('spam-guard:') });
    expect(textsTo(ROBOCALLER)).toHaveLength(0);
    expect(await deliveries(guarded, 'CA-plug-robo')).toContainEqual(
      expect.objectContaining({ pluginId: 'spam-guard', name: 'textback.beforeSend', httpStatus: 200, outcome: 'vetoed' }),
    );
  });

  it('texts a real customer once, then runs the plugin step, recording its summary', async () => {
    const customer = '+15125550311';
    await missedCall('CA-plug-ok', customer, '+15125550300');
    expect(await settled(guarded, 'CA-plug-ok')).toMatchObject({ textBackStatus: 'SENT' });
    expect(textsTo(customer)).toHaveLength(1);
    await eventually(async () => {
      expect(await deliveries(guarded, 'CA-plug-ok')).toContainEqual(expect.objectContaining({ pluginId: 'spam-guard', name: 'score_caller', outcome: 'ok', detail: expect.stringMatching(/^score \d+/) }));
    });
  });

  it('goes on with the text when a fail-open plugin hangs or answers 500, within its timeout, and records why', async () => {
    behaviour = 'hang';
    await missedCall('CA-plug-hang', '+15125550411', '+15125550400');
    expect(await settled(shaky, 'CA-plug-hang')).toMatchObject({ textBackStatus: 'SENT' });
    const hung = await deliveries(shaky, 'CA-plug-hang');
    expect(hung).toEqual([expect.objectContaining({ pluginId: 'flaky-veto', outcome: 'failed_open', httpStatus: null, detail: expect.stringContaining('1000 ms') })]);
    expect(hung[0]!.latencyMs).toBeLessThan(5_000);

    behaviour = 'error';
    await missedCall('CA-plug-500', '+15125550412', '+15125550400');
    expect(await settled(shaky, 'CA-plug-500')).toMatchObject({ textBackStatus: 'SENT' });
    expect(await deliveries(shaky, 'CA-plug-500')).toEqual([expect.objectContaining({ outcome: 'failed_open', httpStatus: 500, detail: expect.stringContaining('database is on fire') })]);
    expect(textsTo('+15125550411')).toHaveLength(1);
    expect(textsTo('+15125550412')).toHaveLength(1);
    // Every request was signed with the plugin's secret and carried its delivery id as the idempotency key.
    expect(flakyRequests.length).toBeGreaterThanOrEqual(2);
    expect(flakyRequests.every((request) => request.verified)).toBe(true);
  });

  it('upgrades the installation to the fail-closed release, keeping its config, and then a broken answer vetoes the text', async () => {
    const upgraded = await stack.graphql<{ upgradePlugin: { __typename: string; previousVersion?: string; installedPlugin?: { version: string; config: unknown } } }>(
      `mutation ($input: UpgradePluginInput!) { upgradePlugin(input: $input) {
        __typename ... on UpgradePluginPayload { previousVersion installedPlugin { version config } } } }`,
      { input: { subAccountId: shaky, pluginId: 'flaky-veto' } },
    );
    expect(upgraded.upgradePlugin).toEqual({ __typename: 'UpgradePluginPayload', previousVersion: '1.0.0', installedPlugin: { version: '2.0.0', config: { region: 'us' } } });

    behaviour = 'garbage';
    await missedCall('CA-plug-garbage', '+15125550413', '+15125550400');
    expect(await settled(shaky, 'CA-plug-garbage')).toMatchObject({ textBackStatus: 'SKIPPED', textBackReason: expect.stringContaining('plugin flaky-veto failed closed') });
    expect(textsTo('+15125550413')).toHaveLength(0);
    expect(await deliveries(shaky, 'CA-plug-garbage')).toEqual([expect.objectContaining({ outcome: 'failed_closed', httpStatus: 200, detail: expect.stringContaining('not a textback.beforeSend answer') })]);

    behaviour = 'hang';
    await missedCall('CA-plug-hang-closed', '+15125550414', '+15125550400');
    expect(await settled(shaky, 'CA-plug-hang-closed')).toMatchObject({ textBackStatus: 'SKIPPED', textBackReason: expect.stringContaining('failed closed') });
    expect(textsTo('+15125550414')).toHaveLength(0);
    behaviour = 'ok';
  });

  it('refuses an install whose config breaks the release schema, naming the path', async () => {
    const data = await stack.graphql<{ installPlugin: { __typename: string; issues?: { path: string; message: string }[] } }>(
      `mutation ($input: InstallPluginInput!) { installPlugin(input: $input) { __typename ... on ValidationError { issues { path message } } } }`,
      { input: { subAccountId: guarded, pluginId: 'flaky-veto', config: { region: 'mars', colour: 'red' } } },
    );
    expect(data.installPlugin.__typename).toBe('ValidationError');
    expect(data.installPlugin.issues!.map((issue) => issue.path).sort()).toEqual(['config.colour', 'config.region']);
  });

  it('refuses to provision a snapshot whose plugin requirement nothing published satisfies', async () => {
    for (const [plugins, path] of [
      ['  - id: spam-guard\n    version: ^2.0.0\n    config: { blockedNumbers: [] }', 'snapshot.plugins[0].version'],
      ['  - id: ghost-plugin', 'snapshot.plugins[0].id'],
    ] as const) {
      const slug = path.endsWith('id') ? 'needs-ghost' : 'needs-future';
      const imported = await stack.graphql<{ importSnapshot: { __typename: string; warnings?: { path: string; message: string }[] } }>(
        `mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { __typename ... on ImportSnapshotPayload { warnings { path message } } } }`,
        { yaml: snapshotYaml(slug, plugins) },
      );
      expect(imported.importSnapshot.__typename).toBe('ImportSnapshotPayload');
      expect(imported.importSnapshot.warnings).toHaveLength(1);
      const started = await stack.graphql<{ startProvisioning: { __typename: string; issues?: { path: string; message: string }[] } }>(
        `mutation ($input: StartProvisioningInput!) { startProvisioning(input: $input) { __typename ... on ValidationError { issues { path message } } } }`,
        { input: { idempotencyKey: `refused-${slug}`, snapshot: { slug }, targets: [{ subAccountId: guarded }] } },
      );
      expect(started.startProvisioning.__typename).toBe('ValidationError');
      expect(started.startProvisioning.issues).toEqual([{ path, message: expect.stringMatching(/no (published version of plugin "spam-guard" matches \^2\.0\.0|plugin "ghost-plugin" is published)/) }]);
    }
  });

  it('tells a plugin of every text sent and received and every sub-account provisioned, each once, in a workflow of its own', async () => {
    // A CRM-sync style plugin written against the SDK and served by it.
    const remember = (hook: string) => async (event: object, context: { deliveryId: string }) => {
      heard.push({ hook, event: event as Record<string, unknown>, deliveryId: context.deliveryId });
    };
    const plugin = definePlugin({
      manifest: {
        id: 'event-log',
        name: 'Event log',
        version: '1.0.0',
        description: 'Keeps what happened, for a CRM.',
        author: 'A third party',
        permissions: ['messages:read', 'subaccounts:read', 'contacts:read'],
        configSchema: z.strictObject({}),
        failurePolicy: 'open',
      },
      hooks: {
        'textback.sent': remember('textback.sent') as (event: HookEvents['textback.sent'], context: { deliveryId: string }) => Promise<void>,
        'message.received': remember('message.received') as (event: HookEvents['message.received'], context: { deliveryId: string }) => Promise<void>,
        'subaccount.provisioned': remember('subaccount.provisioned') as (event: HookEvents['subaccount.provisioned'], context: { deliveryId: string }) => Promise<void>,
      },
    });
    const port = await freePort();
    const published = await publish(publishedManifestOf(plugin, { kind: 'remote', url: `http://127.0.0.1:${port}/` }));
    eventLog = await servePlugin(plugin, { secret: published.signingSecret!, port });
    const installed = await stack.graphql<{ installPlugin: { __typename: string } }>(
      `mutation ($input: InstallPluginInput!) { installPlugin(input: $input) { __typename } }`,
      { input: { subAccountId: guarded, pluginId: 'event-log', version: '^1.0.0', config: {} } },
    );
    expect(installed.installPlugin.__typename).toBe('InstallPluginPayload');

    const customer = '+15125550321';
    await missedCall('CA-plug-events', customer, '+15125550300');
    expect(await settled(guarded, 'CA-plug-events')).toMatchObject({ textBackStatus: 'SENT' });
    const text = textsTo(customer)[0]!;
    expect((await stack.webhook('/twilio/sms/incoming', { MessageSid: 'SM-plug-reply', From: customer, To: '+15125550300', Body: 'Can you come Friday?' })).status).toBe(200);
    // Twilio repeats the webhook: still one event.
    expect((await stack.webhook('/twilio/sms/incoming', { MessageSid: 'SM-plug-reply', From: customer, To: '+15125550300', Body: 'Can you come Friday?' })).status).toBe(200);

    // A new client provisioned with a snapshot that requires the plugin.
    stack.twilio.addIncomingNumber({ phoneNumber: '+15125550500' });
    await stack.graphql(`mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { __typename } }`, {
      yaml: snapshotYaml('with-event-log', '  - id: event-log\n    version: ^1.0.0'),
    });
    const run = await stack.graphql<{ startProvisioning: { __typename: string; run?: { id: string } } }>(
      `mutation ($input: StartProvisioningInput!) { startProvisioning(input: $input) { __typename ... on StartProvisioningPayload { run { id } } } }`,
      {
        input: {
          idempotencyKey: 'event-log-client',
          snapshot: { slug: 'with-event-log' },
          targets: [{ newSubAccount: { name: 'Logged Electric', timeZone: 'America/Chicago', twilioNumber: '+15125550500', forwardingNumber: '+15125550199', smsProvider: 'twilio' } }],
        },
      },
    );
    expect(run.startProvisioning.__typename).toBe('StartProvisioningPayload');

    await eventually(
      async () => {
        expect(heard.map((entry) => entry.hook).sort()).toEqual(['message.received', 'subaccount.provisioned', 'textback.sent']);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const of = (hook: string) => heard.find((entry) => entry.hook === hook)!.event;
    expect(of('textback.sent')).toMatchObject({ providerMessageId: text.sid, body: text.body, call: { callSid: 'CA-plug-events', from: customer }, contact: { phone: customer } });
    expect(of('message.received')).toMatchObject({ messageSid: 'SM-plug-reply', body: 'Can you come Friday?', contact: { phone: customer } });
    expect(of('subaccount.provisioned')).toMatchObject({ name: 'Logged Electric', snapshot: { slug: 'with-event-log', version: 1 } });
  });
});
