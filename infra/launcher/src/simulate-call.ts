/**
 * `npm run simulate-call -- --from +15125550123 [--outcome no-answer|busy|failed|completed|carrier-voicemail] [--no-wait]`
 *
 * Plays Twilio's part for the demo: posts the webhooks of an inbound call that nobody answers to
 * the gateway, signed exactly as Twilio signs them and following the TwiML it answers (the dial
 * action, the whisper on the business's phone), then waits for the text-back and prints it.
 * `completed` is a person answering; `carrier-voicemail` is the owner's voicemail picking up,
 * which machine detection tells apart.
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
  const url = path.startsWith('http') ? path : `${urls.gateway}${path}`;
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
const attribute = (twiml: string, element: string, name: string) =>
  new RegExp(`<${element} [^>]*${name}="([^"]+)"`).exec(twiml)?.[1]?.replaceAll('&amp;', '&') ?? null;
const answered = values.outcome === 'completed' || values.outcome === 'carrier-voicemail';
const forwarded = await webhook('/twilio/voice/incoming', { CallStatus: 'ringing', Direction: 'inbound' });
const whisper = attribute(forwarded, 'Number', 'url');
if (answered && whisper) {
  // The business's phone was picked up: Twilio runs the whisper, with the machine-detection verdict.
  await webhook(whisper, { CallStatus: 'in-progress', AnsweredBy: values.outcome === 'completed' ? 'human' : 'machine_end_beep' });
}
const dialAction = attribute(forwarded, 'Dial', 'action') ?? '/twilio/voice/dial-result';
await webhook(dialAction, {
  CallStatus: 'in-progress',
  DialCallStatus: answered ? 'completed' : values.outcome,
  ...(answered ? { DialCallDuration: values.outcome === 'completed' ? '95' : '4' } : {}),
});
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
