/**
 * `npm run simulate-call -- --from +15125550123 [--outcome no-answer|busy|failed|completed] [--no-wait]`
 *
 * Plays Twilio's part for the demo: posts the webhooks of an inbound call that nobody answers to
 * the gateway, signed exactly as Twilio signs them, then waits for the text-back and prints it.
 */
import { stateDir } from '@mctb/devstack';
import { signTwilioRequest } from '@mctb/twilio-kit';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readDemoState } from './demo.js';

const { values } = parseArgs({
  options: {
    from: { type: 'string', default: '+15125550123' },
    outcome: { type: 'string', default: 'no-answer' },
    'no-wait': { type: 'boolean', default: false },
    'timeout-seconds': { type: 'string', default: '120' },
  },
});
const demo = await readDemoState(join(stateDir(), 'demo.json'));
if (!demo?.account || !demo.urls) {
  console.error('No demo found: start the platform first with `npm start`.');
  process.exit(1);
}
const { account, urls, twilio } = demo;
const callSid = `CA${randomBytes(16).toString('hex')}`;

async function webhook(path: string, params: Record<string, string>): Promise<string> {
  const url = `${urls.gateway}${path}`;
  const body = { AccountSid: twilio.accountSid, CallSid: callSid, From: values.from, To: account.twilioNumber, ...params };
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(twilio.authToken, url, body) },
    body: new URLSearchParams(body),
  });
  const text = await response.text();
  console.log(`POST ${path} → ${response.status}\n  ${text}`);
  if (!response.ok) process.exit(1);
  return text;
}

console.log(`Simulating a call from ${values.from} to ${account.subAccountName} (${account.twilioNumber}), CallSid ${callSid}\n`);
await webhook('/twilio/voice/incoming', { CallStatus: 'ringing', Direction: 'inbound' });
await webhook('/twilio/voice/dial-result', { CallStatus: 'in-progress', DialCallStatus: values.outcome });
if (values['no-wait'] || values.outcome === 'completed') process.exit(0);

const query = `query ($id: ID!) { subAccount(id: $id) { calls(first: 20) { callSid outcome textBackStatus textBackReason }
  messages(first: 20) { callSid body status } } }`;
console.log('\nWaiting for the text-back (the starter snapshot waits 60 s before texting)...');
const deadline = Date.now() + Number(values['timeout-seconds']) * 1000;
while (Date.now() < deadline) {
  const response = await fetch(`${urls.controlPlane}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${account.apiKey}` },
    body: JSON.stringify({ query, variables: { id: account.subAccountId } }),
  });
  const { data } = (await response.json()) as {
    data?: { subAccount: { calls: { callSid: string; outcome: string; textBackStatus: string | null; textBackReason: string | null }[]; messages: { callSid: string | null; body: string; status: string }[] } };
  };
  const call = data?.subAccount.calls.find((c) => c.callSid === callSid);
  if (call?.textBackStatus === 'SENT') {
    const text = data?.subAccount.messages.find((m) => m.callSid === callSid);
    console.log(`\nText-back sent to ${values.from} (${text?.status.toLowerCase()}):\n  "${text?.body}"`);
    process.exit(0);
  }
  if (call?.textBackStatus && call.textBackStatus !== 'PENDING') {
    console.log(`\nNo text: ${call.textBackStatus.toLowerCase()}: ${call.textBackReason ?? ''}`);
    process.exit(0);
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
}
console.error('No text-back within the timeout; check the worker log.');
process.exit(1);
