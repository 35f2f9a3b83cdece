import type { MissedCall, PluginVerdict } from '@mctb/workflows';

/**
 * How call and text intake talk to the text-back workflows. Every method is idempotent: the
 * workflow counts a CallSid once, so repeating a signal (duplicate webhooks, sweeps) is safe.
 */
export interface TextBackPort {
  missedCall(subAccountId: string, callerPhone: string, call: MissedCall): Promise<void>;
  /** When the caller's open text-back run started; null when none is open. */
  openRunStartedAt(subAccountId: string, callerPhone: string): Promise<Date | null>;
  /** No-op when no text-back is running for the caller. */
  callAnswered(subAccountId: string, callerPhone: string, callSid: string): Promise<void>;
  /** The plugin a call was handed to (Voice AI) gave its verdict; no-op when no text-back is running for the caller. */
  pluginVerdict(subAccountId: string, callerPhone: string, verdict: PluginVerdict): Promise<void>;
  callerTexted(subAccountId: string, callerPhone: string, messageSid: string): Promise<void>;
  optedOut(subAccountId: string, callerPhone: string): Promise<void>;
  /** Starts the sub-account's `message.received` automation for a text (once per MessageSid). */
  messageReceived(subAccountId: string, contactPhone: string, message: { messageSid: string; to: string }): Promise<void>;
}
