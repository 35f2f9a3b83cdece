import { Call, type Orm } from '@mctb/db';
import { CALL_TIMEOUT, classifyProviderCall, type ProviderCall } from '@mctb/domain';
import { silentLogger, type Logger } from '@mctb/service-kit';
import type { CallSettlement } from './call-settlement.js';
import type { TextBackPort } from './text-back-port.js';

/** Asks the provider how a call went (Twilio's Calls API); throws when the provider can't be asked. */
export interface ProviderCallLookup {
  find(callSid: string): Promise<ProviderCall | null>;
}

export interface SweepThresholds {
  /** An outcome stored this long ago without its signal delivered is re-signalled. */
  unsignalledAfterSeconds: number;
  /** A text-back call signalled this long ago and still unsettled is re-driven. */
  unsettledAfterSeconds: number;
  /** A call with no outcome this long after its ring timeout is settled from the provider. */
  noOutcomeAfterSeconds: number;
  /** Calls looked at per kind per sweep. */
  limit: number;
  /**
   * How far the clocks of Temporal's server and of our services may disagree. A caller's open run
   * that started this long before a call was signalled has that call (and is waiting on it).
   */
  clockSkewSeconds: number;
}

export const DEFAULT_SWEEP_THRESHOLDS: SweepThresholds = {
  unsignalledAfterSeconds: 30,
  unsettledAfterSeconds: 120,
  noOutcomeAfterSeconds: 120,
  limit: 200,
  clockSkewSeconds: 5,
};

export interface SweepReport {
  /** Outcomes whose signal is delivered now. */
  resignalled: number;
  /** Text-backs handed to their workflow again (it had stopped, or was lost). */
  redriven: number;
  /** Calls without a dial result settled from the provider. */
  settledFromProvider: number;
}

/** Any number every worker agrees on: only the holder of this lock sweeps. */
const SWEEP_LOCK = 7_411_930_202;

/**
 * Re-drives what crashes and outages leave behind, so no missed call is lost: outcomes stored but
 * never signalled, text-backs whose workflow stopped before settling them, and calls whose dial
 * result never arrived. Every worker runs one; an advisory lock lets one sweep at a time.
 */
