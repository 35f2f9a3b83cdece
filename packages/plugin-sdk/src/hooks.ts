import type { CallOutcome } from '@mctb/domain';
import type { HookName } from './published-manifest.js';

/** What a plugin sees of a call. */
export interface CallView {
  callSid: string;
  subAccountId: string;
  /** The caller's number in E.164, or null when the caller ID was withheld. */
  from: string | null;
  to: string;
  outcome: CallOutcome | null;
  /** What reported the outcome: "dial", "recording", "status" or "plugin:<id>". */
  outcomeSource: string | null;
}

/**
 * What a plugin sees of a contact. Names and tags only with the "contacts:read" permission
 * (empty otherwise); the phone number is the caller's, which the call already shows.
 */
export interface ContactView {
  id: string;
  phone: string;
  firstName: string;
  lastName: string;
  tags: readonly string[];
}

export interface CallCompletedEvent {
  call: CallView;
}

export interface BeforeSendEvent {
  call: CallView;
  contact: ContactView;
  /** The rendered text about to go out. */
  body: string;
}

export interface TextSentEvent extends BeforeSendEvent {
  /** The platform's id of the message. */
  messageId: string;
  /** The provider's id of the message (Twilio's SM…), null when the provider gave none. */
  providerMessageId: string | null;
}

export interface MessageReceivedEvent {
  subAccountId: string;
  contact: ContactView;
  body: string;
  /** The provider's id of the inbound message. */
  messageSid: string;
  receivedAt: string;
}

export interface SubAccountProvisionedEvent {
  subAccountId: string;
  name: string;
  snapshot: { slug: string; version: number };
}

export type BeforeSendDecision = { veto: false } | { veto: true; reason: string };
export type CallCompletedDecision = { outcome?: CallOutcome };

/** Each hook's event, by name. */
export interface HookEvents {
  'call.completed': CallCompletedEvent;
  'textback.beforeSend': BeforeSendEvent;
  'textback.sent': TextSentEvent;
  'message.received': MessageReceivedEvent;
  'subaccount.provisioned': SubAccountProvisionedEvent;
}

/** Each hook's answer, by name. */
export interface HookAnswers {
  'call.completed': CallCompletedDecision | void;
  'textback.beforeSend': BeforeSendDecision;
  'textback.sent': void;
  'message.received': void;
  'subaccount.provisioned': void;
}

export interface HookContext<Config> {
  config: Config;
  /** Gives up when the host's time budget for the hook runs out. */
  signal: AbortSignal;
  /** The same on every attempt of one delivery: dedupe on it. */
  deliveryId: string;
  /** 1 on the first attempt. */
  attempt: number;
}

/** Hooks a plugin may implement (DESIGN §6); each runs inside a Temporal activity with a timeout. */
export type PluginHooks<Config> = {
  [H in HookName]?: (event: HookEvents[H], context: HookContext<Config>) => Promise<HookAnswers[H]>;
};

/** What a workflow step of a plugin is given. */
export interface StepInput {
  /** The step's `with:` settings from the snapshot, checked against the step's schema at import. */
  with: Record<string, unknown>;
  contact: ContactView;
  /** The missed call that started the run, when one did. */
  call: CallView | null;
  runId: string;
  stepId: string;
}

/** A step's result: `summary` is shown in the run's journal. A thrown StepFailure fails the step without retries. */
export interface StepResult {
  summary?: string;
  output?: Record<string, unknown>;
}

export type PluginStepHandler<Config> = (input: StepInput, context: HookContext<Config>) => Promise<StepResult | void>;

/** A failure that retrying will not fix (bad settings, a refused lookup): the step fails at once with this message. */
export class StepFailure extends Error {
  override name = 'StepFailure';
}
