import { AutomationStore, Message, TextBackStore } from '@mctb/db';
import type { Workflow } from '@mctb/snapshots';
import type { ActivityDeps } from '../deps.js';
import type { OpenedRun } from './pinned-run.js';
import { startPinnedRun } from './start-run.js';

/** How long before a run opens its contact may have been created and still count as new. */
const NEW_CONTACT_MS = 60_000;

/** An event other than a missed call that starts the workflows listening for it. */
export type RunTrigger =
  /** The contact texted the business (`from` is their number, `to` the business's). */
  | { type: 'message.received'; messageSid: string; to: string }
  /** A tag was added to the contact. */
  | { type: 'contact.tagged'; tag: string };

export interface OpenTriggeredRunInput {
  subAccountId: string;
  contactPhone: string;
  trigger: RunTrigger;
  /** The run's Temporal workflow id, which names the run. */
  workflowId: string;
  /** The workflow's clock (epoch ms). */
  asOf: number;
}

/**
 * Opens the run an event starts: the sub-account's enabled workflow on that trigger, pinned to the
 * version provisioned now with its custom values. Skips (recorded nowhere but the answer) when
 * nothing listens, the contact opted out or is blocked, automations are paused, or the workflow
 * already ran for the contact inside its dedup window. Idempotent per workflow id.
 */
export async function openTriggeredRun(deps: ActivityDeps, input: OpenTriggeredRunInput): Promise<OpenedRun> {
  const { trigger } = input;
  const store = new TextBackStore(deps.orm);
  const context = await store.subAccountContext(input.subAccountId, input.contactPhone);
  const provisioned = context?.provisioned;
  if (!context || !provisioned) return { kind: 'none', status: 'skipped', reason: 'not provisioned: no snapshot runs in this sub-account' };
  const { definition } = provisioned;
  const workflow = definition.workflows.find((each) => each.enabled && listensTo(each, trigger));
  if (!workflow) return { kind: 'none', status: 'skipped', reason: `no automation of snapshot ${provisioned.slug} v${provisioned.version} runs on ${trigger.type}` };
  const from = trigger.type === 'message.received' ? trigger.to : context.smsNumber;
  if (from === null) return { kind: 'none', status: 'failed', reason: 'the sub-account has no number that can send SMS' };

  const contact = await store.contact(input.subAccountId, input.contactPhone, trigger.type === 'message.received' ? 'sms' : 'tag');
  if (contact.optedOutAt) return { kind: 'none', status: 'skipped', reason: 'excluded: the contact has opted out of texts' };
  if (context.blocked) return { kind: 'none', status: 'skipped', reason: "excluded: the contact is on this sub-account's block list" };
  const { pause } = context;
  if (pause && input.asOf >= pause.from.getTime() && input.asOf < pause.until.getTime()) {
    return { kind: 'none', status: 'skipped', reason: `paused: automations are paused until ${pause.until.toISOString()}` };
  }
  const automations = new AutomationStore(deps.orm);
  if (workflow.dedup && (await automations.ranSince(contact.id, workflow.key, new Date(input.asOf - workflow.dedup.windowSeconds * 1000)))) {
    return { kind: 'none', status: 'skipped', reason: `dedup: automation "${workflow.key}" already ran for this contact inside its window` };
  }

  const ref = trigger.type === 'message.received' ? trigger.messageSid : trigger.tag;
  // The text itself, for `{{ message.body }}` (intake stored it before starting the run; '' if it could not).
  const messageBody = trigger.type === 'message.received' ? ((await deps.orm.em.fork().findOne(Message, { providerMessageId: trigger.messageSid }, { fields: ['body'] }))?.body ?? '') : undefined;
  const pinned = await startPinnedRun(deps, {
    runId: input.workflowId,
    temporalWorkflowId: input.workflowId,
    subAccountId: input.subAccountId,
    provisioned,
    workflow,
    // New: the event that started the run made the contact (intake creates it just before).
    contact: { id: contact.id, phone: contact.phone, isNew: contact.createdAt.getTime() >= input.asOf - NEW_CONTACT_MS },
    trigger: { type: trigger.type, origin: trigger.type, ref, callSid: null, callId: null, outcome: null, parentRunId: null, ...(messageBody !== undefined ? { messageBody } : {}) },
    business: { ...context.business, timeZone: context.timeZone, hasPlugins: context.hasPlugins },
    from,
    asOf: input.asOf,
  });
  return { kind: 'run', pinned, dedupWindowSeconds: 0, firstText: null };
}

function listensTo(workflow: Workflow, trigger: RunTrigger): boolean {
  if (workflow.trigger?.type !== trigger.type) return false;
  return workflow.trigger.type !== 'contact.tagged' || (trigger.type === 'contact.tagged' && workflow.trigger.tag === trigger.tag);
}
