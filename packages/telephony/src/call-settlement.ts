import { CallStore, type CallRecord, type Orm, type OutcomeReport } from '@mctb/db';
import { classifyCallerId, intakeVerdictFor, type CallOutcome } from '@mctb/domain';
import type { Logger } from '@mctb/service-kit';
import type { PluginVerdict } from '@mctb/workflows';
import { withDeadline } from './deadline.js';
import type { TextBackPort } from './text-back-port.js';

export interface CallReport {
  callSid: string;
  from: string;
  to: string;
}

export interface CallSettlementDeps {
  orm: Orm;
  textBack: TextBackPort;
  log: Logger;
  /** Longest a webhook waits for PostgreSQL or Temporal before falling back. */
  deadlineMs: number;
  now: () => Date;
}

/**
 * The one writer of a call's outcome and intake decision, and the one place that tells the text-back
 * workflows about calls. Used by the gateway's webhooks and by the sweeper that re-drives what a
 * crash or an outage left behind, so both act exactly alike.
 */
export class CallSettlement {
  /** Intake's statements on the calls table. */
  readonly calls: CallStore;

  constructor(private readonly deps: CallSettlementDeps) {
    this.calls = new CallStore(deps.orm);
  }

  /** The stored call (stored now if the ring never was); null when PostgreSQL could not be reached in time. */
  async store(subAccountId: string, report: CallReport): Promise<CallRecord | null> {
    return this.attempt('store the call', report.callSid, () => this.calls.findOrRecord(report.callSid, () => this.incoming(subAccountId, report)));
  }

  /** Stores a ringing call once per CallSid, without reading it back; false when PostgreSQL could not be reached. */
  async record(subAccountId: string, report: CallReport): Promise<boolean> {
    const done = await this.attempt('store the call', report.callSid, async () => {
      await this.calls.recordIncoming(this.incoming(subAccountId, report));
      return true;
    });
    return done === true;
  }

  private incoming(subAccountId: string, report: CallReport) {
    const callerId = classifyCallerId(report.from);
    return {
      subAccountId,
      callSid: report.callSid,
      fromRaw: report.from,
      callerPhone: callerId.kind === 'textable' ? callerId.e164 : null,
      untextableReason: callerId.kind === 'untextable' ? callerId.reason : null,
      toNumber: report.to,
      startedAt: this.deps.now(),
    };
  }

  /**
   * Records an outcome and delivers the signal it calls for. When PostgreSQL is unavailable the
   * missed call is handed to its text-back workflow with every fact we have, so Temporal keeps it
   * until the workflow can store it. Returns the outcome the call now has.
   */
  async settle(subAccountId: string, report: CallReport, outcome: OutcomeReport, stored: CallRecord | null): Promise<CallOutcome> {
    const recorded = await this.attempt('record the outcome', report.callSid, async () => (await this.calls.recordOutcome(report.callSid, outcome, stored ?? undefined)).call);
    if (recorded) {
      await this.act(recorded);
      return recorded.outcome ?? outcome.outcome;
    }
    await this.handOverUnstored(subAccountId, report, outcome, stored?.startedAt ?? null);
    return outcome.outcome;
  }

  /**
   * Delivers the signal a settled call's decision calls for, once: a missed call starts or joins
   * the caller's text-back; an answer cancels a pending one. Undelivered, it stays due for the sweeper.
   */
  async act(call: CallRecord): Promise<void> {
    if (call.outcome === null || call.signalledAt !== null || call.callerPhone === null) return;
    const { callSid, callerPhone } = call;
    const subAccountId = call.subAccount.id;
    // Calls stored before intake recorded its decisions have none: decide now, as intake would have.
    const decision = call.intakeDecision ?? intakeVerdictFor({ outcome: call.outcome, callerTextable: true, untextableReason: null, ringSeconds: call.ringSeconds }).decision;
    const delivered = await this.attempt('signal the text-back workflow', callSid, async () => {
      if (decision === 'text_back') {
        await this.deps.textBack.missedCall(subAccountId, callerPhone, {
          callSid,
          outcome: call.outcome!,
          at: this.deps.now().getTime(),
          ...(call.handedToPlugin !== null ? { handedToPlugin: call.handedToPlugin } : {}),
        });
      } else if (call.outcome === 'answered') {
        await this.deps.textBack.callAnswered(subAccountId, callerPhone, callSid);
      }
      return true;
    });
    if (delivered) await this.attempt('mark the call signalled', callSid, () => this.calls.markSignalled(callSid));
  }

  /**
   * Tells the caller's text-back what the plugin the call was handed to learned (its agent answered,
   * or the caller left first); the run's first text waits for it. Throws when Temporal can't be
   * reached in time, so the plugin's service is told to retry.
   */
  async pluginVerdict(call: CallRecord, verdict: Omit<PluginVerdict, 'callSid'>): Promise<void> {
    const { callerPhone } = call;
    if (callerPhone === null) return;
    await withDeadline('signal the plugin verdict', this.deps.deadlineMs, () =>
      this.deps.textBack.pluginVerdict(call.subAccount.id, callerPhone, { callSid: call.callSid, ...verdict }),
    );
  }

  private async handOverUnstored(subAccountId: string, report: CallReport, outcome: OutcomeReport, startedAt: Date | null): Promise<void> {
    const callerId = classifyCallerId(report.from);
    if (callerId.kind !== 'textable') return;
    const verdict = intakeVerdictFor({ outcome: outcome.outcome, callerTextable: true, untextableReason: null, ringSeconds: outcome.ringSeconds ?? null });
    await this.attempt('hand the unstored call to its workflow', report.callSid, async () => {
      if (verdict.decision === 'text_back') {
        const at = this.deps.now().getTime();
        await this.deps.textBack.missedCall(subAccountId, callerId.e164, {
          callSid: report.callSid,
          outcome: outcome.outcome,
          at,
          ...(outcome.handedToPlugin !== undefined ? { handedToPlugin: outcome.handedToPlugin } : {}),
          unstored: {
            fromRaw: report.from,
            toNumber: report.to,
            startedAt: startedAt?.getTime() ?? at,
            source: outcome.source,
            ...(outcome.dialCallStatus !== undefined ? { dialCallStatus: outcome.dialCallStatus } : {}),
            ...(outcome.ringSeconds !== undefined ? { ringSeconds: outcome.ringSeconds } : {}),
            ...(outcome.connectedSeconds !== undefined ? { connectedSeconds: outcome.connectedSeconds } : {}),
            ...(outcome.detail !== undefined ? { detail: outcome.detail } : {}),
            ...(outcome.recordingUrl !== undefined ? { recordingUrl: outcome.recordingUrl } : {}),
          },
        });
      } else if (outcome.outcome === 'answered') {
        await this.deps.textBack.callAnswered(subAccountId, callerId.e164, report.callSid);
      }
      return true;
    });
  }

  /** Runs one step against a dependency within the deadline; logs and returns null when it fails. */
  private async attempt<T>(what: string, callSid: string, step: () => Promise<T>): Promise<T | null> {
    try {
      return await withDeadline(what, this.deps.deadlineMs, step);
    } catch (error) {
      this.deps.log.warn({ callSid, err: error }, `could not ${what}; continuing without it (the sweeper re-drives what is left)`);
      return null;
    }
  }
}
