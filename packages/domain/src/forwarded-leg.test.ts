import { describe, expect, it } from 'vitest';
import { classifyForwardedLeg, DEFAULT_CALL_SCREENING, type CallScreening, type ForwardedLegReport } from './forwarded-leg.js';
import { classifyProviderCall } from './provider-call.js';
import { checkCallTimeout } from './textback.js';

const none: CallScreening = { pressOneToAccept: false, machineDetection: false, minAnsweredSeconds: 0 };
const completed = (over: Partial<ForwardedLegReport>): ForwardedLegReport => ({
  dialCallStatus: 'completed',
  connectedSeconds: 40,
  answeredBy: null,
  accepted: false,
  screening: none,
  ...over,
});

describe('classifyForwardedLeg: the carrier voicemail never counts as answered (DESIGN §3)', () => {
  it('counts a completed forward as answered when nothing says otherwise', () => {
    expect(classifyForwardedLeg(completed({}))).toEqual({ outcome: 'answered', detail: null });
  });

  it('makes a forward a machine picked up a missed call', () => {
    const result = classifyForwardedLeg(completed({ answeredBy: 'machine_end_beep', screening: DEFAULT_CALL_SCREENING }));
    expect(result.outcome).toBe('no_answer');
    expect(result.detail).toMatch(/machine answered.*machine_end_beep/);
    expect(classifyForwardedLeg(completed({ answeredBy: 'human' })).outcome).toBe('answered');
    expect(classifyForwardedLeg(completed({ answeredBy: 'unknown' })).outcome).toBe('answered');
  });

  it('with press-1 screening, only an accepted forward is answered', () => {
    const screening = { ...none, pressOneToAccept: true };
    expect(classifyForwardedLeg(completed({ screening })).outcome).toBe('no_answer');
    expect(classifyForwardedLeg(completed({ screening })).detail).toMatch(/not accepted/);
    expect(classifyForwardedLeg(completed({ screening, accepted: true })).outcome).toBe('answered');
  });

  it('makes a connection shorter than the threshold a missed call', () => {
    const screening = { ...none, minAnsweredSeconds: 10 };
    expect(classifyForwardedLeg(completed({ screening, connectedSeconds: 4 }))).toMatchObject({ outcome: 'no_answer', detail: expect.stringMatching(/4s, under the 10s/) });
    expect(classifyForwardedLeg(completed({ screening, connectedSeconds: 10 })).outcome).toBe('answered');
  });

  it('leaves unanswered dial statuses as they are', () => {
    expect(classifyForwardedLeg(completed({ dialCallStatus: 'busy', answeredBy: 'machine_start' })).outcome).toBe('declined');
    expect(classifyForwardedLeg(completed({ dialCallStatus: 'no-answer' })).outcome).toBe('no_answer');
  });
});

describe('checkCallTimeout', () => {
  it('refuses more than 20 s of ringing unless press-1 screening is on, and says why', () => {
    const refused = checkCallTimeout(25, { pressOneToAccept: false });
    expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/above 20s.*voicemail.*press 1/) });
    expect(checkCallTimeout(25, { pressOneToAccept: true })).toEqual({ ok: true, warning: null });
    expect(checkCallTimeout(18, { pressOneToAccept: false })).toEqual({ ok: true, warning: null });
    expect(checkCallTimeout(10, { pressOneToAccept: false })).toMatchObject({ ok: true, warning: expect.stringMatching(/below 15s/) });
    expect(checkCallTimeout(61, { pressOneToAccept: true }).ok).toBe(false);
  });
});

describe('classifyProviderCall: a call whose dial result never reached us', () => {
  const known = { answeredBy: null, accepted: false, screening: DEFAULT_CALL_SCREENING };
  it('waits while the call or its forwarded leg is still going', () => {
    expect(classifyProviderCall({ status: 'in-progress', durationSeconds: null, legs: [] }, known)).toEqual({ ended: false });
    expect(classifyProviderCall({ status: 'completed', durationSeconds: 10, legs: [{ status: 'ringing', durationSeconds: null, answeredBy: null }] }, known)).toEqual({ ended: false });
  });

  it('classifies the forwarded leg like a dial result, screening included', () => {
    const leg = (status: string, answeredBy: 'human' | 'machine_start' | null = null) => ({ status: 'completed', durationSeconds: 30, legs: [{ status, durationSeconds: 20, answeredBy }] });
    expect(classifyProviderCall(leg('no-answer'), known)).toMatchObject({ ended: true, outcome: 'no_answer' });
    expect(classifyProviderCall(leg('busy'), known)).toMatchObject({ ended: true, outcome: 'declined' });
    expect(classifyProviderCall(leg('completed', 'machine_start'), known)).toMatchObject({ ended: true, outcome: 'no_answer' });
    expect(classifyProviderCall(leg('completed', 'human'), known)).toMatchObject({ ended: true, outcome: 'answered' });
  });

  it('treats a call that was never forwarded as abandoned after its ring time', () => {
    expect(classifyProviderCall({ status: 'completed', durationSeconds: 12, legs: [] }, known)).toMatchObject({ ended: true, outcome: 'abandoned', ringSeconds: 12 });
  });
});
