import { describe, expect, it } from 'vitest';
import { defaultIdempotencyKey } from './idempotency-key.js';

describe('the default idempotency key of a provisioning run', () => {
  const csv = 'subAccountId,booking_link\nsa_1,https://book.example/a\n';

  it('is the same for the same snapshot version and CSV, whatever the line endings', () => {
    expect(defaultIdempotencyKey('hvac', 2, csv)).toBe(defaultIdempotencyKey('hvac', 2, csv.replace(/\n/g, '\r\n')));
    expect(defaultIdempotencyKey('hvac', 2, csv)).toMatch(/^mctb-cli-[0-9a-f]{32}$/);
  });

  it('changes with the version, the snapshot or the CSV, so each is a run of its own', () => {
    const key = defaultIdempotencyKey('hvac', 2, csv);
    expect(defaultIdempotencyKey('hvac', 3, csv)).not.toBe(key);
    expect(defaultIdempotencyKey('plumbing', 2, csv)).not.toBe(key);
    expect(defaultIdempotencyKey('hvac', 2, csv.replace('/a', '/b'))).not.toBe(key);
  });
});
