import { startWebhookReceiver, type WebhookReceiver } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '@mctb/plugin-sdk';
import { MAX_RESPONSE_BYTES, postWebhook, WebhookRefusedError } from './webhook-http.js';

describe('webhook HTTP delivery', () => {
  let receiver: WebhookReceiver;
  const post = (url: string, allowPrivateNetworks: boolean, timeoutMs = 5_000) =>
    postWebhook(url, '{"hello":"world"}', { headers: { 'Idempotency-Key': 'run-1/crm' }, timeoutMs, allowPrivateNetworks });

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.stop();
  });

  it('knows private, loopback and link-local addresses from public ones', () => {
    for (const address of ['10.1.2.3', '127.0.0.1', '127.8.8.8', '169.254.169.254', '172.16.0.1', '192.168.1.1', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fd12::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect([address, isPrivateAddress(address)]).toEqual([address, true]);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111']) {
      expect([address, isPrivateAddress(address)]).toEqual([address, false]);
    }
  });

  it.each(['http://10.0.0.1/hook', 'http://127.0.0.1:9/hook', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/hook', 'http://[::ffff:127.0.0.1]:9/hook'])(
    'refuses %s when private networks are not allowed, without connecting',
    async (url) => {
      await expect(post(url, false)).rejects.toThrow(WebhookRefusedError);
    },
  );

  it('refuses a name that resolves to loopback (checked by the connection\'s own lookup)', async () => {
    const error = await post(`http://localhost:${new URL(receiver.url).port}/named`, false).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WebhookRefusedError);
    expect((error as Error).message).toMatch(/^localhost \((127\.0\.0\.1|::1)\) is a private, loopback or link-local address/);
    expect(receiver.requests('/named')).toEqual([]);
  });

  it('refuses URLs that are not http(s) or carry credentials', async () => {
    await expect(post('ftp://example.com/hook', true)).rejects.toThrow(WebhookRefusedError);
    await expect(post('http://user:secret@127.0.0.1/hook', true)).rejects.toThrow(/credentials/);
  });

  it('posts to a private address when allowed, and reports the status and latency', async () => {
    receiver.answerNext('/ok', { status: 202, body: 'queued' });
    const response = await post(`${receiver.url}/ok`, true);
    expect(response).toMatchObject({ status: 202, body: 'queued', truncated: false });
    expect(response.latencyMs).toBeGreaterThanOrEqual(0);
    const [request] = receiver.requests('/ok');
    expect(request).toMatchObject({ method: 'POST', body: '{"hello":"world"}' });
    expect(request!.headers).toMatchObject({ 'idempotency-key': 'run-1/crm', 'content-type': 'application/json' });
  });

  it('reads at most 64 KiB of the answer', async () => {
    receiver.answerNext('/big', { status: 500, body: 'x'.repeat(5 * 1024 * 1024) });
    const response = await post(`${receiver.url}/big`, true);
    expect(response).toMatchObject({ status: 500, truncated: true });
    expect(response.body.length).toBe(MAX_RESPONSE_BYTES);
  });

  it('does not follow redirects', async () => {
    receiver.answerNext('/moved', { status: 302, body: '' });
    expect(await post(`${receiver.url}/moved`, true)).toMatchObject({ status: 302 });
  });

  it('gives up on a receiver slower than the timeout', async () => {
    receiver.answerNext('/slow', { status: 200, delayMs: 2_000 });
    await expect(post(`${receiver.url}/slow`, true, 200)).rejects.toThrow('no complete answer within 200 ms');
  });
});