export class CallSweeper {
  private readonly log: Logger;
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      orm: Orm;
      settlement: CallSettlement;
      textBack: TextBackPort;
      providerCalls?: ProviderCallLookup;
      thresholds?: Partial<SweepThresholds>;
      /** Who sweeps (a worker's host and pid, say), as sweep_runs records it. */
      name?: string;
      log?: Logger;
      now?: () => Date;
    },
  ) {
    this.log = deps.log ?? silentLogger;
    this.now = deps.now ?? (() => new Date());
  }

  /**
   * One sweep; null when another worker is sweeping right now. Each sweep is recorded in
   * sweep_runs (who, from when to when by the database's clock while holding the lock, what it
   * re-drove) in the lock's own transaction; a week of them is kept.
   */
  async sweep(): Promise<SweepReport | null> {
    const thresholds = { ...DEFAULT_SWEEP_THRESHOLDS, ...this.deps.thresholds };
    return this.deps.orm.em.fork().transactional(async (em) => {
      const [lock] = await em.execute<{ locked: boolean; at: string }[]>(
        // As text, to keep the clock's microseconds (a Date has milliseconds).
        `select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as locked, clock_timestamp()::text as at`,
      );
      if (!lock?.locked) return null;
      const report: SweepReport = {
        resignalled: await this.resignal(thresholds),
        redriven: await this.redrive(thresholds),
        settledFromProvider: await this.settleFromProvider(thresholds),
      };
      await em.execute(
        `insert into sweep_runs (sweeper, started_at, finished_at, resignalled, redriven, settled_from_provider) values (?, ?::timestamptz, clock_timestamp(), ?, ?, ?)`,
        [this.deps.name ?? 'sweeper', lock.at, report.resignalled, report.redriven, report.settledFromProvider],
      );
      await em.execute(`delete from sweep_runs where started_at < now() - interval '7 days'`);
      return report;
    });
  }

  private ago(seconds: number): Date {
    return new Date(this.now().getTime() - seconds * 1000);
  }

  private async resignal(t: SweepThresholds): Promise<number> {
    const calls = await this.deps.orm.em.fork().find(
      Call,
      { outcome: { $ne: null }, signalledAt: null, endedAt: { $lt: this.ago(t.unsignalledAfterSeconds) } },
      { orderBy: { endedAt: 'asc' }, limit: t.limit },
    );
    for (const call of calls) await this.deps.settlement.act(call);
    return calls.length;
  }

  private async redrive(t: SweepThresholds): Promise<number> {
    const em = this.deps.orm.em.fork();
    const now = this.now();
    const calls = await em.find(
      Call,
      {
        intakeDecision: 'text_back',
        textBackStatus: null,
        signalledAt: { $lt: this.ago(t.unsettledAfterSeconds) },
        $or: [{ sweepAfter: null }, { sweepAfter: { $lt: now } }],
      },
      { orderBy: { signalledAt: 'asc' }, limit: t.limit },
    );
    let redriven = 0;
    for (const call of calls) {
      if (call.callerPhone === null || call.outcome === null) continue;
      try {
        // The run that was open when the call was signalled got it, and if it is still open it is
        // waiting on it (a long delay, quiet hours): look again later without waking it. Re-driving
        // every such call cost a replay each, which thousands of waiting text-backs turned into a
        // constant load. Unsure (a run started about when the call came): re-drive, it's harmless.
        const openSince = await this.deps.textBack.openRunStartedAt(call.subAccount.id, call.callerPhone);
        const hasIt = openSince !== null && call.signalledAt !== null && openSince.getTime() <= call.signalledAt.getTime() - t.clockSkewSeconds * 1000;
        if (!hasIt) {
          // Joins the running workflow (which ignores a CallSid it has) or starts a new one for it.
          await this.deps.textBack.missedCall(call.subAccount.id, call.callerPhone, { callSid: call.callSid, outcome: call.outcome, at: now.getTime() });
          redriven += 1;
        }
      } catch (error) {
        this.log.warn({ callSid: call.callSid, err: error }, 'could not re-drive a text-back; trying again next sweep');
        continue;
      }
      // Back off: a long delay legitimately keeps a call unsettled for hours.
      const waited = now.getTime() - (call.signalledAt?.getTime() ?? now.getTime());
      const backoffMs = Math.min(60 * 60_000, Math.max(t.unsettledAfterSeconds * 1000, waited));
      await em.nativeUpdate(Call, { id: call.id }, { sweepAfter: new Date(now.getTime() + backoffMs) });
    }
    return redriven;
  }

  private async settleFromProvider(t: SweepThresholds): Promise<number> {
    const em = this.deps.orm.em.fork();
    const now = this.now();
    const calls = await em.find(
      Call,
      {
        outcome: null,
        startedAt: { $lt: this.ago(CALL_TIMEOUT.max + t.noOutcomeAfterSeconds) },
        $or: [{ sweepAfter: null }, { sweepAfter: { $lt: now } }],
      },
      { orderBy: { startedAt: 'asc' }, limit: t.limit, populate: ['subAccount'] },
    );
    let settled = 0;
    for (const call of calls) {
      const later = (minutes: number) => em.nativeUpdate(Call, { id: call.id }, { sweepAfter: new Date(now.getTime() + minutes * 60_000) });
      const lookup = this.deps.providerCalls;
      if (!lookup) {
        this.log.warn({ callSid: call.callSid }, 'a call has no outcome and no provider is configured to ask; looking again in an hour');
        await later(60);
        continue;
      }
      let found: ProviderCall | null;
      try {
        found = await lookup.find(call.callSid);
      } catch (error) {
        this.log.warn({ callSid: call.callSid, err: error }, 'could not ask the provider about a call without an outcome');
        await later(5);
        continue;
      }
      if (!found) {
        await later(60);
        continue;
      }
      const { subAccount } = call;
      const result = classifyProviderCall(found, {
        answeredBy: call.answeredBy,
        accepted: call.screenAcceptedAt !== null,
        screening: { pressOneToAccept: subAccount.pressOneToAccept, machineDetection: subAccount.machineDetection, minAnsweredSeconds: subAccount.minAnsweredSeconds },
      });
      if (!result.ended) {
        await later(5);
        continue;
      }
      await this.deps.settlement.settle(
        subAccount.id,
        { callSid: call.callSid, from: call.fromRaw, to: call.toNumber },
        {
          outcome: result.outcome,
          source: 'sweeper',
          detail: result.detail,
          connectedSeconds: result.connectedSeconds,
          ...(result.ringSeconds !== null ? { ringSeconds: result.ringSeconds } : {}),
        },
        call,
      );
      settled += 1;
    }
    return settled;
  }
}
