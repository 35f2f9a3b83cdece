import type { EntityManager } from '@mctb/db';
import { Agency, announceRoutingChange, pageSize, PhoneNumber, SMS_PROVIDERS, SubAccount, UniqueConstraintViolationException, type SmsProviderName } from '@mctb/db';
import type { FilterQuery } from '@mctb/db';
import { CALL_TIMEOUT, checkCallTimeout, DEFAULT_CALL_SCREENING, MIN_ANSWERED_SECONDS_MAX, parsePhone, singleLineTextProblem, type CallScreening } from '@mctb/domain';
import type { NumberClaims } from './provider-accounts.js';
import { forbidden, invalid, notFound, ok, type FieldIssue, type Result } from './result.js';
import { findSubAccountInScope, isUuid, type Scope } from './scope.js';

export interface CreateSubAccountInput {
  name: string;
  /** IANA time zone, e.g. "America/New_York". */
  timeZone: string;
  /**
   * The provider number callers dial: not another sub-account's, and held at Twilio by the account
   * the agency claims through (its own, else the platform's), able to do voice and SMS.
   */
  twilioNumber: string;
  /** The business's own phone, where calls are forwarded. */
  forwardingNumber: string;
  incomingCallTimeout?: number;
  smsProvider?: string;
  /** How the forwarded call is screened; omitted parts keep their defaults. */
  screening?: Partial<CallScreening>;
}

export interface CreatedSubAccount {
  subAccount: SubAccount;
  phoneNumber: PhoneNumber;
  /** Accepted but risky settings, e.g. a ring timeout where carrier voicemail may answer. */
  warnings: string[];
}

/**
 * Creates a sub-account with its number. `claims` checks at the provider that the agency may claim
 * the number (ProviderAccounts); only seeds pass UNVERIFIED_NUMBER_CLAIMS.
 */
export async function createSubAccount(em: EntityManager, scope: Scope, input: CreateSubAccountInput, claims: NumberClaims): Promise<Result<CreatedSubAccount>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot create sub-accounts');
  const issues: FieldIssue[] = [];
  const name = input.name.trim();
  const nameProblem = name === '' ? 'must not be empty' : singleLineTextProblem(name, 120);
  if (nameProblem) issues.push({ path: 'name', message: nameProblem });
  if (!isTimeZone(input.timeZone)) issues.push({ path: 'timeZone', message: `"${input.timeZone}" is not an IANA time zone` });
  const twilioNumber = parsePhone(input.twilioNumber);
  if (!twilioNumber.ok) issues.push({ path: 'twilioNumber', message: twilioNumber.reason });
  const forwardingNumber = parsePhone(input.forwardingNumber);
  if (!forwardingNumber.ok) issues.push({ path: 'forwardingNumber', message: forwardingNumber.reason });
  if (twilioNumber.ok && forwardingNumber.ok && twilioNumber.e164 === forwardingNumber.e164) {
    issues.push({ path: 'forwardingNumber', message: 'must differ from twilioNumber, or calls would ring back into the same number' });
  }
  const screening = { ...DEFAULT_CALL_SCREENING, ...definedOnly(input.screening ?? {}) };
  issues.push(...screeningIssues(screening));
  const timeout = input.incomingCallTimeout ?? CALL_TIMEOUT.default;
  const timeoutCheck = checkCallTimeout(timeout, screening);
  if (!timeoutCheck.ok) issues.push({ path: 'incomingCallTimeout', message: timeoutCheck.reason });
  const smsProvider = input.smsProvider ?? 'outbox';
  if (!(SMS_PROVIDERS as readonly string[]).includes(smsProvider)) {
    issues.push({ path: 'smsProvider', message: `must be one of ${SMS_PROVIDERS.join(', ')}` });
  }
  if (twilioNumber.ok && (await em.count(PhoneNumber, { e164: twilioNumber.e164 })) > 0) {
    issues.push({ path: 'twilioNumber', message: `${twilioNumber.e164} already belongs to a sub-account` });
  }
  if (issues.length > 0 || !twilioNumber.ok || !forwardingNumber.ok) return invalid(issues);
  // Asked last: the provider is asked only about an otherwise acceptable claim.
  const claim = await claims.check(em, scope.agencyId, twilioNumber.e164);
  if (!claim.ok) return invalid([{ path: 'twilioNumber', message: claim.message }]);

  const subAccount = new SubAccount({
    agency: em.getReference(Agency, scope.agencyId),
    name,
    timeZone: input.timeZone,
    forwardingNumber: forwardingNumber.e164,
    incomingCallTimeout: timeout,
    smsProvider: smsProvider as SmsProviderName,
  });
  applyScreening(subAccount, screening);
  const phoneNumber = new PhoneNumber(twilioNumber.e164, subAccount);
  phoneNumber.accountSid = claim.accountSid;
  try {
    await em.persist([subAccount, phoneNumber]).flush();
  } catch (error) {
    // Two requests raced for the same number; the unique key let one win.
    if (error instanceof UniqueConstraintViolationException) return invalid([{ path: 'twilioNumber', message: `${twilioNumber.e164} already belongs to a sub-account` }]);
    throw error;
  }
  return ok({ subAccount, phoneNumber, warnings: callHandlingWarnings(timeoutCheck.ok ? timeoutCheck.warning : null, screening) });
}

