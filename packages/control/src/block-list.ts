import type { BlockedNumber, EntityManager, KeyPage } from '@mctb/db';
import { blockedNumbersOf, removeBlockedNumber, storeBlockedNumber } from '@mctb/db';
import { parsePhone } from '@mctb/domain';
import { oneLineProblem } from './one-line.js';
import { invalid, notFound, ok, type FieldIssue, type Result } from './result.js';
import { findSubAccountInScope, type Scope } from './scope.js';

export const BLOCK_REASON_MAX = 200;

/** The sub-account's blocked numbers, by number; `after` is the last e164 of the previous page. */
export async function listBlockedNumbers(em: EntityManager, scope: Scope, subAccountId: string, page: KeyPage = {}): Promise<Result<BlockedNumber[]>> {
  const subAccount = await findSubAccountInScope(em, scope, subAccountId);
  if (!subAccount) return notFound(`sub-account ${subAccountId} not found`);
  const [numbers = []] = await blockedNumbersOf(em, [subAccount.id], page);
  return ok(numbers);
}

/**
 * Puts a caller on the block list (spam): their missed calls are recorded as skipped, never texted.
 * Blocking a blocked number again replaces its reason.
 */
export async function blockNumber(
  em: EntityManager,
  scope: Scope,
  input: { subAccountId: string; phone: string; reason?: string | null },
): Promise<Result<BlockedNumber>> {
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  const issues: FieldIssue[] = [];
  const phone = parsePhone(input.phone);
  if (!phone.ok) issues.push({ path: 'phone', message: phone.reason });
  const reason = input.reason?.trim() || null;
  const reasonProblem = reason === null ? null : oneLineProblem(reason, BLOCK_REASON_MAX);
  if (reasonProblem) issues.push({ path: 'reason', message: reasonProblem });
  if (!phone.ok || issues.length > 0) return invalid(issues);
  return ok(await storeBlockedNumber(em, subAccount.id, phone.e164, reason));
}

/** Takes a number off the block list; `wasBlocked` is false when it was not on it. */
export async function unblockNumber(
  em: EntityManager,
  scope: Scope,
  input: { subAccountId: string; phone: string },
): Promise<Result<{ e164: string; wasBlocked: boolean }>> {
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  const phone = parsePhone(input.phone);
  if (!phone.ok) return invalid([{ path: 'phone', message: phone.reason }]);
  return ok({ e164: phone.e164, wasBlocked: await removeBlockedNumber(em, subAccount.id, phone.e164) });
}
