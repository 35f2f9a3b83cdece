import { DateTime } from 'luxon';
import { instantOf, localDayOf, zoneNamed } from './wall-clock.js';

/** Openings this many days ahead or more name their year too ("on Tuesday, January 5, 2027"). */
const DAYS_BEFORE_YEAR_IS_NAMED = 180;

/**
 * How an opening reads in the `business_hours.next_open` merge field, so that "We're closed and open
 * {{ business_hours.next_open }}." is a sentence: "today at 2:00 PM", "tomorrow at 8:00 AM",
 * "Monday at 9:00 AM" within the coming week, "on Friday, January 2 at 9:00 AM" further out, and
 * "now" when the opening is not after `now`. Days are counted on the business's calendar (`zone`),
 * never the server's or UTC's: at 11:30 PM in Chicago an 8 AM opening is "tomorrow" although UTC is
 * already on that day. The words are English; `locale` chooses the English variant's time and date
 * format ("en-GB": "tomorrow at 08:00"). Pure: `now` is passed in, the clock is never read.
 */
export function describeOpening(opening: Date, now: Date, zone: string, locale = 'en-US'): string {
  const tz = zoneNamed(zone);
  const [openingInstant, nowInstant] = [instantOf(opening), instantOf(now)];
  if (openingInstant <= nowInstant) return 'now';
  const daysAhead = localDayOf(tz, openingInstant) - localDayOf(tz, nowInstant);
  const local = DateTime.fromMillis(openingInstant, { zone: tz, locale });
  const time = plainSpaces(local.toLocaleString(DateTime.TIME_SIMPLE));
  if (daysAhead === 0) return `today at ${time}`;
  if (daysAhead === 1) return `tomorrow at ${time}`;
  if (daysAhead < 7) return `${local.toLocaleString({ weekday: 'long' })} at ${time}`;
  const date = local.toLocaleString({
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    ...(daysAhead >= DAYS_BEFORE_YEAR_IS_NAMED ? { year: 'numeric' } : {}),
  });
  return `on ${plainSpaces(date)} at ${time}`;
}

/**
 * Newer ICU data puts a narrow no-break space before "AM"/"PM"; in an SMS that one character would
 * switch the whole text from GSM-7 (160 per segment) to UCS-2 (70), so use plain spaces.
 */
function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}
