import type { EntityManager, SubAccount } from '@mctb/db';
import { oneLineProblem } from './one-line.js';
import { invalid, notFound, ok, type FieldIssue, type Result } from './result.js';
import { findSubAccountInScope, type Scope } from './scope.js';

/** The longest pause: long enough for a holiday closure, short enough that a forgotten one ends. */
export const MAX_PAUSE_DAYS = 90;
export const PAUSE_REASON_MAX = 200;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PauseInput {
  subAccountId: string;
  /** When the pause starts; omitted: now. */
  from?: Date | null;
  until: Date;
  reason?: string | null;
}

/**
 * Pauses the sub-account's text-back for a downtime window: the worker records missed calls in it
 * as skipped, "paused". A new pause replaces the one set before.
 */
export async function pauseAutomations(em: EntityManager, scope: Scope, input: PauseInput, now: Date = new Date()): Promise<Result<SubAccount>> {
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  const from = input.from ?? now;
  const { until } = input;
  const issues: FieldIssue[] = [];
  if (Number.isNaN(from.getTime())) issues.push({ path: 'from', message: 'must be a valid time' });
  if (Number.isNaN(until.getTime())) issues.push({ path: 'until', message: 'must be a valid time' });
  else if (until.getTime() <= from.getTime()) issues.push({ path: 'until', message: 'must be after from' });
  else if (until.getTime() - from.getTime() > MAX_PAUSE_DAYS * DAY_MS) issues.push({ path: 'until', message: `must be at most ${MAX_PAUSE_DAYS} days after from` });
  else if (until.getTime() <= now.getTime()) issues.push({ path: 'until', message: 'must be in the future' });
  const reason = input.reason?.trim() || null;
  const reasonProblem = reason === null ? null : oneLineProblem(reason, PAUSE_REASON_MAX);
  if (reasonProblem) issues.push({ path: 'reason', message: reasonProblem });
  if (issues.length > 0) return invalid(issues);

  subAccount.automationsPausedFrom = from;
  subAccount.automationsPausedUntil = until;
  subAccount.automationsPausedReason = reason;
  await em.flush();
  return ok(subAccount);
}

/** Ends (or cancels) the sub-account's pause: missed calls are texted back again. */
export async function resumeAutomations(em: EntityManager, scope: Scope, subAccountId: string): Promise<Result<SubAccount>> {
  const subAccount = await findSubAccountInScope(em, scope, subAccountId);
  if (!subAccount) return notFound(`sub-account ${subAccountId} not found`);
  subAccount.automationsPausedFrom = null;
  subAccount.automationsPausedUntil = null;
  subAccount.automationsPausedReason = null;
  await em.flush();
  return ok(subAccount);
}
