import type {
  AcceptThenFailMode,
  FakeAccount,
  FakeIncomingNumber,
  FakeCall,
  DeliverableStatus,
  FakeFault,
  FakeMessage,
  FakeOperation,
  FakeRequest,
} from './types.js';
import { nowToTheSecond } from './format.js';

export type PendingFault =
  | { kind: 'fail'; fault: FakeFault }
  | { kind: 'hang' }
  | { kind: 'accept-then-fail'; mode: AcceptThenFailMode };

function copyMessage(message: FakeMessage): FakeMessage {
  return {
    ...message,
    dateCreated: new Date(message.dateCreated),
    dateUpdated: new Date(message.dateUpdated),
    dateSent: message.dateSent && new Date(message.dateSent),
  };
}

function positiveCount(times: number): number {
  if (!Number.isInteger(times) || times < 1) throw new Error(`times must be a positive integer, got ${times}`);
  return times;
}

/**
 * Everything the fake Twilio knows: accounts, their numbers, messages, requests seen, opt-outs,
 * senders, injected faults.
 */
export class FakeTwilioState {
  readonly #accounts = new Map<string, FakeAccount>();
  readonly #numbers: FakeIncomingNumber[] = [];
  readonly #messages: FakeMessage[] = [];
  readonly #calls: FakeCall[] = [];
  readonly #requests: FakeRequest[] = [];
  readonly #optedOut = new Set<string>();
  #smsCapable: Set<string> | undefined;
  readonly #faults: Record<FakeOperation, PendingFault[]> = { create: [], fetch: [], list: [] };
  readonly #hung = new Set<() => void>();

  constructor(private readonly onCreate?: (message: FakeMessage) => void) {}

  addAccount(account: FakeAccount): void {
    const known = this.#accounts.get(account.accountSid);
    if (known && known.authToken !== account.authToken) throw new Error(`fake Twilio already has account ${account.accountSid} with another token`);
    this.#accounts.set(account.accountSid, { ...account });
  }

  /** The account these Basic credentials authenticate, if any. */
  authenticate(accountSid: string, authToken: string): FakeAccount | undefined {
    const account = this.#accounts.get(accountSid);
    return account && account.authToken === authToken ? account : undefined;
  }

  findAccount(accountSid: string): FakeAccount | undefined {
    return this.#accounts.get(accountSid);
  }

  addIncomingNumber(number: FakeIncomingNumber): void {
    if (!this.#accounts.has(number.accountSid)) throw new Error(`fake Twilio has no account ${number.accountSid}; addAccount first`);
    if (this.#numbers.some((known) => known.phoneNumber === number.phoneNumber)) {
      throw new Error(`fake Twilio already has ${number.phoneNumber} in an account`);
    }
    this.#numbers.push(number);
  }

  /** The live records of one account (for the app), oldest first. */
  incomingNumbersOf(accountSid: string): FakeIncomingNumber[] {
    return this.#numbers.filter((number) => number.accountSid === accountSid);
  }

  /** Copies, for tests; every account's when none is named. */
  incomingNumbers(accountSid?: string): FakeIncomingNumber[] {
    return this.#numbers
      .filter((number) => accountSid === undefined || number.accountSid === accountSid)
      .map((number) => ({ ...number, capabilities: { ...number.capabilities }, dateCreated: new Date(number.dateCreated), dateUpdated: new Date(number.dateUpdated) }));
  }

  /**
   * May this account send from this number? Any From while the account holds no numbers (tests
   * that never seed any); otherwise only its own SMS-capable numbers, as at Twilio.
   */
  accountMaySendFrom(accountSid: string, from: string): boolean {
    const own = this.incomingNumbersOf(accountSid);
    return own.length === 0 || own.some((number) => number.phoneNumber === from && number.capabilities.sms);
  }

  messages(): FakeMessage[] {
    return this.#messages.map(copyMessage);
  }

  /** The live record (for the app); tests get copies through messages(). */
  findMessage(sid: string): FakeMessage | undefined {
    return this.#messages.find((message) => message.sid === sid);
  }

  /** Live records, newest first, as Twilio lists them. */
  newestFirst(): FakeMessage[] {
    return [...this.#messages].reverse();
  }

  addMessage(message: FakeMessage): void {
    this.#messages.push(message);
    this.onCreate?.(copyMessage(message));
  }

  setStatus(sid: string, status: DeliverableStatus, errorCode: number | null): FakeMessage {
    const message = this.findMessage(sid);
    if (!message) throw new Error(`fake Twilio has no message ${sid}`);
    message.status = status;
    message.errorCode = errorCode;
    message.dateUpdated = nowToTheSecond();
    return message;
  }

  addCall(call: FakeCall): void {
    this.#calls.push(call);
  }

  findCall(sid: string): FakeCall | undefined {
    return this.#calls.find((call) => call.sid === sid);
  }

  /** Calls, newest first, as Twilio lists them. */
  callsNewestFirst(): FakeCall[] {
    return [...this.#calls].reverse();
  }

  requests(): FakeRequest[] {
    return this.#requests.map((request) => ({ ...request, form: { ...request.form } }));
  }

  recordRequest(request: FakeRequest): void {
    this.#requests.push(request);
  }

  optOut(number: string): void {
    this.#optedOut.add(number);
  }

  optIn(number: string): void {
    this.#optedOut.delete(number);
  }

  isOptedOut(number: string): boolean {
    return this.#optedOut.has(number);
  }

  setSmsCapableNumbers(numbers: Iterable<string> | undefined): void {
    this.#smsCapable = numbers === undefined ? undefined : new Set(numbers);
  }

  /** True when no sender list is configured (any From is accepted) or the number is on it. */
  isSmsCapable(number: string): boolean {
    return this.#smsCapable === undefined || this.#smsCapable.has(number);
  }

  queueFault(operation: FakeOperation, fault: PendingFault, times: number): void {
    for (let i = positiveCount(times); i > 0; i -= 1) this.#faults[operation].push(fault);
  }

  peekFault(operation: FakeOperation): PendingFault | undefined {
    return this.#faults[operation][0];
  }

  takeFault(operation: FakeOperation): PendingFault | undefined {
    return this.#faults[operation].shift();
  }

  /** Never settles until releaseHung() (called when the server stops). */
  hang(): Promise<void> {
    return new Promise((resolve) => this.#hung.add(resolve));
  }

  releaseHung(): void {
    for (const release of this.#hung) release();
    this.#hung.clear();
  }

  /** Back to a fresh fake: no messages, numbers, requests, faults, opt-outs or sender list (accounts stay). */
  reset(): void {
    this.#numbers.length = 0;
    this.#messages.length = 0;
    this.#calls.length = 0;
    this.#requests.length = 0;
    for (const queue of Object.values(this.#faults)) queue.length = 0;
    this.#optedOut.clear();
    this.#smsCapable = undefined;
  }
}
