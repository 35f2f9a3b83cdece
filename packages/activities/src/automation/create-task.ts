import { AutomationStore } from '@mctb/db';
import { renderTemplate, TemplateRenderError } from '@mctb/templates';
import type { Recipient } from '@mctb/snapshots';
import type { ActivityDeps } from '../deps.js';
import { mergeContextOf } from './prepare-sms.js';
import type { PinnedRun } from './pinned-run.js';

export interface CreateTaskInput {
  pinned: PinnedRun;
  stepId: string;
  /** Liquid source of the title. */
  title: string;
  dueSeconds: number;
  assignee: Recipient | null;
  asOf: number;
}

export type CreatedTask = { kind: 'created'; taskId: string; title: string } | { kind: 'failed'; reason: string };

/** `create_task`: one callback task per run and step, however often this is retried. */
export async function createCallbackTask(deps: ActivityDeps, input: CreateTaskInput): Promise<CreatedTask> {
  const { pinned } = input;
  const store = new AutomationStore(deps.orm);
  const contact = (await store.contactFacts(pinned.contact.id)) ?? { firstName: '', lastName: '', phone: pinned.contact.phone };
  let title: string;
  try {
    title = await renderTemplate(input.title, mergeContextOf(pinned, contact, input.asOf));
  } catch (error) {
    if (error instanceof TemplateRenderError) return { kind: 'failed', reason: `task title: ${error.message}` };
    throw error;
  }
  const task = await store.createTask({
    runId: pinned.runId,
    stepId: input.stepId,
    subAccountId: pinned.subAccountId,
    contactId: pinned.contact.id,
    title,
    dueAt: new Date(input.asOf + input.dueSeconds * 1000),
    assignee: assigneeOf(input.assignee, pinned.customValues),
  });
  return { kind: 'created', taskId: task.id, title };
}

function assigneeOf(recipient: Recipient | null, customValues: Record<string, string>): string | null {
  if (recipient === null) return null;
  if (recipient.type === 'owner') return 'owner';
  if (recipient.type === 'literal') return recipient.value;
  return customValues[recipient.key] ?? null;
}
