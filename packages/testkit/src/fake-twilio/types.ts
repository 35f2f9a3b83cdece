/** Statuses a message can have in the fake (a subset of Twilio's). */
export type FakeMessageStatus = 'accepted' | 'queued' | 'sent' | 'delivered' | 'undelivered' | 'failed';

/** Statuses a test can deliver to a message's StatusCallback. */
export type DeliverableStatus = 'sent' | 'delivered' | 'undelivered' | 'failed';

/** A message the fake created, as Twilio would hold it (plus the StatusCallback it was given). */
export interface FakeMessage {
  sid: string;
  accountSid: string;
  to: string;
  /** Null when sent through a Messaging Service without a From (Twilio picks the sender later). */
  from: string | null;
  body: string;
  statusCallback: string | null;
  messagingServiceSid: string | null;
  status: FakeMessageStatus;
  errorCode: number | null;
  numSegments: number;
  dateCreated: Date;
  dateUpdated: Date;
  /** When the fake "dispatched" it: right after creation (the create response still says null). */
  dateSent: Date | null;
}

/** A POST to the Messages list resource, as received (including the ones that were refused). */
export interface FakeRequest {
  method: string;
  path: string;
  form: Record<string, string>;
}

/** Which call of the Messages API a fault applies to. */
export type FakeOperation = 'create' | 'fetch' | 'list';

/** An error answer to inject instead of processing the request. */
export interface FakeFault {
  status: 429 | 500 | 503;
  /** Twilio error code in the body; defaults to 20429 / 20500 / 20503. */
  code?: number;
  message?: string;
  /** Defaults to 'create' (POST Messages.json). */
  operation?: FakeOperation;
}

/**
 * How a create that was accepted (message stored) fails towards the caller: an error status, a
 * dropped connection, or no answer at all (the caller's process can be killed meanwhile).
 */
export type AcceptThenFailMode = 'status-500' | 'drop-connection' | 'hang';

/** A voice call as Twilio's Calls API holds it; a `<Dial>` leg names its parent. */
export interface FakeCall {
  sid: string;
  accountSid: string;
  parentCallSid: string | null;
  from: string;
  to: string;
  /** queued, ringing, in-progress, completed, busy, failed, no-answer, canceled. */
  status: string;
  durationSeconds: number | null;
  /** Answering-machine detection's verdict on this leg, when it ran. */
  answeredBy: string | null;
  dateCreated: Date;
}

/** What a number can do, as Twilio's IncomingPhoneNumbers resource reports it. */
export interface FakeNumberCapabilities {
  voice: boolean;
  sms: boolean;
  mms: boolean;
  fax: boolean;
}

/** A number an account holds at Twilio (an IncomingPhoneNumber), with the URLs Twilio calls. */
export interface FakeIncomingNumber {
  sid: string;
  accountSid: string;
  phoneNumber: string;
  friendlyName: string;
  capabilities: FakeNumberCapabilities;
  voiceUrl: string | null;
  voiceMethod: string;
  voiceFallbackUrl: string | null;
  statusCallback: string | null;
  statusCallbackMethod: string;
  smsUrl: string | null;
  smsMethod: string;
  smsFallbackUrl: string | null;
  dateCreated: Date;
  dateUpdated: Date;
}

/** A Twilio account the fake knows: requests authenticate with its SID and token. */
export interface FakeAccount {
  accountSid: string;
  authToken: string;
  friendlyName: string;
}
