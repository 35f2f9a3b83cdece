/**
 * Lifecycle of an outbound text: "pending" is our send intent, stored before the provider is
 * called; the rest follow the provider's delivery reports. Inbound texts are "received".
 */
export const MESSAGE_STATUSES = [
  'pending',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'received',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** How far along a text is; a status only ever moves to a higher rank. */
export const MESSAGE_STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  pending: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  undelivered: 4,
  failed: 4,
  received: 4,
};

/** Delivery reports can arrive out of order; a status only ever moves forward. */
export function isStatusAdvance(from: MessageStatus, to: MessageStatus): boolean {
  return MESSAGE_STATUS_RANK[to] > MESSAGE_STATUS_RANK[from];
}

/** Maps a provider's status word (Twilio's vocabulary) to ours, or null when it means nothing to us. */
export function messageStatusFromProvider(status: string): MessageStatus | null {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
      return 'queued';
    case 'sending':
      return 'sending';
    case 'sent':
      return 'sent';
    case 'delivered':
    case 'read':
      return 'delivered';
    case 'undelivered':
      return 'undelivered';
    case 'failed':
    case 'canceled':
      return 'failed';
    default:
      return null;
  }
}

/** Where the text-back for one call stands; the reason is stored beside it. */
export const TEXT_BACK_STATUSES = ['pending', 'sent', 'skipped', 'failed'] as const;
export type TextBackStatus = (typeof TEXT_BACK_STATUSES)[number];

/**
 * Where a call's text-back stands as users see it: the text-back workflow's result once it has one,
 * else intake's decision (skipped with its reason, or pending); null while the call is in progress.
 */
export function textBackStandingOf(call: {
  intakeDecision: 'text_back' | 'skip' | null;
  intakeReason: string | null;
  textBackStatus: TextBackStatus | null;
  textBackReason: string | null;
}): { status: TextBackStatus | null; reason: string | null } {
  if (call.textBackStatus !== null) return { status: call.textBackStatus, reason: call.textBackReason };
  if (call.intakeDecision === 'skip') return { status: 'skipped', reason: call.intakeReason };
  if (call.intakeDecision === 'text_back') return { status: 'pending', reason: null };
  return { status: null, reason: null };
}
