import type { Orm } from '@mctb/db';
import {
  classifyEndedCall,
  classifyForwardedLeg,
  type AnsweredBy,
  type CallOutcome,
  type CallScreening,
  type DialCallStatus,
} from '@mctb/domain';
import { parsePluginConfig, type CallView, type PluginRegistry } from '@mctb/plugin-sdk';
import { silentLogger, type Logger } from '@mctb/service-kit';
import { CallSettlement, type CallReport } from './call-settlement.js';
import { withDeadline } from './deadline.js';
import { Routes, type Route } from './routes.js';
import type { TextBackPort } from './text-back-port.js';

export type { CallReport } from './call-settlement.js';

/** What the gateway should tell the carrier to do next. */
export type VoiceDecision =
  | { kind: 'unknown_number'; number: string }
  | { kind: 'forward'; forwardTo: string; timeoutSeconds: number; screening: CallScreening; businessName: string }
  /** Take a message; `missed` is the outcome the recording would confirm (null: we know nothing yet). */
  | { kind: 'voicemail'; businessName: string | null; missed: CallOutcome | null }
  | { kind: 'redirect'; url: string }
  | { kind: 'hangup' };

export interface DialResultReport extends CallReport {
  dialCallStatus: DialCallStatus;
  /** DialCallDuration: seconds the forwarded leg was connected. */
  connectedSeconds: number | null;
  /** How the forward was screened (the gateway carries it in the dial action URL). */
  screening: CallScreening;
}

export interface CallIntakeDeps {
  orm: Orm;
  textBack: TextBackPort;
  plugins: PluginRegistry;
  /** Number routing shared with text intake (one last-known cache per process). */
  routes?: Routes;
  log?: Logger;
  /** Longest a webhook waits for PostgreSQL or Temporal before falling back (default 4 s). */
  deadlineMs?: number;
  now?: () => Date;
}

/**
 * Turns the carrier's voice webhooks into one stored outcome per call and the text-back signals
 * that follow from it. Safe to repeat: storage is keyed by CallSid and the signals are idempotent.
 * When PostgreSQL or Temporal is down the caller is still forwarded or sent to voicemail, and what
 * could not be done is left for the sweeper (or kept in Temporal) instead of failing the webhook.
 */
export class CallIntake {
  readonly settlement: CallSettlement;
  private readonly routes: Routes;
  private readonly now: () => Date;
  private readonly log: Logger;
  private readonly deadlineMs: number;

  constructor(private readonly deps: CallIntakeDeps) {
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log ?? silentLogger;
    this.deadlineMs = deps.deadlineMs ?? 4_000;
    this.routes = deps.routes ?? new Routes({ orm: deps.orm, deadlineMs: this.deadlineMs });
    this.settlement = new CallSettlement({ orm: deps.orm, textBack: deps.textBack, log: this.log, deadlineMs: this.deadlineMs, now: this.now });
  }

  /** A call rings the business's number: store it, then forward it to the business. */
  async incoming(report: CallReport): Promise<VoiceDecision> {
    const routed = await this.routes.lookup(report.to);
    if (routed.kind === 'unknown') return { kind: 'unknown_number', number: report.to };
    if (routed.kind === 'unavailable') return this.unroutable(report, routed.error);
    const { route } = routed;
    await this.settlement.record(route.subAccountId, report);
    return { kind: 'forward', forwardTo: route.forwardingNumber, timeoutSeconds: route.ringTimeoutSeconds, screening: route.screening, businessName: route.businessName };
  }

  /** The forwarded leg ended (the `<Dial>` action): classify, signal, and route the caller on. */
  async dialResult(report: DialResultReport): Promise<VoiceDecision> {
    const routed = await this.routes.lookup(report.to);
    if (routed.kind === 'unknown') return { kind: 'unknown_number', number: report.to };
    if (routed.kind === 'unavailable') return this.unroutable(report, routed.error);
    const { route } = routed;
    const stored = await this.settlement.store(route.subAccountId, report);
    const { outcome, detail } = classifyForwardedLeg({
      dialCallStatus: report.dialCallStatus,
      connectedSeconds: report.connectedSeconds,
      answeredBy: stored?.answeredBy ?? null,
      accepted: stored?.screenAcceptedAt != null,
      screening: report.screening,
    });
    const ringSeconds = stored ? this.secondsSince(stored.startedAt) : undefined;
    // Decided before the outcome is stored: the hand-off is stored with it and travels in the
    // missed-call signal, so the caller's text-back waits for the plugin's verdict before texting.
    const handOff = hangsUp(outcome)
      ? null
      : this.voiceRouting(route, { callSid: report.callSid, subAccountId: route.subAccountId, from: stored?.callerPhone ?? null, to: report.to, outcome, outcomeSource: 'dial' });
    const settled = await this.settlement.settle(
      route.subAccountId,
      report,
      {
        outcome,
        source: 'dial',
        dialCallStatus: report.dialCallStatus,
        detail,
        connectedSeconds: report.connectedSeconds,
        ...(ringSeconds !== undefined ? { ringSeconds } : {}),
        ...(handOff !== null ? { handedToPlugin: handOff.pluginId } : {}),
      },
      stored,
    );
    if (hangsUp(settled)) return { kind: 'hangup' };
    return handOff !== null ? { kind: 'redirect', url: handOff.url } : { kind: 'voicemail', businessName: route.businessName, missed: settled };
  }

