import type { CallOutcome } from '@mctb/domain';

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

export interface ContactView {
  id: string;
  phone: string;
  firstName: string;
  lastName: string;
  tags: readonly string[];
}

export interface BeforeSendEvent {
  call: CallView;
  contact: ContactView;
  /** The rendered text about to go out. */
  body: string;
}

export type BeforeSendDecision = { veto: false } | { veto: true; reason: string };

export interface HookContext<Config> {
  config: Config;
  /** Gives up when the host's time budget for the hook runs out. */
  signal: AbortSignal;
}

/** Hooks a plugin may implement (DESIGN §6); each runs inside a Temporal activity with a timeout. */
export interface PluginHooks<Config> {
  'call.completed'?: (event: { call: CallView }, context: HookContext<Config>) => Promise<{ outcome?: CallOutcome } | void>;
  'textback.beforeSend'?: (event: BeforeSendEvent, context: HookContext<Config>) => Promise<BeforeSendDecision>;
  'textback.sent'?: (event: BeforeSendEvent & { messageId: string }, context: HookContext<Config>) => Promise<void>;
  'message.received'?: (event: { contact: ContactView; body: string }, context: HookContext<Config>) => Promise<void>;
  'subaccount.provisioned'?: (event: { subAccountId: string }, context: HookContext<Config>) => Promise<void>;
}

export type HookName = keyof PluginHooks<unknown>;
