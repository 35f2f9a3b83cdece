import { inWindow, isOpenAt, localWeekday, type BusinessHours } from '@mctb/business-hours';
import type { Condition } from '@mctb/snapshots';

/** What a contact's conditions read, loaded from the database when an `if` needs them. */
export interface ContactFacts {
  tags: string[];
  firstName: string;
  lastName: string;
  phone: string;
  /** Epoch ms of the last text either way, or null. */
  lastConversationAt: number | null;
}

/** Everything a condition can read: the run's pinned input, workflow time, and contact facts. */
export interface ConditionFacts {
  /** Workflow time (deterministic). */
  now: Date;
  /** The business's zone: its hours' own zone, else the sub-account's. */
  zone: string;
  businessHours: BusinessHours | null;
  callOutcome: string | null;
  customValues: Record<string, string>;
  contactIsNew: boolean;
  /** Null when the condition needs none (see needsContactFacts). */
  contact: ContactFacts | null;
}

/** Whether evaluating the condition reads the contact's current tags, fields or conversation. */
export function needsContactFacts(condition: Condition): boolean {
  switch (condition.type) {
    case 'has_tag':
    case 'conversation_active_within':
    case 'contact_field_equals':
      return true;
    case 'all':
    case 'any':
      return condition.conditions.some(needsContactFacts);
    case 'not':
      return needsContactFacts(condition.condition);
    default:
      return false;
  }
}

/**
 * Evaluates an `if` step's condition. Pure and deterministic, so it runs inside the workflow. A
 * snapshot without business hours is always open (the validator keeps such snapshots from asking).
 */
export function evaluateCondition(condition: Condition, facts: ConditionFacts): boolean {
  switch (condition.type) {
    case 'business_hours':
      return (facts.businessHours === null || isOpenAt(facts.businessHours, facts.zone, facts.now)) === condition.open;
    case 'call_outcome':
      return facts.callOutcome !== null && (condition.in as string[]).includes(facts.callOutcome);
    case 'has_tag':
      return contactOf(facts).tags.includes(condition.tag);
    case 'new_contact':
      return facts.contactIsNew;
    case 'conversation_active_within': {
      const last = contactOf(facts).lastConversationAt;
      return last !== null && last >= facts.now.getTime() - condition.seconds * 1000;
    }
    case 'custom_value_equals':
      return (facts.customValues[condition.key] ?? '') === condition.value;
    case 'contact_field_equals':
      return contactFieldOf(contactOf(facts), condition.field) === condition.value;
    case 'day_of_week':
      return condition.days.includes(localWeekday(facts.zone, facts.now));
    case 'time_of_day':
      return inWindow(condition.window, facts.zone, facts.now);
    case 'all':
      return condition.conditions.every((inner) => evaluateCondition(inner, facts));
    case 'any':
      return condition.conditions.some((inner) => evaluateCondition(inner, facts));
    case 'not':
      return !evaluateCondition(condition.condition, facts);
  }
}

function contactOf(facts: ConditionFacts): ContactFacts {
  if (facts.contact === null) throw new Error('a contact condition was evaluated without the contact\'s facts');
  return facts.contact;
}

function contactFieldOf(contact: ContactFacts, field: 'first_name' | 'last_name' | 'phone'): string {
  if (field === 'first_name') return contact.firstName;
  if (field === 'last_name') return contact.lastName;
  return contact.phone;
}
