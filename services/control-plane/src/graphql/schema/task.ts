import { completeTask, pageAfter } from '@mctb/control';
import type { SubAccount, TaskView } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, NotFoundError } from '../errors.js';
import { PAGE_DOC, pagedComplexity } from '../pagination.js';
import { enumValues } from './activity.js';
import { ContactRef } from './contact.js';
import { SubAccountRef } from './sub-account.js';

const TaskStatusRef = builder.enumType('TaskStatus', { values: enumValues(['open', 'done'] as const) });

const TaskRef = builder.objectRef<TaskView>('Task').implement({
  description: "A to-do for the business's team, e.g. a call-back an automation's create_task step made.",
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title'),
    dueAt: t.expose('dueAt', { type: 'DateTime' }),
    assignee: t.string({ nullable: true, resolve: (task) => task.assignee }),
    status: t.field({ type: TaskStatusRef, resolve: (task) => task.status }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (task) => task.completedAt }),
    runId: t.id({ nullable: true, description: 'The automation run that made it.', resolve: (task) => task.runId }),
    stepId: t.string({ nullable: true, resolve: (task) => task.stepId }),
    contact: t.field({ type: ContactRef, nullable: true, description: 'Null when the task is about no contact (or it was deleted).', resolve: (task) => task.contactId }),
  }),
});

builder.objectField(SubAccountRef, 'openTasks', (t) =>
  t.loadableList({
    type: TaskRef,
    description: `Open tasks, soonest due first. ${PAGE_DOC}`,
    args: { first: t.arg.int(), after: t.arg.id() },
    complexity: pagedComplexity,
    byPath: true,
    // The store reads one sub-account's tasks at a time; the loader runs a page's sub-accounts concurrently.
    load: (ids: string[], { automations }, args) => Promise.all(ids.map(async (id) => pageAfter(await automations.openTasks(id), args))),
    resolve: (subAccount) => subAccount.id,
  }),
);

const CompleteTaskInput = builder.inputType('CompleteTaskInput', {
  fields: (t) => ({ subAccountId: t.id({ required: true }), taskId: t.id({ required: true }) }),
});

const CompleteTaskPayload = builder.objectRef<{ taskId: string; completedAt: Date; subAccount: SubAccount }>('CompleteTaskPayload').implement({
  fields: (t) => ({
    taskId: t.exposeID('taskId'),
    completedAt: t.expose('completedAt', { type: 'DateTime' }),
    subAccount: t.field({ type: SubAccountRef, description: 'To read its open tasks again.', resolve: (payload) => payload.subAccount }),
  }),
});

builder.mutationField('completeTask', (t) =>
  t.field({
    type: CompleteTaskPayload,
    description: 'Marks an open task done. A task that is done already (or not in the sub-account) is a NotFoundError.',
    errors: { types: [NotFoundError] },
    args: { input: t.arg({ type: CompleteTaskInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer, automations }) => unwrap(await completeTask(em, automations, viewer, input)),
  }),
);
