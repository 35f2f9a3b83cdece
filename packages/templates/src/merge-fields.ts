/** The values a message template can merge in (DESIGN §4). Empty strings mean "unknown". */
export interface MergeContext {
  contact: { first_name: string; last_name: string; phone: string };
  location: { name: string; phone: string; booking_link: string };
  custom_values: Record<string, string>;
  call: { outcome: string };
  /** Only where the snapshot declares business hours (the snapshot validator keeps others from using them). */
  business_hours?: { is_open: string; next_open: string };
  /** The text that started the run (message.received workflows only). */
  message?: { body: string };
}

/** Every merge field a template may reference, besides the declared `custom_values.<key>`. */
export const MERGE_FIELDS = [
  'contact.first_name',
  'contact.last_name',
  'contact.phone',
  'location.name',
  'location.phone',
  'location.booking_link',
  'call.outcome',
  'business_hours.is_open',
  'business_hours.next_open',
  'message.body',
] as const;

/**
 * Plausible data for "send a test message". `custom_values` is empty on purpose: callers spread in
 * the sub-account's resolved custom values so a test shows what a real caller would receive.
 */
export const SAMPLE_MERGE_CONTEXT: MergeContext = {
  contact: { first_name: 'Jamie', last_name: 'Rivera', phone: '+15555550123' },
  location: { name: 'Northside Plumbing', phone: '+15555550100', booking_link: 'https://example.com/book' },
  custom_values: {},
  call: { outcome: 'no_answer' },
  business_hours: { is_open: 'false', next_open: 'tomorrow at 8:00 AM' },
  message: { body: 'Yes please, Thursday morning works' },
};
