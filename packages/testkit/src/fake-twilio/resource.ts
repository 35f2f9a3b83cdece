import { API_VERSION, rfc2822 } from './format.js';
import type { FakeMessage } from './types.js';

export function messagesPath(accountSid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/Messages`;
}

/**
 * The Message resource JSON, shaped like Twilio's. `asCreated` renders the answer to the create
 * call, where Twilio has not dispatched the message yet (date_sent null).
 */
export function messageResource(message: FakeMessage, options: { asCreated?: boolean } = {}) {
  const base = `${messagesPath(message.accountSid)}/${message.sid}`;
  const dateSent = options.asCreated ? null : message.dateSent;
  return {
    account_sid: message.accountSid,
    api_version: API_VERSION,
    body: message.body,
    date_created: rfc2822(message.dateCreated),
    date_sent: dateSent && rfc2822(dateSent),
    date_updated: rfc2822(message.dateUpdated),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: null,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: '0',
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    to: message.to,
    uri: `${base}.json`,
  };
}
