import type {
  AcceptThenFailMode,
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

/** Everything the fake Twilio knows: messages, requests seen, opt-outs, senders, injected faults. */
export class FakeTwilioState {
  readonly #messages: FakeMessage[] = [];
  readonly #calls: FakeCall[] = [];
  readonly #requests: FakeRequest[] = [];
  readonly #optedOut = new Set<string>();
  #smsCapable: Set<string> | undefined;
  readonly #faults: Record<FakeOperation, PendingFault[]> = { create: [], fetch: [], list: [] };
  readonly #hung = new Set<() => void>();

  constructor(private readonly onCreate?: (message: FakeMessage) => void) {}

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

  /** Back to a fresh fake: no messages, requests, faults, opt-outs or sender list. */
  reset(): void {
    this.#messages.length = 0;
    this.#calls.length = 0;
    this.#requests.length = 0;
    for (const queue of Object.values(this.#faults)) queue.length = 0;
    this.#optedOut.clear();
    this.#smsCapable = undefined;
  }
}
