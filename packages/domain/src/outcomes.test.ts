import { describe, expect, it } from 'vitest';
import { classifyDialResult, classifyEndedCall, intakeVerdictFor, refineOutcome, textBackDecisionFor, type CallOutcome, type DialCallStatus } from './outcomes.js';

describe('classifyDialResult (DESIGN §3)', () => {
  const table: [DialCallStatus, CallOutcome][] = [
    ['completed', 'answered'],
    ['answered', 'answered'],
    ['busy', 'declined'],
    ['no-answer', 'no_answer'],
    ['failed', 'failed'],
    ['canceled', 'abandoned'],
  ];
  it.each(table)('DialCallStatus %s is %s', (status, outcome) => {
    expect(classifyDialResult(status)).toBe(outcome);
  });
});

describe('classifyEndedCall (no dial result came first)', () => {
  it.each<[string, CallOutcome | null]>([
    ['completed', 'abandoned'],
    ['canceled', 'abandoned'],
    ['busy', 'declined'],
    ['no-answer', 'no_answer'],
    ['failed', 'failed'],
    ['in-progress', null],
    ['ringing', null],
  ])('CallStatus %s is %s', (status, outcome) => {
    expect(classifyEndedCall(status)).toBe(outcome);
  });
});

describe('textBackDecisionFor', () => {
  it.each<[CallOutcome, boolean]>([
    ['answered', false],
    ['answered_by_ai', false],
    ['no_answer', true],
    ['declined', true],
    ['voicemail', true],
    ['failed', true],
  ])('%s → text back: %s', (outcome, expected) => {
    expect(textBackDecisionFor(outcome, { ringSeconds: 20 }).textBack).toBe(expected);
  });

  it('texts an abandoned caller only after they let it ring long enough', () => {
    expect(textBackDecisionFor('abandoned', { ringSeconds: 8 })).toEqual({ textBack: true });
    expect(textBackDecisionFor('abandoned', { ringSeconds: 2 })).toEqual({ textBack: false, reason: 'abandoned_after_2s' });
    expect(textBackDecisionFor('abandoned', { ringSeconds: 2, abandoned: { textAfterRingSeconds: 0 } }).textBack).toBe(true);
  });
});

describe('refineOutcome', () => {
  it('keeps the first outcome unless a later report refines it', () => {
    expect(refineOutcome(null, 'no_answer')).toBe('no_answer');
    expect(refineOutcome('no_answer', 'voicemail')).toBe('voicemail');
    expect(refineOutcome('no_answer', 'answered_by_ai')).toBe('answered_by_ai');
    expect(refineOutcome('answered', 'voicemail')).toBe('answered');
    expect(refineOutcome('answered_by_ai', 'voicemail')).toBe('answered_by_ai');
    expect(refineOutcome('voicemail', 'no_answer')).toBe('voicemail');
  });
});

describe('intakeVerdictFor', () => {
  it('sends missed calls from textable callers to their text-back workflow', () => {
    expect(intakeVerdictFor({ outcome: 'no_answer', callerTextable: true, untextableReason: null, ringSeconds: 18 })).toEqual({ decision: 'text_back', reason: null, signalDue: true });
  });
  it('skips with the reason, and signals an answer so a pending text is cancelled', () => {
    expect(intakeVerdictFor({ outcome: 'answered', callerTextable: true, untextableReason: null, ringSeconds: 5 })).toEqual({ decision: 'skip', reason: 'answered', signalDue: true });
    expect(intakeVerdictFor({ outcome: 'answered', callerTextable: false, untextableReason: 'anonymous', ringSeconds: 5 }).signalDue).toBe(false);
    expect(intakeVerdictFor({ outcome: 'no_answer', callerTextable: false, untextableReason: 'anonymous', ringSeconds: 18 })).toEqual({
      decision: 'skip',
      reason: 'untextable caller ID: anonymous',
      signalDue: false,
    });
    expect(intakeVerdictFor({ outcome: 'abandoned', callerTextable: true, untextableReason: null, ringSeconds: 1 })).toEqual({ decision: 'skip', reason: 'abandoned_after_1s', signalDue: false });
  });
});
