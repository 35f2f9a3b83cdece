import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parsePluginConfig, publishedManifestOf, StepFailure } from '@mctb/plugin-sdk';
import {
  beforeSendFixture,
  callCompletedFixture,
  InvalidConfigError,
  invokeHook,
  invokeStep,
  signedHeaders,
  startPluginServer,
  stepInputFixture,
} from '@mctb/plugin-testkit';
import { describe, expect, it } from 'vitest';
import { createSpamGuard, spamGuard } from './plugin.js';

const ROBOCALLER = '+15125550199';
const config = { blockedNumbers: [ROBOCALLER], blockedPrefixes: ['+1900', '+1900555'], allowNumbers: ['+19005550100'] };

describe('spam-guard config', () => {
  it('takes lists of E.164 numbers and prefixes, with clear messages for anything else', () => {
    expect(parsePluginConfig(spamGuard, config)).toMatchObject({ ok: true });
    expect(parsePluginConfig(spamGuard, { blockedNumbers: [] })).toEqual({ ok: true, config: { blockedNumbers: [], blockedPrefixes: [], allowNumbers: [] } });
    expect(parsePluginConfig(spamGuard, { blockedNumbers: ['512-555-0199'], blockedPrefixes: ['1900'], allowNumbers: [ROBOCALLER], block: true })).toEqual({
      ok: false,
      issues: [
        { path: 'blockedNumbers.0', message: 'must be a phone number in E.164 form, like +15125550199' },
        { path: 'blockedPrefixes.0', message: 'must be "+" and the first digits of the numbers to block, like +1900' },
        { path: '', message: 'unknown setting "block": spam-guard takes blockedNumbers, blockedPrefixes and allowNumbers' },
      ],
    });
    expect(parsePluginConfig(spamGuard, {})).toEqual({ ok: false, issues: [{ path: 'blockedNumbers', message: 'is required: the numbers to block (E.164; may be empty)' }] });
    expect(parsePluginConfig(spamGuard, { blockedNumbers: [ROBOCALLER], allowNumbers: [ROBOCALLER] })).toEqual({
      ok: false,
      issues: [{ path: 'allowNumbers.0', message: '+15125550199 is also in blockedNumbers: keep it in one list' }],
    });
  });
});

describe('textback.beforeSend', () => {
  it('vetoes a known robocaller and a blocked prefix with the reason, and lets everyone else be texted', async () => {
    const ask = (from: string | null) => invokeHook(spamGuard, 'textback.beforeSend', beforeSendFixture({ call: { from } }), { config });
    expect(await ask(ROBOCALLER)).toEqual({ veto: true, reason: 'spam-guard: +15125550199 is a known robocaller' });
    // The longest matching prefix is named.
    expect(await ask('+19005550123')).toEqual({ veto: true, reason: 'spam-guard: +19005550123 matches the blocked prefix +1900555' });
    expect(await ask('+19001230000')).toEqual({ veto: true, reason: 'spam-guard: +19001230000 matches the blocked prefix +1900' });
    expect(await ask('+19005550100')).toEqual({ veto: false });
    expect(await ask('+15125550123')).toEqual({ veto: false });
    expect(await ask(null)).toEqual({ veto: false });
  });

  it('is never installed with a config its schema refuses', async () => {
    await expect(invokeHook(spamGuard, 'textback.beforeSend', beforeSendFixture(), { config: { blockedNumbers: 'all' } })).rejects.toThrow(InvalidConfigError);
  });
});

describe('call.completed and score_caller', () => {
  it('leaves outcomes alone and scores bursts of calls from one caller', async () => {
    let clock = Date.UTC(2026, 11, 1, 15, 0, 0);
    const guard = createSpamGuard({ now: () => clock });
    const from = '+15125550123';
    const score = () => invokeStep(guard, 'score_caller', stepInputFixture({ call: { from } }), { config });
    expect(await score()).toEqual({ summary: 'score 0: no spam signals', output: { score: 0, threshold: 70, flagged: false, reasons: ['no spam signals'] } });
    for (let call = 0; call < 4; call += 1) {
      expect(await invokeHook(guard, 'call.completed', callCompletedFixture({ call: { from } }), { config })).toEqual({});
      clock += 60_000;
    }
    expect(await score()).toMatchObject({ summary: 'score 75: called 4 times in 10 min', output: { score: 75, flagged: true } });
    clock += 10 * 60_000;
    expect(await score()).toMatchObject({ summary: 'score 0: no spam signals' });
  });

  it('scores the lists, with the threshold from the step\'s settings', async () => {
    const step = (call: { from: string | null } | null, settings: Record<string, unknown> = {}) =>
      invokeStep(spamGuard, 'score_caller', stepInputFixture({ call, with: settings, contact: { phone: '+19001110001' } }), { config });
    expect(await step({ from: ROBOCALLER })).toEqual({
      summary: 'score 100: known robocaller',
      output: { score: 100, threshold: 70, flagged: true, reasons: ['known robocaller'] },
    });
    expect(await step({ from: '+19001234567' }, { threshold: 95 })).toEqual({
      summary: 'score 90: blocked prefix +1900',
      output: { score: 90, threshold: 95, flagged: false, reasons: ['blocked prefix +1900'] },
    });
    // A run no call started scores the contact's number.
    expect(await step(null)).toMatchObject({ summary: 'score 90: blocked prefix +1900' });
    expect(await step({ from: null })).toMatchObject({ summary: 'score 0: caller ID withheld' });
    expect(await step({ from: '+19005550100' })).toMatchObject({ summary: 'score 0: allowed number' });
  });

  it('fails the step at once on settings outside its schema', async () => {
    await expect(invokeStep(spamGuard, 'score_caller', stepInputFixture({ with: { threshold: 101, mode: 'x' } }), { config })).rejects.toThrow(
      new StepFailure('score_caller: with.threshold: must be 100 or less; with.(settings): Unrecognized key: "mode"'),
    );
  });
});

