import { describeOpening, isOpenAt, nextOpening } from '@mctb/business-hours';
import type { Contact, EntityManager, SubAccount } from '@mctb/db';
import { PhoneNumber, Provisioning } from '@mctb/db';
import { currentDefinition, withLocalEdits, type SnapshotDefinition } from '@mctb/snapshots';
import { previewTemplate, SAMPLE_MERGE_CONTEXT, TemplateRenderError, validateTemplate, type MergeContext, type MessageSegments } from '@mctb/templates';
import { findContact } from './contacts.js';
import { forbidden, invalid, notFound, ok, type Result } from './result.js';
import { findSubAccountInScope, type Scope } from './scope.js';

/** What to render: inline Liquid (`template`) or a template of the provisioned snapshot (`templateKey`), for a contact or the sample one. */
export interface MessageTemplateInput {
  subAccountId: string;
  template?: string | null;
  templateKey?: string | null;
  /** Null or omitted: the sample contact (Jamie Rivera). */
  contactId?: string | null;
}

export interface RenderedMessage {
  body: string;
  segments: MessageSegments;
  /** The empty-message warning and the segments' own (more than one segment, what forced UCS-2). */
  warnings: string[];
  subAccount: SubAccount;
  /** The chosen contact; null when the sample contact was used. */
  contact: Contact | null;
  /** The number the sub-account texts from (its first SMS-capable number); null when it has none. */
  smsNumber: string | null;
}

/**
 * The sub-account the scope may act on. A sub-account key naming another sub-account is told so
 * (ForbiddenError): it knows which one it belongs to, so this reveals nothing.
 */
export async function subAccountToActOn(em: EntityManager, scope: Scope, subAccountId: string): Promise<Result<SubAccount>> {
  if (scope.subAccountId !== null && scope.subAccountId !== subAccountId) {
    return forbidden(`this API key belongs to sub-account ${scope.subAccountId} and can only act on it, not on ${subAccountId}`);
  }
  const subAccount = await findSubAccountInScope(em, scope, subAccountId);
  return subAccount ? ok(subAccount) : notFound(`sub-account ${subAccountId} not found`);
}

/**
 * Renders a template as the sub-account would send it (its custom values, location and hours,
 * local template edits applied) for a chosen or sample contact, and reports how it is billed.
 * Template problems come back as ValidationError issues naming `template` or `templates.<key>`.
 */
export async function renderMessage(em: EntityManager, scope: Scope, input: MessageTemplateInput, now: Date = new Date()): Promise<Result<RenderedMessage>> {
  const found = await subAccountToActOn(em, scope, input.subAccountId);
  if (!found.ok) return found;
  const subAccount = found.value;
  const inline = input.template ?? null;
  const key = input.templateKey ?? null;
  if ((inline === null) === (key === null)) {
    return invalid([{ path: inline === null ? 'template' : 'templateKey', message: 'give either template (inline Liquid) or templateKey (a template of the provisioned snapshot), not both or neither' }]);
  }
  const provisioning = await em.findOne(Provisioning, { subAccount }, { populate: ['snapshotVersion'] });
  const definition: SnapshotDefinition | null = provisioning ? withLocalEdits(currentDefinition(provisioning.snapshotVersion.definition), provisioning.localEdits) : null;

  let source: string;
  let path: string;
  if (key !== null) {
    path = `templates.${key}`;
    if (!definition) return invalid([{ path: 'templateKey', message: 'nothing is provisioned in this sub-account yet: provision a snapshot first, or give an inline template' }]);
    const stored = Object.hasOwn(definition.templates, key) ? definition.templates[key] : undefined;
    if (stored === undefined) {
      return invalid([{ path: 'templateKey', message: `"${key.slice(0, 80)}" is not a template of ${definition.metadata.slug} v${provisioning!.snapshotVersion.version} (its templates: ${Object.keys(definition.templates).join(', ')})` }]);
    }
    source = stored;
  } else {
    path = 'template';
    source = inline!;
    const issues = validateTemplate(source, { customValueKeys: definition?.customValues.map((value) => value.key) ?? [] });
    if (issues.length > 0) return invalid(issues.map((issue) => ({ path, message: issue.message, line: issue.line, column: issue.column })));
  }

  let contact: Contact | null = null;
  if (input.contactId !== null && input.contactId !== undefined) {
    contact = await findContact(em, subAccount.id, input.contactId);
    if (!contact) return notFound(`contact ${input.contactId} not found`);
  }
  const number = await em.findOne(PhoneNumber, { subAccount, smsCapable: true }, { orderBy: { createdAt: 'asc', e164: 'asc' } });
  const customValues = provisioning?.customValues ?? {};
  const merge: MergeContext = {
    contact: contact ? { first_name: contact.firstName, last_name: contact.lastName, phone: contact.phone } : SAMPLE_MERGE_CONTEXT.contact,
    location: { name: subAccount.name, phone: number?.e164 ?? '', booking_link: customValues.booking_link ?? '' },
    custom_values: customValues,
    call: SAMPLE_MERGE_CONTEXT.call,
  };
  const hours = definition?.businessHours;
  if (hours) {
    const zone = hours.timeZone ?? subAccount.timeZone;
    const opening = nextOpening(hours, zone, now);
    merge.business_hours = { is_open: String(isOpenAt(hours, zone, now)), next_open: opening === null ? '' : describeOpening(opening, now, zone) };
  }
  try {
    const preview = await previewTemplate(source, merge);
    return ok({ body: preview.text, segments: preview.segments, warnings: preview.warnings, subAccount, contact, smsNumber: number?.e164 ?? null });
  } catch (error) {
    if (error instanceof TemplateRenderError) return invalid([{ path, message: error.message }]);
    throw error;
  }
}
