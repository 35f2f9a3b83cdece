import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postTwilioWebhook } from '../webhooks.js';
import { createFakeTwilioApp } from './app.js';
import { API_VERSION } from './format.js';
import { FakeTwilioState } from './state.js';
import { newSid, nowToTheSecond } from './format.js';
import type {
  AcceptThenFailMode,
  FakeAccount,
  FakeIncomingNumber,
  FakeNumberCapabilities,
  FakeCall,
  DeliverableStatus,
  FakeFault,
  FakeMessage,
  FakeOperation,
  FakeRequest,
} from './types.js';

export interface FakeTwilioOptions {
  accountSid: string;
  authToken: string;
  /** Defaults to a free port. */
  port?: number;
  /** Called the moment a message is accepted (benchmarks time the send by it). */
  onCreate?: (message: FakeMessage) => void;
}

/** A local server answering like Twilio's Messages API, plus the controls tests need. */
export interface FakeTwilio {
  /** Origin to hand to createTwilioClient({ apiBaseUrl }), e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Every message created, oldest first (copies). */
  messages(): FakeMessage[];
  /** Every POST to Messages.json received, refused ones included, oldest first. */
  requests(): FakeRequest[];
  /** The next `times` calls of `fault.operation` (default: create) answer with this error. */
  failNext(fault: FakeFault, times?: number): void;
  /** The next `times` calls get no answer at all, so the client's timeout fires. Nothing is created. */
  hangNext(times?: number, operation?: FakeOperation): void;
  /**
   * The crash window: the next `times` valid creates store the message (GET and list see it) but
   * the caller gets a 500 (default), a dropped connection, or no answer at all instead of the 201.
   */
  acceptThenFailNext(times?: number, mode?: AcceptThenFailMode): void;
  /** Sends to this number are refused with 21610 (the recipient texted STOP). */
  optOut(number: string): void;
  optIn(number: string): void;
  /** Only these From numbers may send (others get 21606); undefined accepts any From again. */
  setSmsCapableNumbers(numbers: Iterable<string> | undefined): void;
  /**
   * Moves a message to `status` and POSTs Twilio's signed status callback to its StatusCallback URL,
   * returning the receiver's response.
   */
  deliverStatus(sid: string, status: DeliverableStatus, errorCode?: number): Promise<Response>;
  /** Records a voice call (or a `<Dial>` leg, with parentCallSid) that the Calls API then reports. */
  addCall(call: Pick<FakeCall, 'sid' | 'status'> & Partial<FakeCall>): void;
  /**
   * Another account (an agency's own, or a subaccount): its requests authenticate with this SID and
   * token and see only its own resources. The account given at start is there already.
   */
  addAccount(account: { accountSid: string; authToken: string; friendlyName?: string }): void;
  /**
   * A number the account holds (default: the account given at start), voice and SMS capable unless
   * told otherwise, with no URLs set. Returns its PN… sid. Once an account holds numbers, it may
   * send texts only from its SMS-capable ones (21606 otherwise), as at Twilio.
   */
  addIncomingNumber(number: { phoneNumber: string; accountSid?: string; capabilities?: Partial<FakeNumberCapabilities>; friendlyName?: string }): string;
  /** The numbers an account holds (every account's when none is named), with their URLs (copies). */
  incomingNumbers(accountSid?: string): FakeIncomingNumber[];
  /** Forgets messages, calls, numbers, requests, faults, opt-outs and the sender list (accounts stay). */
  reset(): void;
  /** Closes the server and every connection, hung ones included. */
  stop(): Promise<void>;
}

export async function startFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  const { accountSid, authToken } = options;
  const state = new FakeTwilioState(options.onCreate);
  const app = createFakeTwilioApp(state, { accountSid, authToken });

  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: options.port ?? 0 }, () =>
      resolve(started as Server),
    ) as Server;
    started.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    authToken,
    messages: () => state.messages(),
    requests: () => state.requests(),
    failNext: (fault, times = 1) => state.queueFault(fault.operation ?? 'create', { kind: 'fail', fault }, times),
    hangNext: (times = 1, operation = 'create') => state.queueFault(operation, { kind: 'hang' }, times),
    acceptThenFailNext: (times = 1, mode = 'status-500') =>
      state.queueFault('create', { kind: 'accept-then-fail', mode }, times),
    optOut: (number) => state.optOut(number),
    optIn: (number) => state.optIn(number),
    setSmsCapableNumbers: (numbers) => state.setSmsCapableNumbers(numbers),
    reset: () => state.reset(),
    addAccount: (account) => state.addAccount({ friendlyName: `Account ${account.accountSid.slice(-4)}`, ...account } satisfies FakeAccount),
    addIncomingNumber(number) {
      const sid = newSid('PN');
      const now = nowToTheSecond();
      state.addIncomingNumber({
        sid,
        accountSid: number.accountSid ?? accountSid,
        phoneNumber: number.phoneNumber,
        friendlyName: number.friendlyName ?? number.phoneNumber,
        capabilities: { voice: true, sms: true, mms: true, fax: false, ...number.capabilities },
        voiceUrl: null,
        voiceMethod: 'POST',
        voiceFallbackUrl: null,
        statusCallback: null,
        statusCallbackMethod: 'POST',
        smsUrl: null,
        smsMethod: 'POST',
        smsFallbackUrl: null,
        dateCreated: now,
        dateUpdated: now,
      });
      return sid;
    },
    incomingNumbers: (owner) => state.incomingNumbers(owner),
    addCall: (call) =>
      state.addCall({
        accountSid,
        parentCallSid: null,
        from: '+15005550006',
        to: '+15005550001',
        durationSeconds: null,
        answeredBy: null,
        dateCreated: new Date(),
        ...call,
      }),

    async deliverStatus(sid, status, errorCode) {
      const known = state.findMessage(sid);
      if (!known) throw new Error(`fake Twilio has no message ${sid}`);
      if (!known.statusCallback) throw new Error(`message ${sid} was created without a StatusCallback`);
      const message = state.setStatus(sid, status, errorCode ?? null);
      const params: Record<string, string> = {
        AccountSid: message.accountSid,
        ApiVersion: API_VERSION,
        MessageSid: message.sid,
        MessageStatus: status,
        SmsSid: message.sid,
        SmsStatus: status,
        To: message.to,
      };
      if (message.from) params.From = message.from;
      if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
      if (errorCode !== undefined) params.ErrorCode = String(errorCode);
      // Twilio signs with the token of the account that sent the message.
      return postTwilioWebhook(known.statusCallback, params, { authToken: state.findAccount(message.accountSid)?.authToken ?? authToken });
    },

    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        state.releaseHung();
      });
      return stopped;
    },
  };
}