describe('spam-guard as a remote plugin', () => {
  it('publishes a remote manifest with its permissions, hook policies and step', () => {
    const manifest = publishedManifestOf(spamGuard, { kind: 'remote', url: 'https://spam-guard.example.com/' });
    expect(manifest).toMatchObject({
      id: 'spam-guard',
      permissions: ['calls:read', 'textback:veto'],
      runtime: { kind: 'remote', url: 'https://spam-guard.example.com/' },
      hooks: {
        'textback.beforeSend': { timeoutMs: 2000, failurePolicy: 'open', retries: 0 },
        'call.completed': { timeoutMs: 2000, failurePolicy: 'open', retries: 2 },
      },
      steps: { score_caller: { timeoutMs: 2000, retries: 1, configSchema: { type: 'object', properties: { threshold: { type: 'integer', minimum: 0, maximum: 100 } } } } },
    });
    expect(manifest.configSchema).toMatchObject({ required: ['blockedNumbers'], additionalProperties: false });
  });

  it('answers signed deliveries end to end: a veto, a retried delivery once, a step, and refuses a bad signature', async () => {
    const server = await startPluginServer(createSpamGuard());
    try {
      const veto = await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event: beforeSendFixture({ call: { from: ROBOCALLER } }), config });
      expect(veto).toMatchObject({ status: 200, body: { veto: true, reason: 'spam-guard: +15125550199 is a known robocaller' }, replayed: false });

      const from = '+15125550123';
      const completed = await server.deliver({ type: 'hook', hook: 'call.completed', event: callCompletedFixture({ call: { from } }), config });
      expect(completed).toMatchObject({ status: 200, body: {} });
      // The platform lost the answer and retries the same delivery: counted once.
      expect(await server.deliver({ ...completed.sent, attempt: 2 })).toMatchObject({ status: 200, replayed: true });
      await server.deliver({ type: 'hook', hook: 'call.completed', event: callCompletedFixture({ call: { from } }), config });
      const scored = await server.deliver({ type: 'step', step: 'score_caller', input: stepInputFixture({ call: { from } }), config });
      expect(scored).toMatchObject({ status: 200, body: { summary: 'score 25: called 2 times in 10 min' } });

      const refused = await server.deliver({ type: 'step', step: 'score_caller', input: stepInputFixture({ with: { threshold: 'high' } }), config });
      expect(refused).toMatchObject({ status: 422, body: { error: 'score_caller: with.threshold: must be a whole number from 0 to 100' } });
      expect((await server.deliver({ type: 'hook', hook: 'textback.beforeSend', event: beforeSendFixture(), config }, { secret: 'whsec_forged' })).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

  // The compiled program, as it is deployed (the build runs before the tests).
  it('runs as its own program: prints its URL, serves signed requests, prints its manifest', async () => {
    const secret = 'whsec_spam_guard_main_test';
    // eslint-disable-next-line no-restricted-properties -- the program's environment is what it reads its settings from
    const env = { ...process.env, SPAM_GUARD_SIGNING_SECRET: secret, PORT: '0' };
    const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
      const { url } = JSON.parse(line) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const body = JSON.stringify({
        protocol: 1,
        type: 'hook',
        hook: 'textback.beforeSend',
        deliveryId: 'main-1',
        attempt: 1,
        plugin: { id: 'spam-guard', version: '0.1.0' },
        installation: { id: 'inst-1', subAccountId: 'sa-1', config },
        event: beforeSendFixture({ call: { from: '+19005551234' } }),
      });
      const response = await fetch(url, { method: 'POST', headers: signedHeaders({ secret, body, deliveryId: 'main-1' }), body });
      expect(await response.json()).toEqual({ veto: true, reason: 'spam-guard: +19005551234 matches the blocked prefix +1900555' });
    } finally {
      child.kill('SIGTERM');
    }
    const printed = spawn(process.execPath, [main, '--print-manifest', 'https://spam-guard.example.com/'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    printed.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise((resolve) => printed.on('close', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual(publishedManifestOf(spamGuard, { kind: 'remote', url: 'https://spam-guard.example.com/' }));
  });
});
