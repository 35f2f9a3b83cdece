import { Call, Contact, type EntityManager } from '@mctb/db';
import type { CallView, ContactView, PublishedManifest } from '@mctb/plugin-sdk';

/** What a plugin is shown of a stored call. */
export async function callViewOf(em: EntityManager, callSid: string): Promise<CallView | null> {
  const call = await em.findOne(Call, { callSid });
  if (!call) return null;
  return { callSid: call.callSid, subAccountId: call.subAccount.id, from: call.callerPhone, to: call.toNumber, outcome: call.outcome, outcomeSource: call.outcomeSource };
}

/** What a plugin is shown of a contact: names and tags only with the "contacts:read" permission. */
export async function contactViewOf(em: EntityManager, contactId: string, manifest: PublishedManifest): Promise<ContactView | null> {
  const contact = await em.findOne(Contact, { id: contactId });
  if (!contact) return null;
  const full = manifest.permissions.includes('contacts:read');
  return {
    id: contact.id,
    phone: contact.phone,
    firstName: full ? contact.firstName : '',
    lastName: full ? contact.lastName : '',
    tags: full ? [...contact.tags] : [],
  };
}
