import { intakeVerdictFor, refineOutcome, type AnsweredBy, type CallOutcome, type TextBackStatus, type UntextableCallerReason } from '@mctb/domain';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { driverQuery, toDate, type DriverQuery } from './driver.js';
import type { IntakeDecision } from './entities/call.js';

/** A call as intake reads and writes it (the Call entity has the same shape). */
export interface CallRecord {
  id: string;
  subAccount: { id: string };
  callSid: string;
  fromRaw: string;
  callerPhone: string | null;
  untextableReason: UntextableCallerReason | null;
  toNumber: string;
  outcome: CallOutcome | null;
  outcomeSource: string | null;
  dialCallStatus: string | null;
  ringSeconds: number | null;
  recordingUrl: string | null;
  outcomeDetail: string | null;
  connectedSeconds: number | null;
  answeredBy: AnsweredBy | null;
  screenAcceptedAt: Date | null;
  intakeDecision: IntakeDecision | null;
  intakeReason: string | null;
  signalledAt: Date | null;
  /** The plugin intake handed the unanswered caller to (e.g. "voice-ai"), or null. */
  handedToPlugin: string | null;
  textBackStatus: Exclude<TextBackStatus, 'pending'> | null;
  textBackReason: string | null;
  startedAt: Date;
  endedAt: Date | null;
}

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
  /** "dial", "recording", "status", "sweeper" or "plugin:<id>". */
  source: string;
  dialCallStatus?: string;
  ringSeconds?: number;
  recordingUrl?: string;
  /** Why a connected forward is not an answer (see classifyForwardedLeg). */
  detail?: string | null;
  connectedSeconds?: number | null;
  /** Intake handed the unanswered caller to this plugin (Voice AI's agent) instead of voicemail. */
  handedToPlugin?: string;
  endedAt?: Date;
}

export interface OutcomeChange {
  call: CallRecord;
  previous: CallOutcome | null;
  /** True when this report set or refined the outcome; false when it repeated or lost to an earlier one. */
  changed: boolean;
}

/**
 * Call intake's statements (store a call once, record its outcome, mark it signalled, note what the
 * forwarded leg reported), written as plain SQL on the ORM's own connection pool: they run for every
 * webhook, where building queries through the ORM costs more than running them. The one writer of a
 * call's outcome and intake decision.
 */
export class CallStore {
  private readonly query: DriverQuery;
  /**
   * Told once per outcome this store set or refined: each is one conditional row update, so a
   * repeated report or a lost race tells nothing. The services' Prometheus counters listen here.
   */
  onOutcomeChange: ((change: { outcome: CallOutcome; previous: CallOutcome | null }) => void) | null = null;

  constructor(orm: MikroORM) {
    this.query = driverQuery(orm.em);
  }

  /** The stored call, or null. */
  async find(callSid: string): Promise<CallRecord | null> {
    const [row] = await this.query(`select ${CALL_COLUMNS} from calls where call_sid = $1`, [callSid]);
    return row ? toRecord(row) : null;
  }

  /** Stores a ringing call once per CallSid, in one statement, without reading it back. */
  async recordIncoming(call: IncomingCall): Promise<void> {
    await this.query(`${INSERT_CALL} on conflict (call_sid) do nothing`, insertValues(call));
  }

  /** The stored call, stored now if it wasn't: one read when it exists (the usual case after the ring). */
  async findOrRecord(callSid: string, incoming: () => IncomingCall): Promise<CallRecord> {
    const found = await this.find(callSid);
    if (found) return found;
    const [inserted] = await this.query(`${INSERT_CALL} on conflict (call_sid) do nothing returning ${CALL_COLUMNS}`, insertValues(incoming()));
    if (inserted) return toRecord(inserted);
    // Another webhook stored it between our read and our insert.
    const stored = await this.find(callSid);
    if (!stored) throw new Error(`call ${callSid} was neither found nor stored`);
    return stored;
  }

  /**
   * Applies an outcome report: the first report sets the outcome; later ones may only refine it
   * (domain rules), so concurrent or repeated webhooks settle on one. The intake decision (domain:
   * intakeVerdictFor) is stored with the outcome it was made for. Optimistic: the update applies only
   * if the outcome is still the one it was decided from, else the call is read again. A repeat that
   * changes nothing costs one read (none when the caller passes the call it just read).
   */
  async recordOutcome(callSid: string, report: OutcomeReport, current?: CallRecord): Promise<OutcomeChange> {
    let call = current ?? (await this.require(callSid));
    for (let attempt = 1; ; attempt += 1) {
      const previous = call.outcome;
      const next = refineOutcome(previous, report.outcome);
      if (next === previous) return { call, previous, changed: false };
      const changes = outcomeChanges(call, next, report);
      const columns = Object.entries(changes);
      const [updated] = await this.query(
        `update calls set ${columns.map(([column], i) => `${column} = $${i + 3}`).join(', ')}
          where call_sid = $1 and outcome is not distinct from $2 returning ${CALL_COLUMNS}`,
        [callSid, previous, ...columns.map(([, value]) => value)],
      );
      if (updated) {
        this.onOutcomeChange?.({ outcome: next, previous });
        return { call: toRecord(updated), previous, changed: true };
      }
      // Another report for this call won the race: decide again from what it stored.
      if (attempt >= 5) throw new Error(`the outcome of call ${callSid} kept changing while it was recorded`);
      call = await this.require(callSid);
    }
  }

