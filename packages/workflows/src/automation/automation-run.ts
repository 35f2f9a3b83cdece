import { condition, patched, setHandler } from '@temporalio/workflow';
import type { PinnedRun, PreparedSms, RunProgress, StepEntry } from '@mctb/activities';
import type { WorkflowStep } from '@mctb/snapshots';
import { local } from '../activity-proxies.js';
import type { TextBackRun } from '../textback-run.js';
import type { MissedCall, PluginVerdict } from '../textback-signals.js';
import { callAnsweredSignal, callerTextedSignal, optedOutSignal, pluginVerdictSignal, teamRepliedSignal, type TextBackState } from '../textback-signals.js';

/** Longest the first text about a call waits for the verdict of the plugin the call was handed to. */
export const PLUGIN_VERDICT_TIMEOUT_MS = 2 * 60_000;
/** Runs begun before this release never wait for a plugin's verdict; their replay must not either. */
const PLUGIN_VERDICT_PATCH = 'plugin-verdict-wait';

/** The trigger call was handed to a plugin (Voice AI's agent): what the run knows of its verdict. */
export interface HandOff {
  pluginId: string;
  callSid: string;
  /** Workflow time after which the first text goes out without a verdict, as if the caller left. */
  until: number;
  verdict: PluginVerdict | null;
  /** The first text has gone through the hand-off (waited, or noted why not). */
  passed: boolean;
}

/** One automation run as the interpreter walks it: the pinned input, what happened, what to report. */
export interface AutomationRun {
  pinned: PinnedRun;
  /** What the state query returns (shared with the text-back's own fields). */
  state: TextBackState;
  /** The missed calls of this caller (call.missed runs); null for a run `start_workflow` began. */
  calls: TextBackRun | null;
  /** The call that started it (call.missed runs). */
  triggerCall: MissedCall | null;
  /** Set when the run must end early: the caller was answered, a team member replied, STOP. */
  stopReason: string | null;
  /** Workflow time of the run's first and latest text sent, and of the caller's latest reply. */
  firstSentAt: number | null;
  lastSentAt: number | null;
  lastReplyAt: number | null;
  /** The trigger call's text-back status is recorded (by its first text, or a skip). */
  triggerSettled: boolean;
  /** Steps gone through since the last report to the database. */
  journal: StepEntry[];
  /** The first text, prepared when the run opened because it goes out at once. */
  prefetchedText: { stepId: string; prepared: PreparedSms } | null;
  /** The run's last step was a text whose send recorded the run completed. */
  completedBySend: boolean;
  /** Set when the trigger call was handed to a plugin (Voice AI): the first text waits for its verdict. */
  handOff: HandOff | null;
}

/** Starts walking a pinned run: its state and the signals that stop it or count as a reply. */
export function beginAutomation(pinned: PinnedRun, state: TextBackState, calls: { run: TextBackRun; trigger: MissedCall } | null): AutomationRun {
  const run: AutomationRun = {
    pinned,
    state,
    calls: calls?.run ?? null,
    triggerCall: calls?.trigger ?? null,
    stopReason: state.cancelledBecause,
    firstSentAt: null,
    lastSentAt: null,
    lastReplyAt: null,
    triggerSettled: false,
    journal: [],
    prefetchedText: null,
    completedBySend: false,
    handOff: null,
  };
  const handedTo = calls?.trigger.handedToPlugin;
  if (handedTo && patched(PLUGIN_VERDICT_PATCH)) {
    run.handOff = { pluginId: handedTo, callSid: calls!.trigger.callSid, until: Date.now() + PLUGIN_VERDICT_TIMEOUT_MS, verdict: null, passed: false };
  }
  state.run = { id: pinned.runId, workflowKey: pinned.workflowKey, snapshot: pinned.snapshot };
  const stop = (reason: string) => {
    if (state.phase === 'dedup_window' || state.phase === 'done') return;
    run.stopReason ??= reason;
    state.cancelledBecause ??= reason;
  };
  setHandler(callAnsweredSignal, () => stop('answered: the caller got through on a later call'));
  setHandler(teamRepliedSignal, () => stop('a team member replied: a person has taken over'));
  setHandler(optedOutSignal, () => stop('the caller opted out'));
  setHandler(pluginVerdictSignal, (verdict) => {
    const { handOff } = run;
    if (handOff === null || handOff.verdict !== null || verdict.callSid !== handOff.callSid || verdict.pluginId !== handOff.pluginId) return;
    handOff.verdict = verdict;
    // The call was not missed after all: like an answer, the verdict ends the run before its first text.
    if (verdict.verdict === 'answered' && run.firstSentAt === null) stop(`${verdict.pluginId}: ${verdict.note}`);
  });
  setHandler(callerTextedSignal, () => {
    // Before the first text the caller started the conversation; after it, the text is a reply.
    if (run.firstSentAt === null) stop('the caller texted first');
    else run.lastReplyAt = Date.now();
  });
  return run;
}

