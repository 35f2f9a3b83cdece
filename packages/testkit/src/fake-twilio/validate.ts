import { twilioError, type TwilioErrorBody } from './errors.js';
import { isE164 } from './format.js';
import type { FakeTwilioState } from './state.js';

/** The create parameters the fake understands, once validated. */
export interface CreateMessageInput {
  to: string;
  from: string | null;
  body: string;
  statusCallback: string | null;
  messagingServiceSid: string | null;
}

const MAX_BODY_LENGTH = 1600;

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Checks a create request the way Twilio does, in Twilio's order; the first failure wins. */
export function validateCreate(
  form: Record<string, string>,
  state: FakeTwilioState,
  accountSid: string,
): { ok: true; input: CreateMessageInput } | { ok: false; error: TwilioErrorBody } {
  const fail = (code: number, message: string) => ({ ok: false as const, error: twilioError(400, code, message) });
  const to = form.To?.trim() ?? '';
  const from = form.From?.trim() || null;
  const messagingServiceSid = form.MessagingServiceSid?.trim() || null;
  const body = form.Body ?? '';
  const statusCallback = form.StatusCallback?.trim() || null;

  if (!to) return fail(21604, "A 'To' phone number is required.");
  if (!isE164(to)) return fail(21211, `Invalid 'To' Phone Number: ${to}`);
  if (!from && !messagingServiceSid) return fail(21603, "A 'From' phone number is required.");
  if (body.trim() === '') return fail(21602, 'Message body is required.');
  if (body.length > MAX_BODY_LENGTH) {
    return fail(21617, `The concatenated message body exceeds the ${MAX_BODY_LENGTH} character limit.`);
  }
  if (statusCallback && !isHttpUrl(statusCallback)) return fail(21609, `Invalid StatusCallback url: ${statusCallback}`);
  if (from && !(state.isSmsCapable(from) && state.accountMaySendFrom(accountSid, from))) {
    return fail(
      21606,
      `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
    );
  }
  if (state.isOptedOut(to)) return fail(21610, 'Attempt to send to unsubscribed recipient');
  return { ok: true, input: { to, from, body, statusCallback, messagingServiceSid } };
}
