import type { CallOutcome } from './outcomes.js';

/** How a sub-account's text-back behaves; pinned into each workflow run when it starts (DESIGN §4). */
export interface TextBackPlan {
  enabled: boolean;
  /** Wait before texting, so the business can call back first. */
  delaySeconds: number;
  /** One text per contact per window; 0 means "every missed call" (calls inside one delay still collapse). */
  dedupWindowSeconds: number;
}

export const TEXT_BACK_LIMITS = {
  maxDelaySeconds: 24 * 60 * 60,
  maxDedupWindowSeconds: 30 * 24 * 60 * 60,
} as const;

export const DEFAULT_TEXT_BACK_PLAN: TextBackPlan = {
  enabled: true,
  delaySeconds: 60,
  dedupWindowSeconds: 24 * 60 * 60,
};

/** Incoming call timeout: carriers' voicemail may answer above 20 s and report the call as completed. */
export const CALL_TIMEOUT = { min: 5, max: 60, recommendedMin: 15, recommendedMax: 20, default: 18 } as const;

export type CallTimeoutCheck = { ok: true; warning: string | null } | { ok: false; reason: string };

/**
 * Above 20 s the carrier's voicemail may pick up the forwarded call and Twilio reports it completed,
 * so a longer ring is refused unless "press 1 to accept" screening tells a person from a mailbox.
 */
export function checkCallTimeout(seconds: number, screening: { pressOneToAccept: boolean }): CallTimeoutCheck {
  if (!Number.isInteger(seconds) || seconds < CALL_TIMEOUT.min || seconds > CALL_TIMEOUT.max) {
    return { ok: false, reason: `must be a whole number of seconds from ${CALL_TIMEOUT.min} to ${CALL_TIMEOUT.max}` };
  }
  if (seconds > CALL_TIMEOUT.recommendedMax && !screening.pressOneToAccept) {
    return {
      ok: false,
      reason: `${seconds}s is above ${CALL_TIMEOUT.recommendedMax}s: the carrier's voicemail may answer first and the missed call would count as answered; turn on call screening (press 1 to accept) to ring longer`,
    };
  }
  if (seconds < CALL_TIMEOUT.recommendedMin) {
    return { ok: true, warning: `incomingCallTimeout of ${seconds}s is below ${CALL_TIMEOUT.recommendedMin}s: the team may not have time to answer` };
  }
  return { ok: true, warning: null };
}

/** One text-back conversation per (sub-account, caller): the id makes signalWithStart dedupe for free. */
export function textBackWorkflowId(subAccountId: string, callerE164: string): string {
  return `textback/${subAccountId}/${callerE164}`;
}

/** The run a text from a contact starts (message.received): one per MessageSid, however often Twilio repeats the webhook. */
export function messageRunWorkflowId(subAccountId: string, messageSid: string): string {
  return `automation/message/${subAccountId}/${messageSid}`;
}

/** The run a tag added to a contact starts (contact.tagged); `eventKey` names what added it (a run's step). */
export function taggedRunWorkflowId(subAccountId: string, contactPhone: string, tag: string, eventKey: string): string {
  return `automation/tagged/${subAccountId}/${contactPhone}/${tag}/${eventKey}`;
}

/** Deterministic id of one send (DESIGN §4 "send intent"): the call that triggered it plus the step. */
export function sendIntentId(subAccountId: string, triggerCallSid: string, step: string): string {
  return `${subAccountId}/${triggerCallSid}/${step}`;
}

/** A window as people say it: "24h", "90m", "45s". */
export function formatWindow(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** A missed call from a caller, as intake signals it to the caller's text-back workflow. */
export interface MissedCall {
  callSid: string;
  outcome: CallOutcome;
  /** Epoch milliseconds when the gateway classified the call. */
  at: number;
  /**
   * Set when intake could not store the call (PostgreSQL was unavailable): the run stores these
   * facts before anything reads the call, so the missed call survives in Temporal meanwhile.
   */
  unstored?: UnstoredCall;
  /**
   * Intake handed the unanswered caller to this plugin (Voice AI's agent) instead of voicemail: the
   * run holds its first text about the call until the plugin's verdict, or a bound.
   */
  handedToPlugin?: string;
}

/** Everything intake knew of a missed call it could not store. */
export interface UnstoredCall {
  fromRaw: string;
  toNumber: string;
  /** Epoch milliseconds. */
  startedAt: number;
  source: string;
  dialCallStatus?: string;
  ringSeconds?: number;
  connectedSeconds?: number | null;
  detail?: string | null;
  recordingUrl?: string;
}


/** The task queue of text-back, automation and plugin-event workflows (the worker's main queue). */
export const TEXT_BACK_TASK_QUEUE = 'textback';

/** One workflow per plugin event: a retried announcement finds it started. */
export function pluginEventWorkflowId(subAccountId: string, hook: string, eventKey: string): string {
  return `plugin-event/${subAccountId}/${hook}/${eventKey}`;
}
