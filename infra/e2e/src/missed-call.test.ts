import { repoRoot } from '@mctb/devstack';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboard } from './provision.js';
import { eventually, startStack, type Stack } from './stack.js';

const BUSINESS_NUMBER = '+15125550100';

interface CallRow {
  callSid: string;
  outcome: string | null;
  textBackStatus: string | null;
  textBackReason: string | null;
}
interface MessageRow {
  callSid: string | null;
  direction: string;
  to: string;
  body: string;
  status: string;
  providerMessageId: string | null;
}

describe('a missed call is texted back through every layer (separate processes)', () => {
  let stack: Stack;
  let subAccountId: string;
  const pids: number[] = [];

  beforeAll(async () => {
    stack = await startStack();
    pids.push(...stack.platform.pids());

    // The starter snapshot, with a 2 s delay so the test doesn't wait a minute.
    subAccountId = await onboard(stack, {
      name: 'Greenfield Plumbing',
      timeZone: 'America/Chicago',
      twilioNumber: BUSINESS_NUMBER,
      forwardingNumber: '+15125550199',
      snapshotYaml: (await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8')).replace(/delay: 60s/, 'delay: 2s'),
      customValues: { booking_link: 'https://book.example/greenfield' },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    // Nothing the platform started may outlive it.
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  const activity = async () =>
    (
      await stack.graphql<{ subAccount: { calls: CallRow[]; messages: MessageRow[] } }>(
        `query ($id: ID!) { subAccount(id: $id) {
          calls(first: 50) { callSid outcome textBackStatus textBackReason }
          messages(first: 50) { callSid direction to body status providerMessageId } } }`,
        { id: subAccountId },
      )
    ).subAccount;
  const ring = (callSid: string, from: string) => stack.webhook('/twilio/voice/incoming', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
  const noAnswer = (callSid: string, from: string) =>
    stack.webhook('/twilio/voice/dial-result', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, CallStatus: 'in-progress', DialCallStatus: 'no-answer' });
  const textedTo = (number: string) => stack.twilio.messages().filter((m) => m.to === number);
  const sentFor = (callSid: string) =>
    eventually(async () => {
      const call = (await activity()).calls.find((c) => c.callSid === callSid);
      expect(call).toMatchObject({ outcome: 'NO_ANSWER', textBackStatus: 'SENT' });
    });

  it('sends exactly one SMS with the rendered text for a no-answer call, and tracks its delivery', async () => {
    const caller = '+15125550201';
    expect((await ring('CA-e2e-1', caller)).status).toBe(200);
    expect((await noAnswer('CA-e2e-1', caller)).status).toBe(200);
    await sentFor('CA-e2e-1');

    const texts = textedTo(caller);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({
      from: BUSINESS_NUMBER,
      body: 'Hi there, sorry we missed your call at Greenfield Plumbing! How can we help? Book a time: https://book.example/greenfield - The team',
    });

    // Twilio reports delivery to the gateway (signed); the message shows it.
    expect((await stack.twilio.deliverStatus(texts[0]!.sid, 'delivered')).status).toBe(204);
    await eventually(async () => {
      const message = (await activity()).messages.find((m) => m.callSid === 'CA-e2e-1');
      expect(message).toMatchObject({ direction: 'OUTBOUND', to: caller, status: 'DELIVERED', providerMessageId: texts[0]!.sid });
    });
  });

  it('still sends one SMS when Twilio fires the same webhooks 5 times at once', async () => {
    const caller = '+15125550202';
    const rings = await Promise.all([1, 2, 3, 4, 5].map(() => ring('CA-e2e-dup', caller)));
    expect(rings.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => noAnswer('CA-e2e-dup', caller)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await sentFor('CA-e2e-dup');
    expect(textedTo(caller)).toHaveLength(1);
    expect((await activity()).calls.filter((c) => c.callSid === 'CA-e2e-dup')).toHaveLength(1);
  });

  it('answers a bad signature with 403 and stores nothing', async () => {
    const response = await stack.webhook(
      '/twilio/voice/incoming',
      { CallSid: 'CA-e2e-forged', From: '+15125550203', To: BUSINESS_NUMBER },
      { signature: 'bm90IGEgcmVhbCBzaWduYXR1cmU=' },
    );
    expect(response.status).toBe(403);
    const forged = await stack.webhook(
      '/twilio/voice/dial-result',
      { CallSid: 'CA-e2e-forged', From: '+15125550203', To: BUSINESS_NUMBER, DialCallStatus: 'no-answer' },
      { signature: 'bm90IGEgcmVhbCBzaWduYXR1cmU=' },
    );
    expect(forged.status).toBe(403);
    expect((await activity()).calls.map((c) => c.callSid)).not.toContain('CA-e2e-forged');
    expect(textedTo('+15125550203')).toHaveLength(0);
  });
});
