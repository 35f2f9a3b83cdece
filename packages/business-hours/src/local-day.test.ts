import { describe, expect, it } from 'vitest';
import { localDate, localWeekday, startOfLocalDay } from './local-day.js';

describe('local days', () => {
  it('names the weekday the business sees, not the UTC one', () => {
    // 2026-03-09 03:00 UTC is still Sunday evening in Chicago.
    expect(localWeekday('America/Chicago', new Date('2026-03-09T03:00:00Z'))).toBe('sun');
    expect(localWeekday('UTC', new Date('2026-03-09T03:00:00Z'))).toBe('mon');
  });

  it('starts the local day at local midnight, on both 2026 US transition days', () => {
    expect(startOfLocalDay('America/Chicago', new Date('2026-03-08T20:00:00Z')).toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(startOfLocalDay('America/Chicago', new Date('2026-03-09T20:00:00Z')).toISOString()).toBe('2026-03-09T05:00:00.000Z');
    expect(startOfLocalDay('America/Chicago', new Date('2026-11-01T20:00:00Z')).toISOString()).toBe('2026-11-01T05:00:00.000Z');
  });

  it('dates an instant by the zone\'s calendar', () => {
    expect(localDate('America/Chicago', new Date('2026-03-09T03:00:00Z'))).toBe('2026-03-08');
    expect(localDate('Asia/Tokyo', new Date('2026-03-09T03:00:00Z'))).toBe('2026-03-09');
  });

  it('refuses a zone it does not know, naming it', () => {
    expect(() => localWeekday('Mars/Olympus', new Date())).toThrow(/Mars\/Olympus/);
  });
});
