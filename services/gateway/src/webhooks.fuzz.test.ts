import { Call, Message } from '@mctb/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BUSINESS_NUMBER, startGatewayHarness, type GatewayHarness } from './testing/harness.js';

const runs = inject('fuzzRuns');

/** Every field a 400 may name: the answer always says which one is wrong. */
const FIELDS = [
  'CallSid', 'To', 'From', 'Body', 'DialCallStatus', 'DialCallDuration', 'MessageSid', 'MessageStatus', 'CallStatus', 'ErrorCode',
  'AnsweredBy', 'Digits', 'RecordingUrl', 'RecordingDuration', 'parent', 'intent', 'AccountSid',
];

const ROUTES = [
  '/twilio/voice/incoming',
  '/twilio/voice/dial-result?accept=0&amd=1&min=0',
  '/twilio/voice/dial-result?accept=1&amd=0&min=5',
  '/twilio/voice/recording?missed=no_answer',
  '/twilio/voice/status',
  '/twilio/voice/screen?parent=CA-fuzz-parent&accept=1&amd=1&min=0',
  '/twilio/voice/screen-result?parent=CA-fuzz-parent',
  '/twilio/voice/machine-verdict?parent=CA-fuzz-parent',
  '/twilio/sms/incoming',
  '/twilio/sms/status?intent=fuzz%2Fintent',
];

/** Values that look like Twilio's, values Twilio never sends, and everything in between. */
const value = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('+15125550123', BUSINESS_NUMBER, 'anonymous', 'no-answer', 'completed', 'busy', 'canceled', 'machine_start', 'human', '1', 'STOP', 'YES', 'help', 'https://api.twilio.com/rec/RE1', '42') },
  { weight: 2, arbitrary: fc.stringMatching(/^(CA|SM)[0-9a-f]{8}$/) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 65, maxLength: 2_000 }) },
  { weight: 1, arbitrary: fc.constantFrom('\u0000', 'CA\u0000', '+1512555\u00000123', '\uD800', '\u202E', '\r\n') },
);
const fieldValue = fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) });
const params = fc.record(
  {
    CallSid: fieldValue,
    MessageSid: fieldValue,
    From: fieldValue,
    To: fc.oneof({ weight: 4, arbitrary: fc.constant(BUSINESS_NUMBER) }, { weight: 1, arbitrary: fieldValue }),
    DialCallStatus: fieldValue,
    DialCallDuration: fieldValue,
    CallStatus: fieldValue,
    Body: fieldValue,
    MessageStatus: fieldValue,
    ErrorCode: fieldValue,
    AnsweredBy: fieldValue,
    Digits: fieldValue,
    RecordingUrl: fieldValue,
    RecordingDuration: fieldValue,
    Extra: fieldValue,
  },
  { requiredKeys: [] },
);

describe('signed webhooks, fuzzed (fast-check)', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await startGatewayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('never answer 5xx; voice and messaging answers are TwiML; a 400 names the field and stores nothing', async () => {
    const stored = async () => {
      const em = h.orm.em.fork();
      return (await em.count(Call, {})) + (await em.count(Message, {}));
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), params, async (route, fields) => {
        const before = await stored();
        const response = await h.post(route, fields);
        const body = await response.text();
        expect([200, 204, 400, 404, 413], `${response.status} ${body}`).toContain(response.status);
        if (response.status === 200) expect(body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Response(\/>|>[\s\S]*<\/Response>)$/);
        if (response.status === 400) {
          const { error } = JSON.parse(body) as { error: string };
          expect(FIELDS.filter((field) => error.includes(field))).not.toEqual([]);
          // Nothing half-written: a refused request left no call or text behind.
          expect(await stored()).toBe(before);
        }
      }),
      { numRuns: runs },
    );
  }, 600_000);
});
