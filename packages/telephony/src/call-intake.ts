import { Call, PhoneNumber, PluginInstallation, type EntityManager, type Orm, type OutcomeReport, type SubAccount } from '@mctb/db';
import {
  classifyCallerId,
  classifyDialResult,
  classifyEndedCall,
  textBackDecisionFor,
  type CallOutcome,
  type DialCallStatus,
} from '@mctb/domain';
import { parsePluginConfig, type PluginRegistry } from '@mctb/plugin-sdk';
import type { TextBackPort } from './text-back-port.js';
import { callView } from './views.js';

export interface CallReport {
  callSid: string;
  from: string;
  to: string;
}

/** What the gateway should tell the carrier to do next. */
export type VoiceDecision =
  | { kind: 'unknown_number'; number: string }
  | { kind: 'forward'; subAccountId: string; forwardTo: string; timeoutSeconds: number }
  | { kind: 'voicemail'; businessName: string }
  | { kind: 'redirect'; url: string }
  | { kind: 'hangup' };

export interface CallIntakeDeps {
  orm: Orm;
  textBack: TextBackPort;
  plugins: PluginRegistry;
  now?: () => Date;
}

/**
 * Turns the carrier's voice webhooks into one stored outcome per call and the text-back signals
 * that follow from it. Safe to repeat: storage is keyed by CallSid and the signals are idempotent.
 */
export class CallIntake {
  private readonly now: () => Date;

