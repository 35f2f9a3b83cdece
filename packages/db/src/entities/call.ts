import { EntitySchema, type EntityRepositoryType } from '@mikro-orm/core';
import { CallRepository } from '../repositories/call-repository.js';
import type { AnsweredBy, CallOutcome, TextBackStatus, UntextableCallerReason } from '@mctb/domain';
import { randomUUID } from 'node:crypto';
import { Contact } from './contact.js';
import { SubAccount } from './sub-account.js';

/** What call intake decided the outcome calls for: a text-back workflow, or nothing (with the reason). */
export type IntakeDecision = 'text_back' | 'skip';

/**
 * One inbound call, keyed by the provider's CallSid; it ends in exactly one outcome.
 *
 * One writer per column group: call intake (the gateway, and the sweeper acting as intake) owns the
 * outcome, the screening facts and the intake decision; the text-back workflow's activities alone
 * write textBackStatus/textBackReason; the sweeper alone writes sweepAfter.
 */
export class Call {
  declare [EntityRepositoryType]?: CallRepository;
  id: string = randomUUID();
  subAccount: SubAccount;
  callSid: string;
  /** The caller ID as the carrier reported it. */
  fromRaw: string;
  /** E.164 of the caller when it is textable; null for anonymous, restricted or invalid IDs. */
  callerPhone: string | null = null;
  /** Why the caller can't be texted, when callerPhone is null. */
  untextableReason: UntextableCallerReason | null = null;
  toNumber: string;
  contact: Contact | null = null;
  outcome: CallOutcome | null = null;
  /** What reported the outcome: "dial", "recording", "status" or "plugin:<id>". */
  outcomeSource: string | null = null;
  dialCallStatus: string | null = null;
  ringSeconds: number | null = null;
  recordingUrl: string | null = null;
  /** Why a forward that connected is not counted as answered (machine, not accepted, too short). */
  outcomeDetail: string | null = null;
  /** Seconds the forwarded leg was connected (DialCallDuration). */
  connectedSeconds: number | null = null;
  /** Answering-machine detection's verdict on the forwarded leg. */
  answeredBy: AnsweredBy | null = null;
  /** When the person who picked up the forwarded call pressed 1 (call screening). */
  screenAcceptedAt: Date | null = null;
  /** Intake's decision once the outcome is known; null while the call is in progress. */
  intakeDecision: IntakeDecision | null = null;
  intakeReason: string | null = null;
  /**
   * When intake delivered the signal its decision calls for (missed call, or "answered" to cancel a
   * pending text); set at once when none is due. Null with an outcome: the sweeper re-drives it.
   */
  signalledAt: Date | null = null;
  /**
   * The plugin intake handed the unanswered caller to (Voice AI's agent), written with the outcome;
   * the caller's text-back holds its first text until that plugin's verdict (or a bound).
   */
  handedToPlugin: string | null = null;
  /** Where the text-back stands, written by the text-back workflow only (null: not settled yet). */
  textBackStatus: Exclude<TextBackStatus, 'pending'> | null = null;
  textBackReason: string | null = null;
  /** The sweeper leaves the call alone until then (it backs off on calls it already looked at). */
  sweepAfter: Date | null = null;
  startedAt: Date;
  endedAt: Date | null = null;

  constructor(init: { subAccount: SubAccount; callSid: string; fromRaw: string; toNumber: string; startedAt: Date }) {
    this.subAccount = init.subAccount;
    this.callSid = init.callSid;
    this.fromRaw = init.fromRaw;
    this.toNumber = init.toNumber;
    this.startedAt = init.startedAt;
  }
}

export const CallSchema = new EntitySchema<Call>({
  class: Call,
  repository: () => CallRepository,
  tableName: 'calls',
  indexes: [
    { properties: ['subAccount', 'startedAt'] },
    // A contact's thread lists its calls.
    { properties: ['contact', 'startedAt'] },
    // The sweeper's three questions, each answered from a small partial index.
    { name: 'calls_unsignalled_idx', expression: 'create index "calls_unsignalled_idx" on "calls" ("ended_at") where "outcome" is not null and "signalled_at" is null' },
    { name: 'calls_unsettled_idx', expression: 'create index "calls_unsettled_idx" on "calls" ("signalled_at") where "intake_decision" = \'text_back\' and "text_back_status" is null' },
    { name: 'calls_no_outcome_idx', expression: 'create index "calls_no_outcome_idx" on "calls" ("started_at") where "outcome" is null' },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    subAccount: { kind: 'm:1', entity: () => SubAccount, deleteRule: 'cascade' },
    callSid: { type: 'text', unique: true },
    fromRaw: { type: 'text' },
    callerPhone: { type: 'text', nullable: true },
    untextableReason: { type: 'text', nullable: true },
    toNumber: { type: 'text' },
    contact: { kind: 'm:1', entity: () => Contact, nullable: true, deleteRule: 'set null' },
    outcome: { type: 'text', nullable: true },
    outcomeSource: { type: 'text', nullable: true },
    dialCallStatus: { type: 'text', nullable: true },
    ringSeconds: { type: 'integer', nullable: true },
    recordingUrl: { type: 'text', nullable: true },
    outcomeDetail: { type: 'text', nullable: true },
    connectedSeconds: { type: 'integer', nullable: true },
    answeredBy: { type: 'text', nullable: true },
    screenAcceptedAt: { type: 'datetime', nullable: true },
    intakeDecision: { type: 'text', nullable: true },
    intakeReason: { type: 'text', nullable: true },
    signalledAt: { type: 'datetime', nullable: true },
    handedToPlugin: { type: 'text', nullable: true },
    textBackStatus: { type: 'text', nullable: true },
    textBackReason: { type: 'text', nullable: true },
    sweepAfter: { type: 'datetime', nullable: true },
    startedAt: { type: 'datetime' },
    endedAt: { type: 'datetime', nullable: true },
  },
});
