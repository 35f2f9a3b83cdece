import type { EntityManager } from '@mctb/db';
import { Agency, PhoneNumber, SMS_PROVIDERS, SubAccount, UniqueConstraintViolationException, type SmsProviderName } from '@mctb/db';
import { CALL_TIMEOUT, callTimeoutWarning, parsePhone } from '@mctb/domain';
import { forbidden, invalid, ok, type FieldIssue, type Result } from './result.js';
import type { Scope } from './scope.js';

export interface CreateSubAccountInput {
  name: string;
  /** IANA time zone, e.g. "America/New_York". */
  timeZone: string;
  /** The provider number callers dial; it must not belong to another sub-account. */
  twilioNumber: string;
  /** The business's own phone, where calls are forwarded. */
  forwardingNumber: string;
  incomingCallTimeout?: number;
  smsProvider?: string;
}

export interface CreatedSubAccount {
  subAccount: SubAccount;
  phoneNumber: PhoneNumber;
  /** Accepted but risky settings, e.g. a ring timeout where carrier voicemail may answer. */
  warnings: string[];
}

export async function createSubAccount(em: EntityManager, scope: Scope, input: CreateSubAccountInput): Promise<Result<CreatedSubAccount>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot create sub-accounts');
  const issues: FieldIssue[] = [];
  const name = input.name.trim();
  if (name === '') issues.push({ path: 'name', message: 'must not be empty' });
  if (!isTimeZone(input.timeZone)) issues.push({ path: 'timeZone', message: `"${input.timeZone}" is not an IANA time zone` });
  const twilioNumber = parsePhone(input.twilioNumber);
  if (!twilioNumber.ok) issues.push({ path: 'twilioNumber', message: twilioNumber.reason });
  const forwardingNumber = parsePhone(input.forwardingNumber);
  if (!forwardingNumber.ok) issues.push({ path: 'forwardingNumber', message: forwardingNumber.reason });
  if (twilioNumber.ok && forwardingNumber.ok && twilioNumber.e164 === forwardingNumber.e164) {
    issues.push({ path: 'forwardingNumber', message: 'must differ from twilioNumber, or calls would ring back into the same number' });
  }
  const timeout = input.incomingCallTimeout ?? CALL_TIMEOUT.default;
  if (!Number.isInteger(timeout) || timeout < CALL_TIMEOUT.min || timeout > CALL_TIMEOUT.max) {
    issues.push({ path: 'incomingCallTimeout', message: `must be a whole number of seconds from ${CALL_TIMEOUT.min} to ${CALL_TIMEOUT.max}` });
  }
  const smsProvider = input.smsProvider ?? 'outbox';
  if (!(SMS_PROVIDERS as readonly string[]).includes(smsProvider)) {
    issues.push({ path: 'smsProvider', message: `must be one of ${SMS_PROVIDERS.join(', ')}` });
  }
  if (twilioNumber.ok && (await em.count(PhoneNumber, { e164: twilioNumber.e164 })) > 0) {
    issues.push({ path: 'twilioNumber', message: `${twilioNumber.e164} already belongs to a sub-account` });
  }
  if (issues.length > 0 || !twilioNumber.ok || !forwardingNumber.ok) return invalid(issues);

  const subAccount = new SubAccount({
    agency: em.getReference(Agency, scope.agencyId),
    name,
    timeZone: input.timeZone,
    forwardingNumber: forwardingNumber.e164,
    incomingCallTimeout: timeout,
    smsProvider: smsProvider as SmsProviderName,
  });
  const phoneNumber = new PhoneNumber(twilioNumber.e164, subAccount);
  try {
    await em.persist([subAccount, phoneNumber]).flush();
  } catch (error) {
    // Two requests raced for the same number; the unique key let one win.
    if (error instanceof UniqueConstraintViolationException) return invalid([{ path: 'twilioNumber', message: `${twilioNumber.e164} already belongs to a sub-account` }]);
    throw error;
  }
  const warning = callTimeoutWarning(timeout);
  return ok({ subAccount, phoneNumber, warnings: warning ? [warning] : [] });
}

export async function listSubAccounts(em: EntityManager, scope: Scope): Promise<SubAccount[]> {
  return em.find(
    SubAccount,
    { agency: scope.agencyId, ...(scope.subAccountId ? { id: scope.subAccountId } : {}) },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
}

export async function phoneNumbersOf(em: EntityManager, subAccountId: string): Promise<PhoneNumber[]> {
  return em.find(PhoneNumber, { subAccount: subAccountId }, { orderBy: { e164: 'asc' } });
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}
