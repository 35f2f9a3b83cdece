import type { TaggedRunStarter } from '@mctb/control';
import { TextBackStore, type Orm } from '@mctb/db';
import { taggedRunWorkflowId } from '@mctb/domain';
import { TEXT_BACK_TASK_QUEUE } from '@mctb/workflows';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';

/**
 * Starts, on the Temporal cluster, the `contact.tagged` automations of the sub-account's snapshot
 * listening for tags a team member just gave a contact (through GraphQL). Each edit is its own
 * event: a tag removed and added again triggers again, as it would in the workflow builder.
 */
export class TemporalTaggedRuns implements TaggedRunStarter {
  constructor(private readonly deps: { client: Client; orm: Orm }) {}

  async start(event: { subAccountId: string; contactPhone: string; tags: string[] }): Promise<void> {
    const definition = (await new TextBackStore(this.deps.orm).provisioned(event.subAccountId))?.definition;
    const listened = event.tags.filter((tag) =>
      definition?.workflows.some((workflow) => workflow.enabled && workflow.trigger?.type === 'contact.tagged' && workflow.trigger.tag === tag),
    );
    const eventKey = `edit-${randomUUID()}`;
    for (const tag of listened) {
      await this.deps.client.workflow.start('automationWorkflow', {
        taskQueue: TEXT_BACK_TASK_QUEUE,
        workflowId: taggedRunWorkflowId(event.subAccountId, event.contactPhone, tag, eventKey),
        args: [{ open: { subAccountId: event.subAccountId, contactPhone: event.contactPhone, trigger: { type: 'contact.tagged', tag } } }],
      });
    }
  }
}
