import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { MissedCall as IntakeMissedCall } from '@mctb/domain';

export const TEXT_BACK_TASK_QUEUE = 'textback';

export type { UnstoredCall } from '@mctb/domain';

/** A missed call from a caller, as intake signals it to the caller's text-back workflow (a hand-off is answered by pluginVerdictSignal). */
export type MissedCall = IntakeMissedCall;

/** What the plugin a call was handed to learned: its agent answered, or the caller left before it did. */
export interface PluginVerdict {
  callSid: string;
  pluginId: string;
  verdict: 'answered' | 'caller_left';
  /** In the plugin's words, e.g. "the Voice AI agent answered the call". */
  note: string;
}

export interface TextBackInput {
  subAccountId: string;
  /** The caller, E.164; with the sub-account it names the workflow (textBackWorkflowId). */
  callerPhone: string;
  /** Calls that reached the previous run as it ended; they start this one. */
  carriedCalls?: MissedCall[];
}

/** A missed call from this caller (sent with signalWithStart, so the first one starts the run). */
export const missedCallSignal = defineSignal<[MissedCall]>('missedCall');
/** The caller called again and a human answered: a pending text is no longer needed. */
export const callAnsweredSignal = defineSignal<[{ callSid: string }]>('callAnswered');
/** The caller texted first: the conversation has started without us. */
export const callerTextedSignal = defineSignal<[{ messageSid: string }]>('callerTexted');
/** The caller opted out (STOP): cancel everything pending. */
export const optedOutSignal = defineSignal('optedOut');
/** A team member answered the caller by text: a person has taken over, the automation stops. */
export const teamRepliedSignal = defineSignal<[{ messageId: string }]>('teamReplied');
/** The plugin the call was handed to (Voice AI) gives its verdict; the run's first text about the call waits for it. */
export const pluginVerdictSignal = defineSignal<[PluginVerdict]>('pluginVerdict');

/**
 * `running`: an automation step other than the first delay or a send (see `currentStep`);
 * `awaiting_plugin`: the first text waits for the verdict of the plugin the call was handed to.
 */
export type TextBackPhase = 'starting' | 'delaying' | 'awaiting_plugin' | 'sending' | 'running' | 'dedup_window' | 'done';

export interface TextBackState {
  phase: TextBackPhase;
  triggerCallSid: string | null;
  /** Missed calls this run has seen, in order. */
  callSids: string[];
  cancelledBecause: string | null;
  sentMessageId: string | null;
  /** Epoch ms until which further missed calls are absorbed without a text. */
  dedupUntil: number | null;
  /** The automation run and the step it is on (absent from runs that began before the interpreter). */
  run?: { id: string; workflowKey: string; snapshot: { slug: string; version: number } } | null;
  currentStep?: string | null;
  /** While the first text waits for a plugin's verdict: which plugin, about which call, until when (epoch ms). */
  awaitingPlugin?: { pluginId: string; callSid: string; until: number } | null;
}

export const textBackStateQuery = defineQuery<TextBackState>('textBackState');