  constructor(private readonly deps: CallIntakeDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** A call rings the business's number: store it, then forward it to the business. */
  async incoming(report: CallReport): Promise<VoiceDecision> {
    const em = this.deps.orm.em.fork();
    const number = await em.getRepository(PhoneNumber).route(report.to);
    if (!number) return { kind: 'unknown_number', number: report.to };
    await this.store(em, number.subAccount, report);
    const { subAccount } = number;
    return { kind: 'forward', subAccountId: subAccount.id, forwardTo: subAccount.forwardingNumber, timeoutSeconds: subAccount.incomingCallTimeout };
  }

  /** The forwarded leg ended (the `<Dial>` action): classify, signal, and route the caller on. */
  async dialResult(report: CallReport & { dialCallStatus: DialCallStatus }): Promise<VoiceDecision> {
    const em = this.deps.orm.em.fork();
    const number = await em.getRepository(PhoneNumber).route(report.to);
    if (!number) return { kind: 'unknown_number', number: report.to };
    const stored = await this.store(em, number.subAccount, report);
    const ringSeconds = Math.max(0, Math.round((this.now().getTime() - stored.startedAt.getTime()) / 1000));
    const outcome = classifyDialResult(report.dialCallStatus);
    const call = await this.settle(em, report.callSid, { outcome, source: 'dial', dialCallStatus: report.dialCallStatus, ringSeconds });

    if (call.outcome === 'answered' || call.outcome === 'answered_by_ai' || call.outcome === 'abandoned') return { kind: 'hangup' };
    const routed = await this.voiceRouting(em, number.subAccount, call);
    return routed ?? { kind: 'voicemail', businessName: number.subAccount.name };
  }

  /** The caller left a voicemail (the `<Record>` action). */
  async recording(report: CallReport & { recordingUrl: string; recordingSeconds: number }): Promise<void> {
    const em = this.deps.orm.em.fork();
    const existing = await em.getRepository(Call).findBySid(report.callSid);
    if (!existing || report.recordingSeconds <= 0) return;
    await this.settle(em, report.callSid, { outcome: 'voicemail', source: 'recording', recordingUrl: report.recordingUrl });
  }

  /**
   * The parent call's final status. Only matters when no dial result came first, e.g. the caller
   * hung up while the business's phone was still ringing.
   */
  async callEnded(report: CallReport & { callStatus: string }): Promise<void> {
    const em = this.deps.orm.em.fork();
    const existing = await em.getRepository(Call).findBySid(report.callSid);
    if (!existing || existing.outcome !== null) return;
    const outcome = classifyEndedCall(report.callStatus);
    if (!outcome) return;
    const ringSeconds = Math.max(0, Math.round((this.now().getTime() - existing.startedAt.getTime()) / 1000));
    await this.settle(em, report.callSid, { outcome, source: 'status', ringSeconds });
  }

  /** A plugin learned what really happened to a call (e.g. the AI agent answered it). */
  async pluginOutcome(callSid: string, outcome: CallOutcome, pluginId: string): Promise<void> {
    const em = this.deps.orm.em.fork();
    await this.settle(em, callSid, { outcome, source: `plugin:${pluginId}` });
  }

  private async store(em: EntityManager, subAccount: SubAccount, report: CallReport): Promise<Call> {
    const callerId = classifyCallerId(report.from);
    const { call } = await em.getRepository(Call).recordIncoming({
      subAccountId: subAccount.id,
      callSid: report.callSid,
      fromRaw: report.from,
      callerPhone: callerId.kind === 'textable' ? callerId.e164 : null,
      untextableReason: callerId.kind === 'untextable' ? callerId.reason : null,
      toNumber: report.to,
      startedAt: this.now(),
    });
    return call;
  }

  /**
   * Calls whose outcome was stored but never acted on: the process died between storing and
   * signalling. Acting is idempotent, so the worker re-drives them periodically.
   */
  async sweep(options: { settledBefore: Date; limit: number }): Promise<number> {
    const em = this.deps.orm.em.fork();
    const stale = await em.find(
      Call,
      { outcome: { $ne: null }, textBackStatus: null, endedAt: { $lt: options.settledBefore } },
      { orderBy: { endedAt: 'asc' }, limit: options.limit },
    );
    for (const call of stale) await this.act(em, call);
    return stale.length;
  }

  /** Stores an outcome report, then acts on the outcome the call now has. */
  private async settle(em: EntityManager, callSid: string, report: OutcomeReport): Promise<Call> {
    const { call } = await em.getRepository(Call).recordOutcome(callSid, report);
    await this.act(em, call);
    return call;
  }

  /**
   * Signals what the call's outcome calls for and records it. Acting again on a repeated report
   * is harmless (the workflow counts a CallSid once) and covers a crash between storing and signalling.
   */
  private async act(em: EntityManager, call: Call): Promise<void> {
    const calls = em.getRepository(Call);
    const { callSid } = call;
    if (call.outcome === null || call.textBackStatus === 'sent' || call.textBackStatus === 'skipped' || call.textBackStatus === 'failed') return;
    const subAccountId = call.subAccount.id;
    if (call.outcome === 'answered') {
      if (call.callerPhone) await this.deps.textBack.callAnswered(subAccountId, call.callerPhone, callSid);
      await calls.markTextBack(callSid, 'skipped', 'answered');
      return;
    }
    const decision = textBackDecisionFor(call.outcome, { ringSeconds: call.ringSeconds ?? 0 });
    if (!decision.textBack) {
      // While a text-back is pending, an AI answer is left to the plugins' veto, which records why.
      if (call.textBackStatus === null) await calls.markTextBack(callSid, 'skipped', decision.reason);
      return;
    }
    if (!call.callerPhone) {
      await calls.markTextBack(callSid, 'skipped', `untextable caller ID: ${call.untextableReason ?? 'unknown'}`);
      return;
    }
    await this.deps.textBack.missedCall(subAccountId, call.callerPhone, { callSid, outcome: call.outcome, at: this.now().getTime() });
    if (call.textBackStatus === null) await calls.markTextBack(callSid, 'pending', null);
  }

  /** The first installed plugin that takes unanswered calls (Voice AI) gets this one. */
  private async voiceRouting(em: EntityManager, subAccount: SubAccount, call: Call): Promise<VoiceDecision | null> {
    const installations = await em.find(PluginInstallation, { subAccount, enabled: true }, { orderBy: { installedAt: 'asc' } });
    for (const installation of installations) {
      const plugin = this.deps.plugins.get(installation.pluginId);
      if (!plugin?.voice) continue;
      const config = parsePluginConfig(plugin, installation.config);
      if (!config.ok) continue;
      const route = plugin.voice.onUnanswered(callView(call), config.config);
      if (route) return { kind: 'redirect', url: route.redirectUrl };
    }
    return null;
  }
}