  /**
   * The voicemail ended (the `<Record>` action). A recording makes the call a voicemail; without
   * one, `missed` (carried in the action URL) settles a call whose outcome could not be stored.
   */
  async recording(report: CallReport & { recordingUrl: string | null; recordingSeconds: number; missed: CallOutcome | null }): Promise<void> {
    const routed = await this.routes.lookup(report.to);
    if (routed.kind !== 'found') return;
    const { route } = routed;
    const stored = await this.settlement.store(route.subAccountId, report);
    if (report.recordingUrl && report.recordingSeconds > 0) {
      await this.settlement.settle(route.subAccountId, report, { outcome: 'voicemail', source: 'recording', recordingUrl: report.recordingUrl }, stored);
    } else if (report.missed && stored?.outcome == null) {
      await this.settlement.settle(route.subAccountId, report, { outcome: report.missed, source: 'recording' }, stored);
    }
  }

  /**
   * The parent call's final status. Only matters when no dial result came first, e.g. the caller
   * hung up while the business's phone was still ringing.
   */
  async callEnded(report: CallReport & { callStatus: string }): Promise<void> {
    const outcome = classifyEndedCall(report.callStatus);
    if (!outcome) return;
    const routed = await this.routes.lookup(report.to);
    if (routed.kind !== 'found') return;
    const { route } = routed;
    const stored = await this.settlement.store(route.subAccountId, report);
    if (!stored || stored.outcome !== null) return;
    await this.settlement.settle(route.subAccountId, report, { outcome, source: 'status', ringSeconds: this.secondsSince(stored.startedAt) }, stored);
  }

  /**
   * A plugin learned what really happened to a call (e.g. the AI agent answered it). When its agent
   * answered, the caller's text-back is told too: it stops holding its first text and sends none.
   * Throws when PostgreSQL or Temporal can't be reached in time (the plugin's service retries; a
   * repeat records nothing twice and signals again).
   */
  async pluginOutcome(callSid: string, outcome: CallOutcome, pluginId: string, note = ''): Promise<void> {
    const { call } = await withDeadline('record the plugin outcome', this.deadlineMs, () =>
      this.settlement.calls.recordOutcome(callSid, { outcome, source: `plugin:${pluginId}` }),
    );
    await this.settlement.act(call);
    if (call.outcome === 'answered_by_ai') await this.settlement.pluginVerdict(call, { pluginId, verdict: 'answered', note });
  }

  /**
   * The plugin a call was handed to reports that the caller left before its agent answered: the
   * caller's text-back stops holding its first text, which goes out as usual. Throws like pluginOutcome.
   */
  async pluginCallerLeft(callSid: string, pluginId: string, note: string): Promise<void> {
    const call = await withDeadline('read the call', this.deadlineMs, () => this.settlement.calls.find(callSid));
    if (!call) throw new Error(`call ${callSid} is not stored`);
    // The agent had answered (reported first): that verdict stands.
    if (call.outcome === 'answered_by_ai') return;
    await this.settlement.pluginVerdict(call, { pluginId, verdict: 'caller_left', note });
  }

  /** The forwarded leg was answered and machine detection gave its verdict. */
  async machineVerdict(parentCallSid: string, answeredBy: AnsweredBy): Promise<void> {
    await this.recordScreening(parentCallSid, { answeredBy });
  }

  /** The person who picked up the forwarded call pressed 1: connect the caller. */
  async screenAccepted(parentCallSid: string): Promise<void> {
    await this.recordScreening(parentCallSid, { acceptedAt: this.now() });
  }

  private async recordScreening(callSid: string, facts: { answeredBy?: AnsweredBy; acceptedAt?: Date }): Promise<void> {
    try {
      await withDeadline('record screening', this.deadlineMs, () => this.settlement.calls.recordScreening(callSid, facts));
    } catch (error) {
      this.log.warn({ callSid, err: error }, 'could not record what the forwarded leg reported');
    }
  }

  /** PostgreSQL is down and this number was never routed by this process: take a message. */
  private unroutable(report: CallReport, error: unknown): VoiceDecision {
    this.log.warn({ callSid: report.callSid, err: error }, 'number lookup failed; sending the caller to voicemail');
    return { kind: 'voicemail', businessName: null, missed: 'failed' };
  }

  /** The first installed plugin that takes unanswered calls (Voice AI) gets this one: which, and where to send the caller. */
  private voiceRouting(route: Route, call: CallView): { pluginId: string; url: string } | null {
    for (const installation of route.plugins) {
      const plugin = this.deps.plugins.get(installation.pluginId);
      if (!plugin?.voice) continue;
      const config = parsePluginConfig(plugin, installation.config);
      if (!config.ok) continue;
      const voiceRoute = plugin.voice.onUnanswered(call, config.config);
      if (voiceRoute) return { pluginId: installation.pluginId, url: voiceRoute.redirectUrl };
    }
    return null;
  }

  private secondsSince(startedAt: Date): number {
    return Math.max(0, Math.round((this.now().getTime() - startedAt.getTime()) / 1000));
  }
}

/** Outcomes after which the caller is let go: nobody missed them, or they left. */
function hangsUp(outcome: CallOutcome): boolean {
  return outcome === 'answered' || outcome === 'answered_by_ai' || outcome === 'abandoned';
}
