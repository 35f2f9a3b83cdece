import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StepFailure } from './hooks.js';
import { definePlugin } from './plugin.js';
import { runPluginMain } from './plugin-main.js';
import { servePlugin, type RunningPlugin } from './remote-server.js';
import { signWebhook } from './request-signature.js';

const secret = 'whsec_test_remote_server';
let runs = 0;
const seen: { deliveryId: string; attempt: number }[] = [];

const plugin = definePlugin({
  manifest: {
    id: 'wire-test',
    name: 'Wire test',
    version: '1.0.0',
    description: 'A plugin for the remote server tests',
    author: 'mctb',
    permissions: ['textback:veto', 'messages:read'],
    configSchema: z.strictObject({ blocked: z.array(z.string()).default([]) }),
    failurePolicy: 'open',
    hookPolicies: { 'textback.beforeSend': { timeoutMs: 300 } },
    steps: {
      tag: { description: 'Tags the contact', configSchema: z.object({ tag: z.string() }), timeoutMs: 200 },
    },
  },
  hooks: {
    async 'textback.beforeSend'(event, { config, deliveryId, attempt, signal }) {
      runs += 1;
      seen.push({ deliveryId, attempt });
      if (event.body === 'slow') {
        // Ignores nothing: waits for the host's budget to run out.
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        return { veto: false };
      }
      if (event.body === 'wait') await new Promise((resolve) => setTimeout(resolve, 100));
      if (event.body === 'crash') throw new Error('the database is down');
      if (event.body === 'bad answer') return { veto: true, reason: '' };
      const from = event.call.from ?? '';
      return config.blocked.includes(from) ? { veto: true, reason: `wire-test: ${from} is blocked` } : { veto: false };
    },
    async 'textback.sent'() {},
  },
  steps: {
    async tag(input) {
      const tag = input.with.tag;
      if (typeof tag !== 'string') throw new StepFailure('with.tag must be a string');
      if (tag === 'slow') await new Promise((resolve) => setTimeout(resolve, 1_000));
      return { summary: `tagged ${input.contact.phone} as ${tag}`, output: { tag } };
    },
  },
});

const call = { callSid: 'CA1', subAccountId: 'sa-1', from: '+15125550199', to: '+15125550100', outcome: 'no_answer', outcomeSource: 'dial' };
const contact = { id: 'c-1', phone: '+15125550199', firstName: '', lastName: '', tags: [] };

function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    protocol: 1,
    type: 'hook',
    deliveryId: `d-${Math.random().toString(36).slice(2)}`,
    attempt: 1,
    plugin: { id: 'wire-test', version: '1.0.0' },
    installation: { id: 'inst-1', subAccountId: 'sa-1', config: { blocked: ['+15125550199'] } },
    hook: 'textback.beforeSend',
    event: { call, contact, body: 'Sorry we missed you!' },
    ...overrides,
  };
}

let server: RunningPlugin;
const errors: string[] = [];

beforeAll(async () => {
  server = await servePlugin(plugin, { secret, onError: (error) => errors.push(error) });
});
afterAll(() => server.close());

async function post(
  body: Record<string, unknown> | string,
  options: { signature?: string | null; timestamp?: number; key?: string | null; signedBody?: string } = {},
): Promise<{ status: number; json: Record<string, unknown>; replayed: string | null }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const t = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const signature = options.signature === undefined ? signWebhook(secret, options.signedBody ?? raw, t) : options.signature;
  if (signature !== null) headers['x-mctb-signature'] = signature;
  const key = options.key === undefined ? (typeof body === 'string' ? null : String(body.deliveryId)) : options.key;
  if (key !== null) headers['idempotency-key'] = key;
  const response = await fetch(server.url, { method: 'POST', headers, body: raw });
  return { status: response.status, json: (await response.json()) as Record<string, unknown>, replayed: response.headers.get('idempotent-replayed') };
}

