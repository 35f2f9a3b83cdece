import { MERGE_FIELDS } from '@mctb/templates';
import { TRIGGER_TYPES, type TriggerType } from './workflow-types.js';

/** Filled from the snapshot's businessHours (so only a snapshot that declares them may use them). */
export const BUSINESS_HOURS_FIELDS = ['business_hours.is_open', 'business_hours.next_open'] as const;

/** Filled from what started the run: only a missed call has an outcome. */
const CALL_FIELDS: readonly string[] = ['call.outcome'];

/** Filled from the text that started the run. */
const MESSAGE_FIELDS: readonly string[] = ['message.body'];

/** What every run knows: its contact, the sub-account, its hours (custom_values.* come on top). */
const EVERY_RUN: readonly string[] = [...MERGE_FIELDS.filter((field) => !CALL_FIELDS.includes(field) && !MESSAGE_FIELDS.includes(field)), ...BUSINESS_HOURS_FIELDS];

/**
 * The merge fields each trigger supplies: the one place that says so. A template a workflow sends
 * may only use the fields of every trigger its run can start from (a workflow started by another
 * carries that one's trigger event).
 */
export const TRIGGER_MERGE_FIELDS: Readonly<Record<TriggerType, readonly string[]>> = {
  'call.missed': [...EVERY_RUN, ...CALL_FIELDS],
  'message.received': [...EVERY_RUN, ...MESSAGE_FIELDS],
  'contact.tagged': EVERY_RUN,
};

/** Every field some trigger supplies; fields outside it are the template validator's to report. */
export const TRIGGERED_MERGE_FIELDS: ReadonlySet<string> = new Set(TRIGGER_TYPES.flatMap((type) => TRIGGER_MERGE_FIELDS[type]));

/** The triggers among `entries` that do not supply `field`. */
export function triggersLacking(field: string, entries: Iterable<TriggerType>): TriggerType[] {
  return [...entries].filter((type) => !TRIGGER_MERGE_FIELDS[type].includes(field));
}
