import type { EntityManager, SubAccount } from '@mctb/db';
import { parsePhone } from '@mctb/domain';
import * as z from 'zod';
import { invalid, notFound, ok, type FieldIssue, type Result } from './result.js';
import { findSubAccountInScope, type Scope } from './scope.js';

export interface UpdateOwnerInput {
  subAccountId: string;
  /** Omitted: unchanged; null or "": cleared. */
  email?: string | null;
  phone?: string | null;
}

const emailSchema = z.email({ error: 'must be an e-mail address such as owner@example.com' }).max(254, 'must be at most 254 characters');

/**
 * Sets who `owner` means in the sub-account's automations (notify steps, task assignees): the
 * business owner's e-mail and mobile. The owner is the sub-account's own, so its key may set them.
 */
export async function updateOwner(em: EntityManager, scope: Scope, input: UpdateOwnerInput): Promise<Result<SubAccount>> {
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  const issues: FieldIssue[] = [];
  if (input.email !== undefined) {
    const email = input.email?.trim() ?? '';
    if (email === '') subAccount.ownerEmail = null;
    else {
      const parsed = emailSchema.safeParse(email);
      if (parsed.success) subAccount.ownerEmail = parsed.data;
      else issues.push({ path: 'email', message: parsed.error.issues[0]!.message });
    }
  }
  if (input.phone !== undefined) {
    const phone = input.phone?.trim() ?? '';
    if (phone === '') subAccount.ownerPhone = null;
    else {
      const parsed = parsePhone(phone);
      if (parsed.ok) subAccount.ownerPhone = parsed.e164;
      else issues.push({ path: 'phone', message: parsed.reason });
    }
  }
  if (issues.length > 0) {
    em.clear();
    return invalid(issues);
  }
  await em.flush();
  return ok(subAccount);
}
