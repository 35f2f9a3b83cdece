import type { AutomationStore, EntityManager, SubAccount, TaskView } from '@mctb/db';
import { pageAfter } from './one-line.js';
import { notFound, ok, type Result } from './result.js';
import { findSubAccountInScope, type Scope } from './scope.js';

/** Open tasks (call-backs the automations created), soonest due first. */
export async function openTasks(
  em: EntityManager,
  store: AutomationStore,
  scope: Scope,
  subAccountId: string,
  page: { first?: number | null; after?: string | null } = {},
): Promise<Result<TaskView[]>> {
  const subAccount = await findSubAccountInScope(em, scope, subAccountId);
  if (!subAccount) return notFound(`sub-account ${subAccountId} not found`);
  return ok(pageAfter(await store.openTasks(subAccount.id), page));
}

/** Marks an open task of the sub-account done; a task that is done already is not found. */
export async function completeTask(
  em: EntityManager,
  store: AutomationStore,
  scope: Scope,
  input: { subAccountId: string; taskId: string },
  at: Date = new Date(),
): Promise<Result<{ taskId: string; completedAt: Date; subAccount: SubAccount }>> {
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  if (!(await store.completeTask(subAccount.id, input.taskId, at))) return notFound(`no open task ${input.taskId} in this sub-account`);
  return ok({ taskId: input.taskId, completedAt: at, subAccount });
}
