import { describe, expect, it } from 'vitest';
import { DeadlineExceededError } from './deadline.js';
import { isOutage } from './outages.js';

const withCode = (message: string, code: unknown, extra: object = {}) => Object.assign(new Error(message), { code }, extra);

describe('isOutage', () => {
  it('counts an unavailable PostgreSQL or Temporal, and a deadline we gave up at', () => {
    expect(isOutage(new DeadlineExceededError('look up the call', 1500))).toBe(true);
    for (const sqlState of ['08006', '57P01', '40001', '53300']) expect(isOutage(withCode('db', sqlState))).toBe(true);
    expect(isOutage(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isOutage(Object.assign(new Error('select "c0".* from "calls" - Connection terminated unexpectedly'), { name: 'DriverException' }))).toBe(true);
    expect(isOutage(new Error('signal failed', { cause: withCode('14 UNAVAILABLE: No connection established', 14, { metadata: {} }) }))).toBe(true);
  });

  it('does not count a bad request or a bug', () => {
    expect(isOutage(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isOutage(Object.assign(new Error('[{"code":"invalid_value","path":["type"]}]'), { name: 'ZodError' }))).toBe(false);
    expect(isOutage(new Error('event for call CA1 cannot report on call CA2'))).toBe(false);
    expect(isOutage(withCode('not found', 5, { metadata: {} }))).toBe(false);
    expect(isOutage('Connection terminated')).toBe(false);
  });
});
