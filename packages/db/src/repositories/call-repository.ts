import { LockMode } from '@mikro-orm/core';
import { EntityRepository } from '@mikro-orm/postgresql';
import { intakeVerdictFor, refineOutcome, type AnsweredBy, type CallOutcome, type UntextableCallerReason } from '@mctb/domain';
import { randomUUID } from 'node:crypto';
import { Call } from '../entities/call.js';
import { insertOnce } from './insert-once.js';
import { newestPerSubAccount, type RecentPage } from './newest-per-sub-account.js';

export interface IncomingCall {
  subAccountId: string;
  callSid: string;
  fromRaw: string;
  callerPhone: string | null;
  untextableReason: UntextableCallerReason | null;
  toNumber: string;
  startedAt: Date;
}

export interface OutcomeReport {
  outcome: CallOutcome;
  /** "dial", "recording", "status" or "plugin:<id>". */
  source: string;
  dialCallStatus?: string;
  ringSeconds?: number;
  recordingUrl?: string;
  /** Why a connected forward is not an answer (see classifyForwardedLeg). */
  detail?: string | null;
  connectedSeconds?: number | null;
  endedAt?: Date;
}


export interface OutcomeChange {
  call: Call;
  previous: CallOutcome | null;
  /** True when this report set or refined the outcome; false when it repeated or lost to an earlier one. */
  changed: boolean;
}

export class CallRepository extends EntityRepository<Call> {
  /** Stores a call once per CallSid; repeats (retries, duplicate webhooks) return the stored row. */
  async recordIncoming(call: IncomingCall): Promise<{ call: Call; created: boolean }> {
    const em = this.getEntityManager();
    const { row, created } = await insertOnce(
      em,
      Call,
      `insert into calls (id, sub_account_id, call_sid, from_raw, caller_phone, untextable_reason, to_number, started_at)
       values (?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (call_sid) do nothing
       returning *`,
      [
        randomUUID(),
        call.subAccountId,
        call.callSid,
        call.fromRaw,
        call.callerPhone,
        call.untextableReason,
        call.toNumber,
        call.startedAt,
      ],
      () => this.findOneOrFail({ callSid: call.callSid }),
    );
    return { call: row, created };
  }

  /**
   * Applies an outcome report under a row lock, so concurrent or repeated webhooks for one call
   * settle on one outcome: the first report sets it; later ones may only refine it (domain rules).
   * The intake decision (domain: intakeVerdictFor) is stored with the outcome it was made for.
   */
  async recordOutcome(callSid: string, report: OutcomeReport): Promise<OutcomeChange> {
    return this.getEntityManager().transactional(async (em) => {
      const call = await em.findOneOrFail(Call, { callSid }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const previous = call.outcome;
      const next = refineOutcome(previous, report.outcome);
      if (next === previous) return { call, previous, changed: false };
      call.outcome = next;
      call.outcomeSource = report.source;
      if (report.dialCallStatus !== undefined) call.dialCallStatus = report.dialCallStatus;
      if (report.ringSeconds !== undefined) call.ringSeconds = report.ringSeconds;
      if (report.recordingUrl !== undefined) call.recordingUrl = report.recordingUrl;
      if (report.detail !== undefined) call.outcomeDetail = report.detail;
      if (report.connectedSeconds !== undefined) call.connectedSeconds = report.connectedSeconds;
      call.endedAt = report.endedAt ?? call.endedAt ?? new Date();
      const verdict = intakeVerdictFor({
        outcome: next,
        callerTextable: call.callerPhone !== null,
        untextableReason: call.untextableReason,
        ringSeconds: call.ringSeconds,
      });
      call.intakeDecision = verdict.decision;
      call.intakeReason = verdict.reason;
      // A new signal is due; or none is, and there is nothing left for the sweeper to re-drive.
      call.signalledAt = verdict.signalDue ? null : (call.signalledAt ?? new Date());
      return { call, previous, changed: true };
    });
  }

  /** The signal intake's decision called for was delivered. */
  async markSignalled(callSid: string): Promise<void> {
    await this.getEntityManager().nativeUpdate(Call, { callSid, signalledAt: null }, { signalledAt: new Date() });
  }

  /** What the forwarded leg told us while it rang: the machine-detection verdict, a pressed 1. */
  async recordScreening(callSid: string, facts: { answeredBy?: AnsweredBy; acceptedAt?: Date }): Promise<boolean> {
    const changes: Partial<Pick<Call, 'answeredBy' | 'screenAcceptedAt'>> = {};
    if (facts.answeredBy !== undefined) changes.answeredBy = facts.answeredBy;
    if (facts.acceptedAt !== undefined) changes.screenAcceptedAt = facts.acceptedAt;
    return (await this.getEntityManager().nativeUpdate(Call, { callSid }, changes)) > 0;
  }

  async findBySid(callSid: string): Promise<Call | null> {
    return this.findOne({ callSid });
  }

  /** Newest first for each sub-account given (one list per id, in order); see newestPerSubAccount. */
  async newestPerSubAccount(subAccountIds: readonly string[], page: RecentPage): Promise<Call[][]> {
    const em = this.getEntityManager();
    const groups = await newestPerSubAccount(em, 'calls', 'started_at', subAccountIds, page);
    return groups.map((rows) => rows.map((row) => em.map(Call, row)));
  }
}
