import { nextOpening, WEEKDAYS, type Weekday } from '@mctb/business-hours';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

/** Skips the time-skipping server's clock to an instant (never backwards). */
export async function advanceToInstant(env: TestWorkflowEnvironment, at: Date): Promise<void> {
  const now = await env.currentTimeMs();
  if (at.getTime() < now) throw new Error(`cannot go back in time to ${at.toISOString()} (the server is at ${new Date(now).toISOString()})`);
  await env.sleep(at.getTime() - now);
}

/** Skips the clock to the next moment (at least a minute away) the zone's clock reads that weekday and time. */
export async function advanceTo(env: TestWorkflowEnvironment, zone: string, day: Weekday, time: string): Promise<Date> {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const minute = hours * 60 + minutes;
  const weekly = WEEKDAYS.map((each) => (each === day ? [{ start: minute, end: minute + 1 }] : []));
  const at = nextOpening({ timeZone: zone, weekly, closed: [] }, zone, new Date((await env.currentTimeMs()) + 60_000))!;
  await advanceToInstant(env, at);
  return at;
}
