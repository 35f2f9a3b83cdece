import { inWindow } from '@mctb/business-hours';
import { TextBackStore, type TextBackContext } from '@mctb/db';
import { formatWindow, type MissedCall } from '@mctb/domain';
import type { SnapshotDefinition, Workflow } from '@mctb/snapshots';
import type { ActivityDeps } from '../deps.js';
import { storeUnstoredCalls } from '../store-unstored-call.js';
import { immediateText, type OpenedRun, type PinnedRun } from './pinned-run.js';
import { prepareAutomatedSms, type OpenedContact, type PreparedSms } from './prepare-sms.js';
import { startPinnedRun } from './start-run.js';

export interface OpenRunInput {
  subAccountId: string;
  callerPhone: string;
  /** The run's Temporal workflow id; with the trigger it names the run. */
  workflowId: string;
  triggerCallSid: string;
  /** Calls that arrived so far; those intake could not store are stored first. */
  arrivals: MissedCall[];
  /** The workflow's clock (epoch ms). */
  asOf: number;
}

/**
 * Opens the automation a missed call triggers, in one trip to the worker: stores what intake could
 * not, picks the sub-account's `call.missed` workflow for the call's outcome, pins its snapshot
 * version and custom values, finds or creates the contact, applies the run-level exclusions (each
 * with its reason), and records the run. Idempotent: a retry or a re-driven run opens the same run.
 */
export async function openMissedCallRun(deps: ActivityDeps, input: OpenRunInput): Promise<OpenedRun> {
  await storeUnstoredCalls(deps, input.subAccountId, input.arrivals);
  const store = new TextBackStore(deps.orm);
  const context = await store.context(input.subAccountId, input.triggerCallSid);
  if (!context) return { kind: 'none', status: 'failed', reason: `call ${input.triggerCallSid} is not stored` };
  const { call, provisioned } = context;
  if (!provisioned) return { kind: 'none', status: 'skipped', reason: 'not provisioned: no snapshot runs in this sub-account' };
  const { definition } = provisioned;
  const snapshotName = `snapshot ${provisioned.slug} v${provisioned.version}`;
  const workflow = missedCallWorkflow(definition, call.outcome);
  if (!workflow) return { kind: 'none', status: 'skipped', reason: `disabled: no automation of ${snapshotName} answers a missed call${call.outcome ? ` (${call.outcome})` : ''}` };
  if (!context.smsCapable) return { kind: 'none', status: 'failed', reason: `the number ${call.toNumber} cannot send SMS` };

  const contact = await store.contact(input.subAccountId, input.callerPhone, 'missed_call');
  const dedupWindowSeconds = workflow.dedup?.windowSeconds ?? 0;
  const conversationWindow = definition.exclusions.activeConversationWithinSeconds;
  const recent = await store.linkAndInspect(call.id, contact.id, new Date(input.asOf - conversationWindow * 1000), new Date(input.asOf - dedupWindowSeconds * 1000));
  const excluded = pausedAt(context, input.asOf) ?? exclusionOf(definition, context, { optedOutAt: contact.optedOutAt, ...recent }, input.callerPhone, dedupWindowSeconds);
  if (excluded) return { kind: 'none', status: 'skipped', reason: excluded };

  const pinned = await startPinnedRun(deps, {
    runId: `${input.workflowId}/${input.triggerCallSid}`,
    temporalWorkflowId: input.workflowId,
    subAccountId: input.subAccountId,
    provisioned,
    workflow,
    contact: { id: contact.id, phone: contact.phone, isNew: recent.isNew },
    trigger: { type: 'call.missed', origin: 'call.missed', ref: input.triggerCallSid, callSid: input.triggerCallSid, callId: call.id, outcome: call.outcome, parentRunId: null },
    business: { ...context.business, timeZone: context.timeZone, hasPlugins: context.hasPlugins },
    from: call.toNumber,
    asOf: input.asOf,
  });
  return { kind: 'run', dedupWindowSeconds, pinned, firstText: await prepareImmediateText(deps, pinned, workflow, contact, input.asOf) };
}

/**
 * Prepares the workflow's first text in the same trip when it goes out at once (the plain
 * text-back with no delay): one hand-off fewer on the path every missed call takes.
 */
async function prepareImmediateText(deps: ActivityDeps, pinned: PinnedRun, workflow: Workflow, contact: OpenedContact, asOf: number): Promise<{ stepId: string; prepared: PreparedSms } | null> {
  const step = immediateText(workflow.steps);
  if (!step) return null;
  // Held by quiet hours: the workflow waits first and prepares it when the window ends.
  if (step.duringQuietHours === 'wait' && pinned.quietHours && inWindow(pinned.quietHours, pinned.zone, new Date(asOf))) return null;
  const prepared = await prepareAutomatedSms(deps, { pinned, template: step.template, intentId: `${pinned.runId}/${step.id}`, firstText: true, asOf }, contact);
  return { stepId: step.id, prepared };
}

/** The enabled `call.missed` workflow whose outcome filter takes this call (one per sub-account). */
function missedCallWorkflow(definition: SnapshotDefinition, outcome: string | null): Workflow | undefined {
  return definition.workflows.find(
    (workflow) => workflow.enabled && workflow.trigger?.type === 'call.missed' && (outcome === null || (workflow.trigger.outcomes as string[]).includes(outcome)),
  );
}

interface CallerFacts {
  optedOutAt: Date | null;
  tags: string[];
  isNew: boolean;
  /** The caller texted us within the active-conversation window. */
  texted: boolean;
  /** The caller got an automated text about another call within the dedup window. */
  textedBack: boolean;
}

/** Why no automation runs at this moment: the text-back is paused (a downtime window), or null. */
function pausedAt(context: TextBackContext, asOf: number): string | null {
  const { pause } = context;
  if (!pause || asOf < pause.from.getTime() || asOf >= pause.until.getTime()) return null;
  return `paused: automations are paused until ${pause.until.toISOString()}${pause.reason ? ` (${pause.reason})` : ''}`;
}

/** Why this caller gets no automated text, or null. The wording is what the call records. */
function exclusionOf(definition: SnapshotDefinition, context: TextBackContext, caller: CallerFacts, callerPhone: string, dedupWindowSeconds: number): string | null {
  const { exclusions } = definition;
  if (caller.optedOutAt) return 'excluded: the contact has opted out of texts';
  if (context.ownNumbers.includes(callerPhone) || context.forwardingNumber === callerPhone) {
    return 'excluded: the caller is one of this business\'s own numbers (a loop)';
  }
  if (context.blocked) return 'excluded: the caller is on this sub-account\'s block list';
  const tag = exclusions.tags.find((excludedTag) => caller.tags.includes(excludedTag));
  if (tag !== undefined) return `excluded: the contact is tagged "${tag}"`;
  if (exclusions.onlyNewContacts && !caller.isNew) return 'excluded: only new contacts get automated texts, and this caller is known';
  const window = exclusions.activeConversationWithinSeconds;
  if (window > 0 && caller.texted) return `conversation: the caller texted within the last ${formatWindow(window)}`;
  if (dedupWindowSeconds > 0 && caller.textedBack) return `dedup: already texted within the ${formatWindow(dedupWindowSeconds)} window`;
  return null;
}
