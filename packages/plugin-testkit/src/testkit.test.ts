import { DeadlineExceeded, definePlugin, StepFailure, verifyWebhookSignature } from '@mctb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  beforeSendFixture,
  callCompletedFixture,
  callFixture,
  contactFixture,
  deliverWebhook,
  eventFixtures,
  fakeHost,
  InvalidConfigError,
  invokeHook,
  invokeStep,
  messageReceivedFixture,
  signedHeaders,
  startPluginServer,
  stepInputFixture,
  textSentFixture,
} from './index.js';

let handled = 0;

const plugin = definePlugin({
  manifest: {
    id: 'kit-test',
    name: 'Kit test',
    version: '0.2.0',
    description: '',
    author: 'mctb',
    permissions: ['calls:read', 'textback:veto', 'messages:read'],
    configSchema: z.strictObject({ quiet: z.array(z.string()).default([]) }),
    failurePolicy: 'open',
    hookPolicies: { 'call.completed': { timeoutMs: 150 } },
    steps: { greet: { description: 'Greets', configSchema: z.object({ name: z.string().optional() }), timeoutMs: 150 } },
  },
  hooks: {
    async 'textback.beforeSend'(event, { config }) {
      handled += 1;
      return config.quiet.includes(event.contact.phone) ? { veto: true, reason: `kit-test: ${event.contact.phone} asked for quiet` } : { veto: false };
    },
    async 'call.completed'(event, { signal }) {
      if (event.call.to === '+15125550000') await new Promise((resolve) => setTimeout(resolve, 1_000));
      if (event.call.to === '+15125550001') throw new RangeError('no such line');
      return signal.aborted ? {} : undefined;
    },
    async 'message.received'() {},
  },
  steps: {
    async greet(input) {
      if (input.with.name === '') throw new StepFailure('name is empty');
      return { summary: `hello ${String(input.with.name ?? input.contact.phone)}` };
    },
  },
  webhooks: {
    events: {
      callSidOf: (payload) => (payload as { callSid?: string }).callSid ?? null,
      authenticate: (request, _config, now) => verifyWebhookSignature({ secret: 'hook-secret', header: request.headers['x-mctb-signature'], body: request.rawBody, now: now.getTime() }).ok,
      async handle(payload, { call, host }) {
        const { callSid, other } = payload as { callSid: string; other?: string };
        await host.calls.reportOutcome(other ?? callSid, 'answered_by_ai', `the agent took ${call.callSid}`);
      },
    },
  },
});

describe('fixtures', () => {
  it('give the platform\'s events with overrides, the contact following the caller', () => {
    expect(callFixture({ from: null }).from).toBeNull();
    expect(contactFixture({ tags: ['vip'] })).toMatchObject({ phone: '+15125550123', tags: ['vip'] });
    const event = beforeSendFixture({ call: { from: '+19005550199' }, body: 'hi' });
    expect(event).toMatchObject({ call: { from: '+19005550199', to: '+15125550100', outcome: 'no_answer' }, contact: { phone: '+19005550199' }, body: 'hi' });
    expect(beforeSendFixture({ call: { from: '+19005550199' }, contact: { phone: '+15125550001' } }).contact.phone).toBe('+15125550001');
    expect(textSentFixture({ messageId: 'SM9' })).toMatchObject({ messageId: 'SM9', body: expect.any(String) });
    expect(messageReceivedFixture({ body: 'STOP', contact: { firstName: 'Ana' } })).toMatchObject({ body: 'STOP', contact: { firstName: 'Ana', phone: '+15125550123' } });
    expect(callCompletedFixture({ call: { outcome: 'voicemail' } }).call.outcome).toBe('voicemail');
    expect(Object.keys(eventFixtures)).toEqual(['call.completed', 'textback.beforeSend', 'textback.sent', 'message.received', 'subaccount.provisioned']);
    expect(stepInputFixture({ call: null, with: { a: 1 } })).toMatchObject({ call: null, with: { a: 1 }, contact: { phone: '+15125550123' } });
  });
});