describe('a remote plugin server', () => {
  it('answers a signed hook request with the hook\'s answer', async () => {
    expect(await post(request())).toMatchObject({ status: 200, json: { veto: true, reason: 'wire-test: +15125550199 is blocked' }, replayed: null });
    const allowed = request({ event: { call: { ...call, from: '+15125550123' }, contact, body: 'hi' } });
    expect(await post(allowed)).toMatchObject({ status: 200, json: { veto: false } });
    // A hook that only listens answers {}.
    expect(await post(request({ hook: 'textback.sent', event: { call, contact, body: 'hi', messageId: 'SM1' } }))).toMatchObject({ status: 200, json: {} });
  });

  it('rejects a missing, wrong or tampered signature with 401 and says why', async () => {
    expect(await post(request(), { signature: null })).toEqual({ status: 401, json: { error: 'the request is not signed by the platform: no signature header' }, replayed: null });
    const t = Math.floor(Date.now() / 1000);
    expect(await post(request(), { signature: signWebhook('whsec_someone_else', JSON.stringify(request()), t) })).toMatchObject({
      status: 401,
      json: { error: 'the request is not signed by the platform: the signature does not match the body' },
    });
    expect(await post(request(), { signature: 'v1=abc' })).toMatchObject({ status: 401, json: { error: 'the request is not signed by the platform: malformed signature header' } });
    // Signed, then changed on the way: the caller's number swapped.
    const original = request();
    const tampered = { ...original, event: { call: { ...call, from: '+15125550123' }, contact, body: 'hi' } };
    expect(await post(tampered, { signedBody: JSON.stringify(original) })).toMatchObject({
      status: 401,
      json: { error: 'the request is not signed by the platform: the signature does not match the body' },
    });
  });

  it('rejects a replayed request: a good signature more than 5 minutes old', async () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    const response = await post(request(), { timestamp: old });
    expect(response.status).toBe(401);
    expect(response.json.error).toMatch(/^the request is not signed by the platform: the signature's timestamp is 30\ds away from now \(more than 300s\)$/);
    expect((await post(request(), { timestamp: Math.floor(Date.now() / 1000) - 250 })).status).toBe(200);
  });

  it('refuses what isn\'t a plugin request with 400, naming the problem', async () => {
    expect(await post('not json')).toMatchObject({ status: 400, json: { error: 'the body is not JSON' } });
    expect(await post(request({ attempt: 0, deliveryId: '' }))).toMatchObject({
      status: 400,
      json: { error: 'not a plugin request: deliveryId: Too small: expected string to have >=1 characters; attempt: Too small: expected number to be >=1' },
    });
    expect(await post(request({ deliveryId: 'd-1' }), { key: 'd-2' })).toMatchObject({
      status: 400,
      json: { error: 'the Idempotency-Key header ("d-2") is not the body\'s deliveryId ("d-1")' },
    });
  });

  it('answers 404 for a hook the plugin doesn\'t implement, a step it doesn\'t have, or another plugin', async () => {
    expect(await post(request({ hook: 'call.completed', event: { call } }))).toMatchObject({
      status: 404,
      json: { error: 'plugin "wire-test" does not implement the hook "call.completed"' },
    });
    expect(await post(request({ hook: 'no.such.hook' }))).toMatchObject({ status: 404 });
    expect(await post(request({ type: 'step', step: 'nope', input: {} }))).toMatchObject({ status: 404, json: { error: 'plugin "wire-test" has no step "nope"' } });
    expect(await post(request({ plugin: { id: 'other', version: '1.0.0' } }))).toMatchObject({ status: 404 });
  });

  it('refuses a config its schema rejects with 422 and the paths', async () => {
    const response = await post(request({ installation: { id: 'inst-1', subAccountId: 'sa-1', config: { blocked: [5], extra: true } } }));
    expect(response.status).toBe(422);
    expect(response.json).toEqual({
      error: 'the installation\'s config is invalid: blocked.0: Invalid input: expected string, received number; (config): Unrecognized key: "extra"',
      issues: [
        { path: 'blocked.0', message: 'Invalid input: expected string, received number' },
        { path: '', message: 'Unrecognized key: "extra"' },
      ],
    });
  });

  it('runs steps: a summary and output, a StepFailure as 422, a slow step as 504', async () => {
    const input = { with: { tag: 'vip' }, contact, call, runId: 'run-1', stepId: 'tag-1' };
    expect(await post(request({ type: 'step', step: 'tag', input }))).toMatchObject({
      status: 200,
      json: { summary: 'tagged +15125550199 as vip', output: { tag: 'vip' } },
    });
    expect(await post(request({ type: 'step', step: 'tag', input: { ...input, with: { tag: 7 } } }))).toEqual({
      status: 422,
      json: { error: 'with.tag must be a string' },
      replayed: null,
    });
    const started = Date.now();
    expect(await post(request({ type: 'step', step: 'tag', input: { ...input, with: { tag: 'slow' } } }))).toMatchObject({
      status: 504,
      json: { error: 'step tag of plugin "wire-test" did not answer within 200 ms' },
    });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('times a hook out at its declared budget (aborting its signal), and answers 500 for a crash or an answer outside the contract', async () => {
    const started = Date.now();
    expect(await post(request({ event: { call, contact, body: 'slow' } }))).toMatchObject({
      status: 504,
      json: { error: 'hook textback.beforeSend of plugin "wire-test" did not answer within 300 ms' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(await post(request({ event: { call, contact, body: 'crash' } }))).toMatchObject({
      status: 500,
      json: { error: 'hook textback.beforeSend of plugin "wire-test" failed: the database is down' },
    });
    expect(await post(request({ event: { call, contact, body: 'bad answer' } }))).toMatchObject({ status: 500 });
    expect(errors).toContain('hook textback.beforeSend of plugin "wire-test" failed: the database is down');
  });

  it('gives a retried delivery the kept answer without running the hook again; concurrent duplicates share one run', async () => {
    const first = request({ event: { call, contact, body: 'wait' } });
    const before = runs;
    const [a, b] = await Promise.all([post(first), post({ ...first, attempt: 2 })]);
    expect(a.json).toEqual({ veto: true, reason: 'wire-test: +15125550199 is blocked' });
    expect(b.json).toEqual(a.json);
    expect([a.replayed, b.replayed].sort()).toEqual([null, 'true']);
    expect(runs).toBe(before + 1);
    // The answer was lost on the way: the host retries the same delivery later.
    expect(await post({ ...first, attempt: 3 })).toEqual({ status: 200, json: a.json, replayed: 'true' });
    expect(runs).toBe(before + 1);
    // Another installation's delivery with the same id is its own.
    expect(await post({ ...first, installation: { id: 'inst-2', subAccountId: 'sa-2', config: {} } })).toMatchObject({ status: 200, json: { veto: false } });
    expect(runs).toBe(before + 2);
  });

  it('runs a failed delivery again on retry, with the attempt number', async () => {
    const crash = request({ event: { call, contact, body: 'crash' } });
    expect((await post(crash)).status).toBe(500);
    expect((await post({ ...crash, attempt: 2, event: { call, contact, body: 'fine' } })).status).toBe(200);
    expect(seen.filter((entry) => entry.deliveryId === crash.deliveryId)).toEqual([
      { deliveryId: crash.deliveryId, attempt: 1 },
      { deliveryId: crash.deliveryId, attempt: 2 },
    ]);
  });

  it('refuses a body over the limit with 413 and anything but POST with 405', async () => {
    const big = JSON.stringify(request({ event: { call, contact, body: 'x'.repeat(1024 * 1024) } }));
    expect(await post(big)).toMatchObject({ status: 413, json: { error: 'the body is larger than 1048576 bytes' } });
    const get = await fetch(server.url);
    expect(get.status).toBe(405);
  });

  it('forgets kept answers after their time, and keeps at most the configured number', async () => {
    let clock = Date.now();
    const small = await servePlugin(plugin, { secret, now: () => clock, dedupe: { maxEntries: 2, ttlMs: 60_000 } });
    try {
      const deliver = async (body: Record<string, unknown>) => {
        const raw = JSON.stringify(body);
        const response = await fetch(small.url, {
          method: 'POST',
          headers: { 'x-mctb-signature': signWebhook(secret, raw, Math.floor(clock / 1000)), 'idempotency-key': String(body.deliveryId) },
          body: raw,
        });
        return response.headers.get('idempotent-replayed');
      };
      const [one, two, three] = [request(), request(), request()];
      expect(await deliver(one)).toBeNull();
      expect(await deliver(one)).toBe('true');
      clock += 61_000;
      expect(await deliver(one)).toBeNull();
      await deliver(two);
      await deliver(three);
      // One is the oldest of three: it made room.
      expect(await deliver(three)).toBe('true');
      expect(await deliver(one)).toBeNull();
    } finally {
      await small.close();
    }
  });
});

describe('runPluginMain', () => {
  it('serves on HOST:PORT with the secret from the environment and prints its URL as a JSON line', async () => {
    const out: string[] = [];
    const result = await runPluginMain(plugin, { secretVariable: 'WIRE_SECRET', argv: [], env: { WIRE_SECRET: secret, PORT: '0' }, out: (line) => out.push(line), handleSignals: false });
    expect(result.exitCode).toBe(0);
    try {
      const { url } = JSON.parse(out[0]!) as { url: string };
      expect(url).toBe(result.running!.url);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401);
    } finally {
      await result.running?.close();
    }
  });

  it('prints the manifest to publish, and refuses a missing secret or a bad command line with exit code 2', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line), handleSignals: false };
    expect((await runPluginMain(plugin, { secretVariable: 'WIRE_SECRET', argv: ['--print-manifest', 'https://plugins.example.com/wire'], env: {}, ...io })).exitCode).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({
      id: 'wire-test',
      runtime: { kind: 'remote', url: 'https://plugins.example.com/wire' },
      hooks: { 'textback.beforeSend': { timeoutMs: 300, failurePolicy: 'open', retries: 0 }, 'textback.sent': { timeoutMs: 5000, retries: 3 } },
      steps: { tag: { timeoutMs: 200, retries: 2 } },
    });
    expect((await runPluginMain(plugin, { secretVariable: 'WIRE_SECRET', argv: ['--print-manifest', 'ftp://x'], env: {}, ...io })).exitCode).toBe(2);
    expect(err.pop()).toBe('plugin "wire-test": runtime.url: must be an http(s) URL');
    expect((await runPluginMain(plugin, { secretVariable: 'WIRE_SECRET', argv: [], env: {}, ...io })).exitCode).toBe(2);
    expect(err.pop()).toMatch(/^wire-test: WIRE_SECRET is not set/);
    expect((await runPluginMain(plugin, { secretVariable: 'WIRE_SECRET', argv: ['--port', '1'], env: {}, ...io })).exitCode).toBe(2);
    expect((await runPluginMain(plugin, { secretVariable: 'WIRE_SECRET', argv: [], env: { WIRE_SECRET: 's', PORT: 'eighty' }, ...io })).exitCode).toBe(2);
    expect(err.pop()).toBe('wire-test: PORT must be a port number (0 takes a free one), got "eighty"');
  });
});