/** Notes a step's outcome for the next report. */
export function journal(run: AutomationRun, step: WorkflowStep, status: StepEntry['status'], detail: string | null = null): void {
  run.journal.push({ stepId: step.id, kind: step.kind, status, detail, at: Date.now() });
}

/** Reports where the run stands and the steps noted since the last report. */
export async function report(run: AutomationRun, status: RunProgress['status'], reason: string | null = null): Promise<void> {
  await local.recordRunProgress({
    runId: run.pinned.runId,
    status,
    currentStep: status === 'running' ? (run.state.currentStep ?? null) : null,
    reason,
    at: Date.now(),
    steps: run.journal.splice(0),
  });
}

/** Reports how the run ended, unless its last text already did. */
export async function reportEnd(run: AutomationRun): Promise<void> {
  if (run.completedBySend && run.stopReason === null && run.journal.length === 0) return;
  await report(run, run.stopReason === null ? 'completed' : 'stopped', run.stopReason);
}

/**
 * Waits until `until` (workflow time) or until `ready()` holds; returns whether it did. Ends early
 * when the run is stopped. Missed calls from the caller meanwhile are answered by this run: each is
 * recorded as collapsed into it.
 */
export async function pause(run: AutomationRun, until: number, ready: () => boolean = () => false): Promise<boolean> {
  const queue = run.calls?.queue ?? [];
  for (;;) {
    await absorbArrivals(run);
    if (run.stopReason !== null) return false;
    if (ready()) return true;
    const remaining = until - Date.now();
    if (remaining <= 0) return false;
    await condition(() => run.stopReason !== null || ready() || queue.length > 0, remaining);
  }
}

/** Records the calls that arrived while the run is under way as collapsed into it. */
export async function absorbArrivals(run: AutomationRun): Promise<void> {
  const queue = run.calls?.queue;
  if (!queue || queue.length === 0) return;
  const reason =
    run.firstSentAt === null
      ? `collapsed: one text answers the calls during the delay (call ${run.pinned.trigger.callSid})`
      : `collapsed: the automation for call ${run.pinned.trigger.callSid} is under way`;
  await local.settleCalls({ subAccountId: run.pinned.subAccountId, calls: queue.splice(0), status: 'skipped', reason });
}

/**
 * Before the run's first text about a call handed to a plugin: waits for the plugin's verdict (a
 * condition with a timer, so it outlives worker restarts), at most until the hand-off's bound, and
 * notes in the journal what it waited for and how that ended. The run is stopped when the plugin's
 * agent answered; without a verdict it goes on as if the caller had left. Returns whether it waited.
 */
export async function awaitPluginVerdict(run: AutomationRun, step: WorkflowStep): Promise<boolean> {
  const { handOff, state } = run;
  if (handOff === null || handOff.passed) return false;
  handOff.passed = true;
  const { pluginId, callSid } = handOff;
  const note = (status: StepEntry['status'], detail: string) =>
    run.journal.push({ stepId: `${step.id}.${pluginId}`, kind: 'plugin_verdict', status, detail, at: Date.now() });
  let waited = false;
  if (handOff.verdict === null && Date.now() < handOff.until) {
    waited = true;
    state.phase = 'awaiting_plugin';
    state.awaitingPlugin = { pluginId, callSid, until: handOff.until };
    note('waiting', `call ${callSid} is with ${pluginId}: the text waits for its verdict (at most ${PLUGIN_VERDICT_TIMEOUT_MS / 1000}s)`);
    await report(run, 'running');
    await pause(run, handOff.until, () => handOff.verdict !== null);
    state.awaitingPlugin = null;
    state.phase = 'sending';
  }
  const { verdict } = handOff;
  if (run.stopReason !== null) note('skipped', run.stopReason);
  else if (verdict !== null) note('done', `${pluginId}: ${verdict.note}`);
  else note('done', `no verdict from ${pluginId} within ${PLUGIN_VERDICT_TIMEOUT_MS / 1000}s: texting as if the caller hung up`);
  return waited;
}

/** Records the trigger call's text-back status once (a text sent records it itself). */
export async function settleTrigger(run: AutomationRun, status: 'skipped' | 'failed', reason: string): Promise<void> {
  if (run.triggerSettled || run.triggerCall === null) return;
  run.triggerSettled = true;
  await local.settleCalls({ subAccountId: run.pinned.subAccountId, calls: [run.triggerCall], status, reason });
}
