import type { AutomationRunView, AutomationStore, EntityManager } from '@mctb/db';
import { Contact } from '@mctb/db';
import { formatFieldPath } from '@mctb/domain';
import { oneLineProblem, pageAfter } from './one-line.js';
import { invalid, notFound, ok, type FieldIssue, type Result } from './result.js';
import { findSubAccountInScope, isUuid, type Scope } from './scope.js';

export const CONTACT_NAME_MAX = 100;
export const TAG_MAX = 64;
/** Tags a contact may carry: enough for any real segmentation, few enough to show and to test. */
export const TAGS_MAX = 50;

export interface ContactListPage {
  first?: number | null;
  /** The id of the last contact of the previous page. */
  after?: string | null;
  /** Only contacts whose phone contains these digits: a whole number in any format, or a part of one. */
  phone?: string | null;
}

/** The digits a phone filter matches on (null: no filter), or the problem with it, naming `phone`. */
export function contactPhoneFilter(phone: string | null | undefined): Result<string | null> {
  if (phone === null || phone === undefined) return ok(null);
  if (!/^[\d\s+().-]*$/.test(phone)) return invalid([{ path: 'phone', message: 'may contain only digits, spaces and + ( ) - .' }]);
  const digits = phone.replace(/\D/g, '');
  if (digits === '') return invalid([{ path: 'phone', message: 'must contain at least one digit' }]);
  if (digits.length > 15) return invalid([{ path: 'phone', message: 'must have at most 15 digits (the longest E.164 number)' }]);
  return ok(digits);
}

/** A sub-account's contacts, newest first. */
export async function listContacts(em: EntityManager, scope: Scope, subAccountId: string, page: ContactListPage = {}): Promise<Result<Contact[]>> {
  const subAccount = await findSubAccountInScope(em, scope, subAccountId);
  if (!subAccount) return notFound(`sub-account ${subAccountId} not found`);
  const filter = contactPhoneFilter(page.phone);
  if (!filter.ok) return filter;
  const [contacts = []] = await em.getRepository(Contact).pagePerSubAccount([subAccount.id], { first: page.first, after: page.after, phoneDigits: filter.value });
  return ok(contacts);
}

/** The contact, if it belongs to the sub-account (no scope check: the caller has the sub-account). */
export async function findContact(em: EntityManager, subAccountId: string, contactId: string): Promise<Contact | null> {
  return isUuid(contactId) ? em.findOne(Contact, { id: contactId, subAccount: subAccountId }) : null;
}

export async function getContact(em: EntityManager, scope: Scope, subAccountId: string, contactId: string): Promise<Result<Contact>> {
  const subAccount = await findSubAccountInScope(em, scope, subAccountId);
  if (!subAccount) return notFound(`sub-account ${subAccountId} not found`);
  const contact = await findContact(em, subAccount.id, contactId);
  return contact ? ok(contact) : notFound(`contact ${contactId} not found`);
}

export interface ContactChange {
  /** Omitted or null: unchanged; "" clears it. */
  firstName?: string | null;
  lastName?: string | null;
  addTags?: readonly string[] | null;
  removeTags?: readonly string[] | null;
}

/**
 * Renames a contact and adds or removes tags. Tags change in one statement that merges with the
 * contact's tags as stored (AutomationStore.changeTags), so an automation tagging the contact at
 * the same moment keeps its tag.
 */
export async function updateContact(
  em: EntityManager,
  store: AutomationStore,
  scope: Scope,
  subAccountId: string,
  contactId: string,
  change: ContactChange,
  taggedRuns?: TaggedRunStarter,
): Promise<Result<Contact>> {
  const found = await getContact(em, scope, subAccountId, contactId);
  if (!found.ok) return found;
  const contact = found.value;
  const issues: FieldIssue[] = [];
  const firstName = nameOf(change.firstName, 'firstName', issues);
  const lastName = nameOf(change.lastName, 'lastName', issues);
  const add = tagsOf(change.addTags ?? [], 'addTags', issues);
  const remove = tagsOf(change.removeTags ?? [], 'removeTags', issues);
  remove.forEach((tag, index) => {
    if (add.includes(tag)) issues.push({ path: formatFieldPath(['removeTags', index]), message: `"${tag}" is also in addTags` });
  });
  const after = new Set([...contact.tags.filter((tag) => !remove.includes(tag)), ...add]);
  if (after.size > TAGS_MAX) issues.push({ path: 'addTags', message: `a contact has at most ${TAGS_MAX} tags; this would give it ${after.size}` });
  if (issues.length > 0) return invalid(issues);

  // Runs on a new tag start before the tag is stored: if they can't, the edit fails whole and can be retried.
  const added = add.filter((tag) => !contact.tags.includes(tag));
  if (added.length > 0 && taggedRuns) await taggedRuns.start({ subAccountId: contact.subAccount.id, contactPhone: contact.phone, tags: added });
  if (firstName !== undefined) contact.firstName = firstName;
  if (lastName !== undefined) contact.lastName = lastName;
  await em.flush();
  if (add.length > 0 || remove.length > 0) {
    await store.changeTags(contact.id, { add, remove });
    await em.refresh(contact);
  }
  return ok(contact);
}

/** Starts the `contact.tagged` automations listening for tags a contact was just given. */
export interface TaggedRunStarter {
  start(event: { subAccountId: string; contactPhone: string; tags: string[] }): Promise<void>;
}

/** The contact's automation runs with their steps, newest first. */
export async function contactRuns(
  em: EntityManager,
  store: AutomationStore,
  scope: Scope,
  subAccountId: string,
  contactId: string,
  page: { first?: number | null; after?: string | null } = {},
): Promise<Result<AutomationRunView[]>> {
  const found = await getContact(em, scope, subAccountId, contactId);
  if (!found.ok) return found;
  return ok(pageAfter(await store.runsOfContact(subAccountId, found.value.id), page));
}

function nameOf(value: string | null | undefined, path: string, issues: FieldIssue[]): string | undefined {
  if (value === null || value === undefined) return undefined;
  const name = value.trim();
  const problem = oneLineProblem(name, CONTACT_NAME_MAX);
  if (problem) issues.push({ path, message: problem });
  return name;
}

/** The tags, trimmed and without repeats; each bad one is reported at its index. */
function tagsOf(values: readonly string[], path: string, issues: FieldIssue[]): string[] {
  if (values.length > TAGS_MAX) {
    issues.push({ path, message: `at most ${TAGS_MAX} tags at once` });
    return [];
  }
  const tags: string[] = [];
  values.forEach((value, index) => {
    const tag = value.trim();
    const problem = tag === '' ? 'must not be empty' : oneLineProblem(tag, TAG_MAX);
    if (problem) issues.push({ path: formatFieldPath([path, index]), message: problem });
    else if (!tags.includes(tag)) tags.push(tag);
  });
  return tags;
}
