import { describeOpening, nextOpening } from '@mctb/business-hours';
import type { IfStep, WaitForReplyStep, WorkflowStep } from '@mctb/snapshots';
import { local } from '../activity-proxies.js';
import { journal, pause, report, type AutomationRun } from './automation-run.js';
import { evaluateCondition, needsContactFacts } from './conditions.js';
import { runEffectStep } from './effect-steps.js';
import { runSendSms } from './send-sms-step.js';

/**
 * Walks a workflow's steps in order, depth first, until they end or the run is stopped (DESIGN
 * §4a). Control steps (waits, branches) run here, in workflow code; steps with side effects run
 * as activities whose ids derive from the run and the step, so a retry never repeats one.
 */
export async function runSteps(run: AutomationRun, steps: readonly WorkflowStep[], tail: boolean): Promise<void> {
  for (const [index, step] of steps.entries()) {
    if (run.stopReason !== null) return;
    run.state.currentStep = step.id;
    run.state.phase = step.kind === 'wait' && run.firstSentAt === null ? 'delaying' : step.kind === 'send_sms' ? 'sending' : 'running';
    await runStep(run, step, tail && index === steps.length - 1);
  }
}

/** `last`: nothing follows the step in the run (a text sent last records the run completed). */
async function runStep(run: AutomationRun, step: WorkflowStep, last: boolean): Promise<void> {
  switch (step.kind) {
    case 'wait':
      if (step.seconds > 0) await waitStep(run, step, Date.now() + step.seconds * 1000, null);
      else journal(run, step, 'done');
      return;
    case 'wait_until': {
      const { businessHours, zone } = run.pinned;
      const opening = businessHours === null ? new Date(Date.now()) : nextOpening(businessHours, zone, new Date(Date.now()));
      if (opening === null) journal(run, step, 'skipped', 'the business hours never open');
      else if (opening.getTime() <= Date.now()) journal(run, step, 'done', 'the business is open');
      else await waitStep(run, step, opening.getTime(), `until the business opens ${describeOpening(opening, new Date(Date.now()), zone)}`);
      return;
    }
    case 'if':
      return ifStep(run, step, last);
    case 'wait_for_reply':
      return waitForReplyStep(run, step, last);
    case 'send_sms':
      return runSendSms(run, step, last);
    default:
      return runEffectStep(run, step);
  }
}

/** A timed wait, reported first so the database shows the run waiting on this step. */
async function waitStep(run: AutomationRun, step: WorkflowStep, until: number, detail: string | null): Promise<void> {
  journal(run, step, 'waiting', detail);
  await report(run, 'running');
  await pause(run, until);
  if (run.stopReason === null) journal(run, step, 'done', detail);
}

async function ifStep(run: AutomationRun, step: IfStep, last: boolean): Promise<void> {
  const { pinned } = run;
  const contact = needsContactFacts(step.condition) ? await local.loadContactFacts({ contactId: pinned.contact.id }) : null;
  const holds = evaluateCondition(step.condition, {
    now: new Date(Date.now()),
    zone: pinned.zone,
    businessHours: pinned.businessHours,
    callOutcome: pinned.trigger.outcome,
    customValues: pinned.customValues,
    contactIsNew: pinned.contact.isNew,
    contact,
  });
  journal(run, step, 'done', holds ? 'then' : 'else');
  await runSteps(run, holds ? step.then : step.else, last);
}

/** Waits for the caller's reply to the last text (a reply already in counts), then takes a branch. */
async function waitForReplyStep(run: AutomationRun, step: WaitForReplyStep, last: boolean): Promise<void> {
  const since = run.lastSentAt ?? run.pinned.startedAt;
  const replied = () => run.lastReplyAt !== null && run.lastReplyAt >= since;
  journal(run, step, 'waiting');
  await report(run, 'running');
  let heard = await pause(run, Date.now() + step.timeoutSeconds * 1000, replied);
  if (run.stopReason !== null) return;
  // Replies reach a missed call's run as signals; any other run asks the database when time is up.
  if (!heard && run.calls === null) heard = await local.repliedSince({ contactId: run.pinned.contact.id, since });
  const branch = heard ? 'replied' : 'no_reply';
  journal(run, step, 'done', branch);
  await runSteps(run, branch === 'replied' ? step.replied : step.noReply, last);
}
