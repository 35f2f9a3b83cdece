import { taggedRunWorkflowId } from '@mctb/domain';
import { AutomationStore, TextBackStore } from '@mctb/db';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { ActivityDeps } from '../deps.js';

/** What an `if` step reads about the contact, as it is now. */
export interface ContactFactsView {
  tags: string[];
  firstName: string;
  lastName: string;
  phone: string;
  /** Epoch ms of the last text either way, or null. */
  lastConversationAt: number | null;
}

export async function loadContactFacts(deps: ActivityDeps, input: { contactId: string }): Promise<ContactFactsView> {
  const facts = await new AutomationStore(deps.orm).contactFacts(input.contactId);
  if (!facts) return { tags: [], firstName: '', lastName: '', phone: '', lastConversationAt: null };
  const times = [facts.lastInboundAt, facts.lastOutboundAt].filter((at): at is Date => at !== null).map((at) => at.getTime());
  return {
    tags: facts.tags,
    firstName: facts.firstName,
    lastName: facts.lastName,
    phone: facts.phone,
    lastConversationAt: times.length > 0 ? Math.max(...times) : null,
  };
}

/** Whether the contact texted at or after `since` (epoch ms): a reply, for runs no signal reaches. */
export async function repliedSince(deps: ActivityDeps, input: { contactId: string; since: number }): Promise<boolean> {
  const last = (await new AutomationStore(deps.orm).contactFacts(input.contactId))?.lastInboundAt;
  return last !== null && last !== undefined && last.getTime() >= input.since;
}

export interface TagChange {
  contactId: string;
  add: string[];
  remove: string[];
  /** Who tags: a tag the contact did not have starts the `contact.tagged` runs listening for it. */
  by: { subAccountId: string; contactPhone: string; eventKey: string };
}

/**
 * `add_tag` / `remove_tag`: idempotent, so a retry changes nothing twice. Returns the tags after.
 * The runs a new tag triggers are started before the tag is stored: a retry after a crash still
 * finds the tag missing and starts them (their ids make that once), and after the tag is stored
 * nothing starts again.
 */
export async function changeContactTags(deps: ActivityDeps, input: TagChange): Promise<string[]> {
  const store = new AutomationStore(deps.orm);
  const before = (await store.contactFacts(input.contactId))?.tags ?? [];
  const added = input.add.filter((tag) => !before.includes(tag));
  if (added.length > 0) await startTaggedRuns(deps, input.by, added);
  return store.changeTags(input.contactId, { add: input.add, remove: input.remove });
}

async function startTaggedRuns(deps: ActivityDeps, by: TagChange['by'], tags: string[]): Promise<void> {
  const definition = (await new TextBackStore(deps.orm).provisioned(by.subAccountId))?.definition;
  const listened = tags.filter((tag) => definition?.workflows.some((workflow) => workflow.enabled && workflow.trigger?.type === 'contact.tagged' && workflow.trigger.tag === tag));
  for (const tag of listened) {
    try {
      await deps.temporal.workflow.start('automationWorkflow', {
        taskQueue: Context.current().info.taskQueue,
        workflowId: taggedRunWorkflowId(by.subAccountId, by.contactPhone, tag, by.eventKey),
        args: [{ open: { subAccountId: by.subAccountId, contactPhone: by.contactPhone, trigger: { type: 'contact.tagged', tag } } }],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
