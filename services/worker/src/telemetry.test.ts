import { MetricsRegistry, createLogger } from '@mctb/service-kit';
import { ProviderUnavailableError, type OutboundSms, type SmsProvider } from '@mctb/sms';
import { correlationOf } from '@mctb/workflows';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { countTextBackOutcomes, instrumentProviders, reasonKind } from './telemetry.js';

const sms: OutboundSms = {
  intentId: 'textback/sub-1/+15125550123/CA1/text',
  from: '+15125550100',
  to: '+15125550123',
  body: 'Hi Sam, sorry we missed your call',
  statusCallbackUrl: null,
};

function capture() {
  const lines: string[] = [];
  const log = createLogger(
    'test',
    'debug',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  return { log, lines };
}

describe('provider requests are timed, counted and logged without the number or the text', () => {
  it('accepted, refused with a code, and failed transiently', async () => {
    const answers: (() => Promise<Awaited<ReturnType<SmsProvider['send']>>>)[] = [
      async () => ({ kind: 'accepted', providerMessageId: 'SM1', status: 'queued' }),
      async () => ({ kind: 'rejected', code: 21211, reason: "The 'To' number +15125550123 is not a valid phone number." }),
      async () => {
        throw new ProviderUnavailableError('twilio', 'HTTP 503 for +15125550123', 503);
      },
    ];
    const fake: SmsProvider = { name: 'twilio', send: () => answers.shift()!(), findAccepted: async () => null };
    const metrics = new MetricsRegistry();
    const { log, lines } = capture();
    const { twilio } = instrumentProviders({ twilio: fake }, { metrics, log });
    await twilio!.send(sms);
    await twilio!.send(sms);
    await expect(twilio!.send(sms)).rejects.toThrow(ProviderUnavailableError);
    await twilio!.findAccepted(sms, new Date());

    const text = metrics.render();
    expect(text).toContain('mctb_provider_request_duration_seconds_count{provider="twilio",operation="send",result="accepted"} 1');
    expect(text).toContain('mctb_provider_request_duration_seconds_count{provider="twilio",operation="send",result="rejected"} 1');
    expect(text).toContain('mctb_provider_request_duration_seconds_count{provider="twilio",operation="send",result="error"} 1');
    expect(text).toContain('mctb_provider_request_duration_seconds_count{provider="twilio",operation="find",result="not_found"} 1');
    expect(text).toContain('mctb_provider_errors_total{provider="twilio",operation="send",kind="rejected",code="21211"} 1');
    expect(text).toContain('mctb_provider_errors_total{provider="twilio",operation="send",kind="unavailable",code="503"} 1');
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain('5125550123');
      expect(line).not.toContain('sorry we missed');
    }
    expect(lines.join('')).toContain('…0123');
  });
});

describe('text-back outcomes by status and the kind of reason', () => {
  it('labels a reason by its words before the colon, and free text as other', () => {
    expect(reasonKind('dedup: already texted within the 24h window')).toBe('dedup');
    expect(reasonKind('not provisioned: no snapshot runs in this sub-account')).toBe('not provisioned');
    expect(reasonKind('the caller texted first')).toBe('other');
    expect(reasonKind(null)).toBe('none');
    const metrics = new MetricsRegistry();
    const count = countTextBackOutcomes(metrics);
    count('skipped', 'collapsed: one text answers the calls during the delay (call CA1)', 2);
    count('sent', null, 1);
    expect(metrics.render()).toContain('mctb_textback_outcomes_total{status="skipped",reason="collapsed"} 2');
    expect(metrics.render()).toContain('mctb_textback_outcomes_total{status="sent",reason="none"} 1');
  });
});

describe('correlationOf (the call and sub-account an input names)', () => {
  it('reads workflow, signal and activity inputs', () => {
    expect(correlationOf({ subAccountId: 's', callerPhone: '+15125550123' })).toEqual({ subAccountId: 's' });
    expect(correlationOf({ callSid: 'CA1', from: '+1' })).toEqual({ callSid: 'CA1' });
    expect(correlationOf({ subAccountId: 's', intentId: 'x', recordFor: 'CA2' })).toEqual({ subAccountId: 's', callSid: 'CA2' });
    expect(correlationOf({ open: { subAccountId: 's', trigger: { callSid: 'CA3' } } })).toEqual({ subAccountId: 's', callSid: 'CA3' });
    expect(correlationOf([{ subAccountId: 's' }])).toEqual({});
    expect(correlationOf(undefined)).toEqual({});
  });
});