  /** The signal intake's decision called for was delivered. */
  async markSignalled(callSid: string): Promise<void> {
    await this.query('update calls set signalled_at = now() where call_sid = $1 and signalled_at is null', [callSid]);
  }

  /** What the forwarded leg told us while it rang: the machine-detection verdict, a pressed 1. */
  async recordScreening(callSid: string, facts: { answeredBy?: AnsweredBy; acceptedAt?: Date }): Promise<boolean> {
    const [row] = await this.query(
      `update calls set answered_by = coalesce($2, answered_by), screen_accepted_at = coalesce($3, screen_accepted_at)
        where call_sid = $1 returning id`,
      [callSid, facts.answeredBy ?? null, facts.acceptedAt ?? null],
    );
    return row !== undefined;
  }

  private async require(callSid: string): Promise<CallRecord> {
    const call = await this.find(callSid);
    if (!call) throw new Error(`call ${callSid} is not stored`);
    return call;
  }

}

/** The columns a CallRecord is read from (named, not `*`: the statements are prepared; see driverQuery). */
const CALL_COLUMNS = `id, sub_account_id, call_sid, from_raw, caller_phone, untextable_reason, to_number, outcome, outcome_source,
  dial_call_status, ring_seconds, recording_url, outcome_detail, connected_seconds, answered_by, screen_accepted_at,
  intake_decision, intake_reason, signalled_at, handed_to_plugin, text_back_status, text_back_reason, started_at, ended_at`;

const INSERT_CALL = `insert into calls (id, sub_account_id, call_sid, from_raw, caller_phone, untextable_reason, to_number, started_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8)`;

function insertValues(call: IncomingCall): unknown[] {
  return [randomUUID(), call.subAccountId, call.callSid, call.fromRaw, call.callerPhone, call.untextableReason, call.toNumber, call.startedAt];
}

/** The columns an outcome report changes, with the intake decision for the new outcome. */
function outcomeChanges(call: CallRecord, outcome: CallOutcome, report: OutcomeReport): Record<string, unknown> {
  const ringSeconds = report.ringSeconds !== undefined ? report.ringSeconds : call.ringSeconds;
  const verdict = intakeVerdictFor({ outcome, callerTextable: call.callerPhone !== null, untextableReason: call.untextableReason, ringSeconds });
  return {
    outcome,
    outcome_source: report.source,
    ...(report.dialCallStatus !== undefined ? { dial_call_status: report.dialCallStatus } : {}),
    ...(report.ringSeconds !== undefined ? { ring_seconds: report.ringSeconds } : {}),
    ...(report.recordingUrl !== undefined ? { recording_url: report.recordingUrl } : {}),
    ...(report.detail !== undefined ? { outcome_detail: report.detail } : {}),
    ...(report.connectedSeconds !== undefined ? { connected_seconds: report.connectedSeconds } : {}),
    ...(report.handedToPlugin !== undefined ? { handed_to_plugin: report.handedToPlugin } : {}),
    ended_at: report.endedAt ?? call.endedAt ?? new Date(),
    intake_decision: verdict.decision,
    intake_reason: verdict.reason,
    // A new signal is due; or none is, and there is nothing left for the sweeper to re-drive.
    signalled_at: verdict.signalDue ? null : (call.signalledAt ?? new Date()),
  };
}

function toRecord(row: Record<string, unknown>): CallRecord {
  return {
    id: row.id as string,
    subAccount: { id: row.sub_account_id as string },
    callSid: row.call_sid as string,
    fromRaw: row.from_raw as string,
    callerPhone: row.caller_phone as string | null,
    untextableReason: row.untextable_reason as UntextableCallerReason | null,
    toNumber: row.to_number as string,
    outcome: row.outcome as CallOutcome | null,
    outcomeSource: row.outcome_source as string | null,
    dialCallStatus: row.dial_call_status as string | null,
    ringSeconds: row.ring_seconds as number | null,
    recordingUrl: row.recording_url as string | null,
    outcomeDetail: row.outcome_detail as string | null,
    connectedSeconds: row.connected_seconds as number | null,
    answeredBy: row.answered_by as AnsweredBy | null,
    screenAcceptedAt: toDate(row.screen_accepted_at),
    intakeDecision: row.intake_decision as IntakeDecision | null,
    intakeReason: row.intake_reason as string | null,
    signalledAt: toDate(row.signalled_at),
    handedToPlugin: row.handed_to_plugin as string | null,
    textBackStatus: row.text_back_status as CallRecord['textBackStatus'],
    textBackReason: row.text_back_reason as string | null,
    startedAt: toDate(row.started_at)!,
    endedAt: toDate(row.ended_at),
  };
}
