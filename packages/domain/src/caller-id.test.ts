import { describe, expect, it } from 'vitest';
import { classifyCallerId } from './caller-id.js';
import { parsePhone } from './phone.js';

describe('classifyCallerId', () => {
  it.each([
    ['anonymous', 'anonymous'],
    ['Restricted', 'restricted'],
    ['+266696687', 'anonymous'],
    ['+7378742833', 'restricted'],
    ['', 'anonymous'],
    ['12', 'invalid'],
    // Not a number anyone can text, however many digits it holds.
    ['+14155552671\uFFFD', 'invalid'],
    ['sip:+14155552671@pbx.example.com', 'invalid'],
    ['+14155552671, +14155552672', 'invalid'],
  ])('never texts %j (%s)', (from, reason) => {
    expect(classifyCallerId(from)).toMatchObject({ kind: 'untextable', reason });
  });

  it('normalises a real caller to E.164', () => {
    expect(classifyCallerId('+1 (415) 555-2671')).toEqual({ kind: 'textable', e164: '+14155552671' });
  });
});

describe('parsePhone', () => {
  it('reads national numbers in the default country and rejects junk with a reason', () => {
    expect(parsePhone('(415) 555-2671')).toEqual({ ok: true, e164: '+14155552671' });
    expect(parsePhone('+44 20 7946 0958')).toEqual({ ok: true, e164: '+442079460958' });
    expect(parsePhone('call me')).toEqual({ ok: false, reason: '"call me" is not a phone number' });
    expect(parsePhone('+1 555')).toMatchObject({ ok: false });
  });
});