describe('invokeHook and invokeStep', () => {
  it('run hooks with the config parsed by the plugin\'s schema and give the answer the platform sees', async () => {
    const event = beforeSendFixture({ call: { from: '+15125550999' } });
    expect(await invokeHook(plugin, 'textback.beforeSend', event, { config: { quiet: ['+15125550999'] } })).toEqual({
      veto: true,
      reason: 'kit-test: +15125550999 asked for quiet',
    });
    // The schema's default applies, as on the platform.
    expect(await invokeHook(plugin, 'textback.beforeSend', event)).toEqual({ veto: false });
    expect(await invokeHook(plugin, 'call.completed', callCompletedFixture())).toEqual({});
    expect(await invokeHook(plugin, 'message.received', messageReceivedFixture())).toEqual({});
  });

  it('reject a config the schema refuses, a hook the plugin lacks, a thrown error as thrown', async () => {
    const refused = invokeHook(plugin, 'textback.beforeSend', beforeSendFixture(), { config: { quiet: 'all' } });
    await expect(refused).rejects.toThrow(InvalidConfigError);
    await expect(refused).rejects.toMatchObject({ issues: [{ path: 'quiet', message: 'Invalid input: expected array, received string' }] });
    await expect(invokeHook(plugin, 'textback.sent', textSentFixture())).rejects.toThrow('plugin "kit-test" does not implement the hook "textback.sent"');
    await expect(invokeHook(plugin, 'call.completed', callCompletedFixture({ call: { to: '+15125550001' } }))).rejects.toThrow(RangeError);
  });

  it('reject at the declared deadline, as the platform stops waiting', async () => {
    const started = Date.now();
    const late = invokeHook(plugin, 'call.completed', callCompletedFixture({ call: { to: '+15125550000' } }));
    await expect(late).rejects.toThrow(DeadlineExceeded);
    await expect(late).rejects.toThrow('hook call.completed of plugin "kit-test" did not answer within 150 ms');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('run steps: the summary, and a StepFailure as a StepFailure', async () => {
    expect(await invokeStep(plugin, 'greet', stepInputFixture({ with: { name: 'Ana' } }))).toEqual({ summary: 'hello Ana' });
    await expect(invokeStep(plugin, 'greet', stepInputFixture({ with: { name: '' } }))).rejects.toThrow(new StepFailure('name is empty'));
    await expect(invokeStep(plugin, 'nope', stepInputFixture())).rejects.toThrow('plugin "kit-test" has no step "nope"');
  });
});

describe('startPluginServer', () => {
  it('delivers signed requests end to end; a retry gets the kept answer; bad signatures and replays are refused', async () => {
    const server = await startPluginServer(plugin);
    try {
      const event = beforeSendFixture({ call: { from: '+15125550999' } });
      const first = await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event, config: { quiet: ['+15125550999'] } });
      expect(first).toMatchObject({ status: 200, body: { veto: true, reason: 'kit-test: +15125550999 asked for quiet' }, replayed: false });
      const runs = handled;
      expect(await server.deliver({ ...first.sent, attempt: 2 })).toMatchObject({ status: 200, body: first.body, replayed: true });
      expect(handled).toBe(runs);

      expect(await server.deliver({ type: 'step', step: 'greet', input: stepInputFixture({ with: { name: 'Bo' } }) })).toMatchObject({ status: 200, body: { summary: 'hello Bo' } });
      expect(await server.deliver({ type: 'step', step: 'greet', input: stepInputFixture({ with: { name: '' } }) })).toMatchObject({ status: 422, body: { error: 'name is empty' } });
      expect((await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event }, { secret: 'whsec_wrong' })).status).toBe(401);
      expect((await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event }, { unsigned: true })).status).toBe(401);
      expect((await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event }, { now: Date.now() - 10 * 60_000 })).body.error).toMatch(/timestamp is 60\ds away/);
      expect((await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event }, { tamper: (body) => body.replace('+15125550999', '+15125550998') })).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it('signedHeaders signs as the platform does', () => {
    const headers = signedHeaders({ secret: 's', body: '{}', deliveryId: 'd-1', now: 1_700_000_000_000 });
    expect(headers).toMatchObject({ 'Idempotency-Key': 'd-1', 'content-type': 'application/json' });
    expect(verifyWebhookSignature({ secret: 's', header: headers['X-Mctb-Signature'], body: '{}', now: 1_700_000_000_000 })).toEqual({ ok: true, timestamp: 1_700_000_000 });
  });
});

describe('fakeHost and deliverWebhook', () => {
  it('record what a webhook reports, after the plugin authenticates the request', async () => {
    const host = fakeHost();
    const rawBody = JSON.stringify({ callSid: 'CA42' });
    const headers = { 'x-mctb-signature': signedHeaders({ secret: 'hook-secret', body: rawBody })['X-Mctb-Signature']! };
    expect(await deliverWebhook(plugin, 'events', { rawBody, headers, host })).toEqual({ kind: 'handled' });
    expect(host.reported).toEqual([{ callSid: 'CA42', outcome: 'answered_by_ai', note: 'the agent took CA42' }]);
    expect(await deliverWebhook(plugin, 'events', { rawBody, headers: {}, host })).toMatchObject({ kind: 'unauthorized' });
    const other = JSON.stringify({ callSid: 'CA42', other: 'CA43' });
    const signed = { 'x-mctb-signature': signedHeaders({ secret: 'hook-secret', body: other })['X-Mctb-Signature']! };
    expect(await deliverWebhook(plugin, 'events', { rawBody: other, headers: signed, host })).toEqual({ kind: 'bad_request', message: 'event for call CA42 cannot report on call CA43' });
    expect(host.reported).toHaveLength(1);
  });
});