export interface UpdateCallHandlingInput {
  subAccountId: string;
  incomingCallTimeout?: number;
  screening?: Partial<CallScreening>;
}

/**
 * Changes how a sub-account's calls are rung and screened. The ring timeout and screening are
 * checked together: above 20 s only "press 1 to accept" tells a person from a carrier voicemail.
 */
export async function updateCallHandling(em: EntityManager, scope: Scope, input: UpdateCallHandlingInput): Promise<Result<{ subAccount: SubAccount; warnings: string[] }>> {
  if (scope.subAccountId !== null) return forbidden('a sub-account API key cannot change call handling; ask the agency');
  const subAccount = await findSubAccountInScope(em, scope, input.subAccountId);
  if (!subAccount) return notFound(`sub-account ${input.subAccountId} not found`);
  const current: CallScreening = { pressOneToAccept: subAccount.pressOneToAccept, machineDetection: subAccount.machineDetection, minAnsweredSeconds: subAccount.minAnsweredSeconds };
  const screening = { ...current, ...definedOnly(input.screening ?? {}) };
  const issues = screeningIssues(screening);
  const timeout = input.incomingCallTimeout ?? subAccount.incomingCallTimeout;
  const timeoutCheck = checkCallTimeout(timeout, screening);
  if (!timeoutCheck.ok) issues.push({ path: 'incomingCallTimeout', message: timeoutCheck.reason });
  if (issues.length > 0) return invalid(issues);
  subAccount.incomingCallTimeout = timeout;
  applyScreening(subAccount, screening);
  await em.flush();
  await announceRoutingChange(em, subAccount.id);
  return ok({ subAccount, warnings: callHandlingWarnings(timeoutCheck.ok ? timeoutCheck.warning : null, screening) });
}

function screeningIssues(screening: CallScreening): FieldIssue[] {
  const { minAnsweredSeconds } = screening;
  if (!Number.isInteger(minAnsweredSeconds) || minAnsweredSeconds < 0 || minAnsweredSeconds > MIN_ANSWERED_SECONDS_MAX) {
    return [{ path: 'screening.minAnsweredSeconds', message: `must be a whole number of seconds from 0 to ${MIN_ANSWERED_SECONDS_MAX}` }];
  }
  return [];
}

function applyScreening(subAccount: SubAccount, screening: CallScreening): void {
  subAccount.pressOneToAccept = screening.pressOneToAccept;
  subAccount.machineDetection = screening.machineDetection;
  subAccount.minAnsweredSeconds = screening.minAnsweredSeconds;
}

function callHandlingWarnings(timeoutWarning: string | null, screening: CallScreening): string[] {
  const warnings = timeoutWarning ? [timeoutWarning] : [];
  if (!screening.pressOneToAccept && !screening.machineDetection && screening.minAnsweredSeconds === 0) {
    warnings.push("no call screening: a call the carrier's voicemail picks up counts as answered and gets no text; turn on machine detection or press 1 to accept");
  }
  return warnings;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as Partial<T>;
}

/** The sub-accounts a key sees, oldest first; `after` is the id of the last one of the previous page. */
export async function listSubAccounts(em: EntityManager, scope: Scope, page: { first?: number | null; after?: string | null } = {}): Promise<SubAccount[]> {
  const where: FilterQuery<SubAccount> = { agency: scope.agencyId, ...(scope.subAccountId ? { id: scope.subAccountId } : {}) };
  if (page.after) {
    const last = isUuid(page.after) ? await em.findOne(SubAccount, { id: page.after, agency: scope.agencyId }) : null;
    if (!last) return [];
    where.$or = [{ createdAt: { $gt: last.createdAt } }, { createdAt: last.createdAt, id: { $gt: last.id } }];
  }
  return em.find(SubAccount, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: pageSize(page.first) });
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
