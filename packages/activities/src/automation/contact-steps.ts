import { AutomationStore } from '@mctb/db';
import type { ActivityDeps } from '../deps.js';

/** What an `if` step reads about the contact, as it is now. */
export interface ContactFactsView {
  tags: string[];
  firstName: string;
  lastName: string;
  phone: string;
  /** Epoch ms of the last text either way, or null. */
  lastConversationAt: number | null;
}

export async function loadContactFacts(deps: ActivityDeps, input: { contactId: string }): Promise<ContactFactsView> {
  const facts = await new AutomationStore(deps.orm).contactFacts(input.contactId);
  if (!facts) return { tags: [], firstName: '', lastName: '', phone: '', lastConversationAt: null };
  const times = [facts.lastInboundAt, facts.lastOutboundAt].filter((at): at is Date => at !== null).map((at) => at.getTime());
  return {
    tags: facts.tags,
    firstName: facts.firstName,
    lastName: facts.lastName,
    phone: facts.phone,
    lastConversationAt: times.length > 0 ? Math.max(...times) : null,
  };
}

/** `add_tag` / `remove_tag`: idempotent, so a retry changes nothing twice. Returns the tags after. */
export async function changeContactTags(deps: ActivityDeps, input: { contactId: string; add: string[]; remove: string[] }): Promise<string[]> {
  return new AutomationStore(deps.orm).changeTags(input.contactId, { add: input.add, remove: input.remove });
}
