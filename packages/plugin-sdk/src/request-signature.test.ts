import { describe, expect, it } from 'vitest';
import { newSigningSecret, signWebhook, verifyWebhookSignature } from './request-signature.js';

describe('webhook signatures', () => {
  const secret = newSigningSecret();
  const body = JSON.stringify({ id: 'run-1/crm', type: 'automation.webhook', contact: { phone: '+15125550123' } });
  const now = Date.UTC(2026, 11, 2, 10, 0, 0);
  const t = now / 1000;

  it('verifies what was signed, within the tolerance', () => {
    const header = signWebhook(secret, body, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret, header, body, now })).toEqual({ ok: true, timestamp: t });
    expect(verifyWebhookSignature({ secret, header, body, now: now + 299_000 })).toMatchObject({ ok: true });
  });

  it('fails a tampered body, another secret, or a tampered timestamp', () => {
    const header = signWebhook(secret, body, t);
    expect(verifyWebhookSignature({ secret, header, body: body.replace('+15125550123', '+15125550999'), now })).toEqual({
      ok: false,
      reason: 'the signature does not match the body',
    });
    expect(verifyWebhookSignature({ secret: newSigningSecret(), header, body, now })).toMatchObject({ ok: false });
    expect(verifyWebhookSignature({ secret, header: header.replace(`t=${t}`, `t=${t + 1}`), body, now })).toMatchObject({ ok: false });
  });

  it('fails an old timestamp (a replay) and one far in the future', () => {
    expect(verifyWebhookSignature({ secret, header: signWebhook(secret, body, t - 301), body, now })).toEqual({
      ok: false,
      reason: "the signature's timestamp is 301s away from now (more than 300s)",
    });
    expect(verifyWebhookSignature({ secret, header: signWebhook(secret, body, t + 301), body, now })).toMatchObject({ ok: false });
    expect(verifyWebhookSignature({ secret, header: signWebhook(secret, body, t - 3600), body, now, toleranceSeconds: 7200 })).toMatchObject({ ok: true });
  });

  it('fails a missing or malformed header', () => {
    expect(verifyWebhookSignature({ secret, header: undefined, body, now })).toEqual({ ok: false, reason: 'no signature header' });
    expect(verifyWebhookSignature({ secret, header: 'v1=abc', body, now })).toEqual({ ok: false, reason: 'malformed signature header' });
    expect(verifyWebhookSignature({ secret, header: `t=${t}`, body, now })).toEqual({ ok: false, reason: 'malformed signature header' });
    expect(verifyWebhookSignature({ secret, header: `t=${t},v1=zz`, body, now })).toMatchObject({ ok: false });
  });

  it('accepts any of several v1 signatures (a receiver rotating secrets)', () => {
    const old = signWebhook('whsec_old', body, t).split(',')[1];
    const header = `${signWebhook(secret, body, t)},${old}`;
    expect(verifyWebhookSignature({ secret: 'whsec_old', header, body, now })).toMatchObject({ ok: true });
    expect(verifyWebhookSignature({ secret, header, body, now })).toMatchObject({ ok: true });
  });
});
