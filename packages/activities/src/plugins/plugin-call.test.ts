import { definePlugin, PluginRegistry, publishedManifestOf, verifyWebhookSignature, type PublishedManifest } from '@mctb/plugin-sdk';
import { z } from 'zod';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstalledRelease } from './installed-releases.js';
import { callPlugin } from './plugin-call.js';

const SECRET = 'whsec_test-secret';
let server: Server;
let url = '';
let answer: { status: number; body: string } = { status: 200, body: '{}' };
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/plugin`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const release = (): InstalledRelease => ({
  installationId: '7a1f1c2e-0000-4000-8000-000000000001',
  subAccountId: '7a1f1c2e-0000-4000-8000-000000000002',
  pluginId: 'remote-check',
  version: '1.2.0',
  config: { region: 'us' },
  manifest: {
    id: 'remote-check',
    name: 'Remote check',
    version: '1.2.0',
    description: '',
    author: 'tests',
    permissions: ['textback:veto'],
    configSchema: { type: 'object' },
    runtime: { kind: 'remote', url },
    hooks: { 'textback.beforeSend': { timeoutMs: 500, failurePolicy: 'open', retries: 0 } },
    steps: { lookup: { description: '', configSchema: { type: 'object' }, timeoutMs: 500, retries: 0 } },
  } satisfies PublishedManifest,
  signingSecret: SECRET,
});
const development = { plugins: new PluginRegistry([]), allowPrivateNetworks: true };
const event = { call: { callSid: 'CA1', subAccountId: 's', from: '+15125550101', to: '+15125550100', outcome: 'no_answer', outcomeSource: 'dial' }, contact: { id: 'c', phone: '+15125550101', firstName: '', lastName: '', tags: [] }, body: 'Hi' };
const beforeSend = (deps = development) => callPlugin(deps, release(), { type: 'hook', name: 'textback.beforeSend', event }, { deliveryId: 'run-1/text/textback.beforeSend/remote-check', attempt: 2, timeoutMs: 500 });

describe('calling a remote plugin', () => {
  it('signs the request, names the delivery, and reads a valid answer', async () => {
    answer = { status: 200, body: JSON.stringify({ veto: true, reason: 'on the do-not-text list' }) };
    expect(await beforeSend()).toMatchObject({ ok: true, answer: { veto: true, reason: 'on the do-not-text list' }, httpStatus: 200 });
    const last = received.at(-1)!;
    expect(verifyWebhookSignature({ secret: SECRET, header: last.headers['x-mctb-signature'] as string, body: last.body }).ok).toBe(true);
    expect(last.headers['idempotency-key']).toBe('run-1/text/textback.beforeSend/remote-check');
    expect(JSON.parse(last.body)).toMatchObject({ protocol: 1, type: 'hook', hook: 'textback.beforeSend', attempt: 2, installation: { config: { region: 'us' } }, event });
  });

  it('treats a 5xx, garbage and an oversized answer as failures worth retrying, and a 4xx as final', async () => {
    answer = { status: 503, body: 'busy' };
    expect(await beforeSend()).toMatchObject({ ok: false, retryable: true, httpStatus: 503, reason: 'HTTP 503: busy' });
    answer = { status: 200, body: '{"veto": true}' };
    expect(await beforeSend()).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('a veto needs a reason') });
    answer = { status: 200, body: 'x'.repeat(100 * 1024) };
    expect(await beforeSend()).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('larger than 64 KiB') });
    answer = { status: 401, body: 'bad signature' };
    expect(await beforeSend()).toMatchObject({ ok: false, retryable: false, httpStatus: 401 });
  });

  it('fails a step at once on a 422 with the plugin\'s own words', async () => {
    answer = { status: 422, body: JSON.stringify({ error: 'unknown list "vip"' }) };
    const result = await callPlugin(development, release(), { type: 'step', name: 'lookup', input: { with: { list: 'vip' } } }, { deliveryId: 'd', attempt: 1, timeoutMs: 500 });
    expect(result).toMatchObject({ ok: false, retryable: false, reason: 'unknown list "vip"' });
  });

  it('refuses a plugin on a loopback address outside development mode, without calling it', async () => {
    const before = received.length;
    const result = await beforeSend({ plugins: new PluginRegistry([]), allowPrivateNetworks: false });
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('127.0.0.1 is a private, loopback or link-local address') });
    expect(received.length).toBe(before);
  });

  it('gives up at the timeout when the plugin never answers', async () => {
    const hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const slow = { ...release(), manifest: { ...release().manifest, runtime: { kind: 'remote' as const, url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/` } } };
    const result = await callPlugin(development, slow, { type: 'hook', name: 'textback.beforeSend', event }, { deliveryId: 'd', attempt: 1, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, retryable: true, reason: 'no complete answer within 300 ms' });
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });
});

describe('calling a first-party plugin', () => {
  const slowVeto = definePlugin({
    manifest: { id: 'in-house', name: 'In house', version: '1.0.0', description: '', author: 'mctb', permissions: ['textback:veto'], configSchema: z.strictObject({ wait: z.number() }), failurePolicy: 'open' },
    hooks: {
      'textback.beforeSend': async (_event, { config, signal }) => {
        await new Promise((resolve) => setTimeout(resolve, config.wait));
        return signal.aborted ? { veto: false } : { veto: true, reason: 'in-house says no' };
      },
    },
  });
  const builtin = (wait: number): InstalledRelease => ({
    ...release(),
    pluginId: 'in-house',
    version: '1.0.0',
    config: { wait },
    manifest: publishedManifestOf(slowVeto, { kind: 'builtin' }),
    signingSecret: null,
  });
  const deps = { plugins: new PluginRegistry([slowVeto]), allowPrivateNetworks: false };

  it('runs it in the worker, with the same budget as a remote one', async () => {
    const call = { type: 'hook' as const, name: 'textback.beforeSend' as const, event };
    expect(await callPlugin(deps, builtin(10), call, { deliveryId: 'd', attempt: 1, timeoutMs: 500 })).toMatchObject({ ok: true, answer: { veto: true, reason: 'in-house says no' }, httpStatus: null });
    expect(await callPlugin(deps, builtin(1_000), call, { deliveryId: 'd', attempt: 1, timeoutMs: 200 })).toMatchObject({ ok: false, retryable: true, reason: 'no answer within 200 ms' });
    expect(await callPlugin(deps, { ...builtin(10), config: { wait: 'soon' } }, call, { deliveryId: 'd', attempt: 1, timeoutMs: 200 })).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('invalid config (wait:') });
  });
});
