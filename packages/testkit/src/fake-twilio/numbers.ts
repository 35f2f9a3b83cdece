import { twilioError, type TwilioErrorBody } from './errors.js';
import { API_VERSION, rfc2822 } from './format.js';
import type { FakeIncomingNumber } from './types.js';

export function incomingNumbersPath(accountSid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/IncomingPhoneNumbers`;
}

/** The IncomingPhoneNumber resource JSON, shaped like Twilio's. */
export function incomingNumberResource(number: FakeIncomingNumber) {
  return {
    account_sid: number.accountSid,
    address_requirements: 'none',
    api_version: API_VERSION,
    beta: false,
    capabilities: { ...number.capabilities },
    date_created: rfc2822(number.dateCreated),
    date_updated: rfc2822(number.dateUpdated),
    friendly_name: number.friendlyName,
    origin: 'twilio',
    phone_number: number.phoneNumber,
    sid: number.sid,
    sms_application_sid: null,
    sms_fallback_method: 'POST',
    sms_fallback_url: number.smsFallbackUrl,
    sms_method: number.smsMethod,
    sms_url: number.smsUrl,
    status: 'in-use',
    status_callback: number.statusCallback,
    status_callback_method: number.statusCallbackMethod,
    trunk_sid: null,
    uri: `${incomingNumbersPath(number.accountSid)}/${number.sid}.json`,
    voice_application_sid: null,
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: number.voiceFallbackUrl,
    voice_method: number.voiceMethod,
    voice_url: number.voiceUrl,
  };
}

/**
 * One page of an account's numbers. Twilio's PhoneNumber filter is a pattern that may match part of
 * a number, so callers must still compare what comes back (this fake matches digits as a substring).
 */
export function incomingNumbersPage(accountSid: string, query: URLSearchParams, numbers: FakeIncomingNumber[]) {
  const pattern = (query.get('PhoneNumber') ?? '').replace(/\D/g, '');
  const friendlyName = query.get('FriendlyName');
  const pageSize = Math.min(Math.max(Number(query.get('PageSize') ?? '50') || 50, 1), 1000);
  const matching = numbers.filter(
    (number) => number.phoneNumber.replace(/\D/g, '').includes(pattern) && (friendlyName === null || number.friendlyName === friendlyName),
  );
  const uri = `${incomingNumbersPath(accountSid)}.json?${query.toString()}`;
  return {
    incoming_phone_numbers: matching.slice(0, pageSize).map(incomingNumberResource),
    end: Math.max(Math.min(matching.length, pageSize) - 1, 0),
    first_page_uri: uri,
    next_page_uri: null,
    page: 0,
    page_size: pageSize,
    previous_page_uri: null,
    start: 0,
    uri,
  };
}

const URL_PARAMS = {
  VoiceUrl: 'voiceUrl',
  VoiceFallbackUrl: 'voiceFallbackUrl',
  StatusCallback: 'statusCallback',
  SmsUrl: 'smsUrl',
  SmsFallbackUrl: 'smsFallbackUrl',
} as const;
const METHOD_PARAMS = { VoiceMethod: 'voiceMethod', StatusCallbackMethod: 'statusCallbackMethod', SmsMethod: 'smsMethod' } as const;

/** Applies an update form the way Twilio does: only the parameters given change; a bad one changes nothing. */
export function updateIncomingNumber(number: FakeIncomingNumber, form: Record<string, string>): TwilioErrorBody | undefined {
  const changes: Partial<FakeIncomingNumber> = {};
  for (const [param, field] of Object.entries(URL_PARAMS)) {
    const value = form[param];
    if (value === undefined) continue;
    if (value !== '' && !isHttpUrl(value)) return twilioError(400, 21402, `${param} is not valid: ${value}`);
    changes[field] = value === '' ? null : value;
  }
  for (const [param, field] of Object.entries(METHOD_PARAMS)) {
    const value = form[param]?.toUpperCase();
    if (value === undefined) continue;
    if (value !== 'GET' && value !== 'POST') return twilioError(400, 21403, `${param} must be GET or POST, got ${form[param]}`);
    changes[field] = value;
  }
  if (form.FriendlyName !== undefined) changes.friendlyName = form.FriendlyName;
  Object.assign(number, changes, { dateUpdated: new Date(Math.floor(Date.now() / 1000) * 1000) });
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
