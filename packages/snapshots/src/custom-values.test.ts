import { describe, expect, it } from 'vitest';
import { compileTextBack } from './compile-text-back.js';
import { resolveCustomValues } from './custom-values.js';
import { textBackPlanOf } from './text-back.js';
import type { SnapshotDefinition, SnapshotTextBack } from './types.js';

const textBack: SnapshotTextBack = { enabled: true, delaySeconds: 30, dedupWindowSeconds: 0, template: 'missed_call' };
const snapshot: SnapshotDefinition = {
  apiVersion: 'mctb.dev/v1',
  metadata: { slug: 'starter', name: 'Starter', version: 3 },
  customValues: [
    { key: 'booking_link', name: 'Online booking link', required: true },
    { key: 'sign_off', name: 'Sign-off', required: false, default: 'The team' },
    { key: 'promo', name: 'Promotion', required: false },
  ],
  textBack,
  templates: { missed_call: 'Hi' },
  plugins: [],
  businessHours: null,
  quietHours: null,
  exclusions: { tags: [], onlyNewContacts: false, activeConversationWithinSeconds: 0, dailyCap: 200 },
  workflows: [compileTextBack(textBack)],
};

describe('resolveCustomValues', () => {
  it('fills in defaults and leaves optional values without a default empty', () => {
    expect(resolveCustomValues(snapshot, { booking_link: 'https://book.example' })).toEqual({
      ok: true,
      values: { booking_link: 'https://book.example', sign_off: 'The team', promo: '' },
    });
  });

  it('keeps what the client provided over the default', () => {
    const result = resolveCustomValues(snapshot, { booking_link: 'https://book.example', sign_off: 'Sam' });
    expect(result.ok && result.values.sign_off).toBe('Sam');
  });

  it('reports a missing or blank required value and keys the snapshot does not declare', () => {
    expect(resolveCustomValues(snapshot, { booking_link: '  ', coupon: 'X' })).toEqual({
      ok: false,
      issues: [
        { path: 'customValues.booking_link', message: '"Online booking link" is required' },
        { path: 'customValues.coupon', message: 'custom value "coupon" is not declared by snapshot starter v3' },
      ],
    });
    expect(resolveCustomValues(snapshot, {})).toMatchObject({ ok: false, issues: [{ path: 'customValues.booking_link' }] });
  });

  it('does not mistake inherited object properties for provided values', () => {
    expect(resolveCustomValues(snapshot, { booking_link: 'x', toString: 'y' })).toMatchObject({
      ok: false,
      issues: [{ path: 'customValues.toString' }],
    });
  });
});

describe('textBackPlanOf', () => {
  it('gives the text-back settings of the snapshot', () => {
    expect(textBackPlanOf(snapshot)).toEqual({ enabled: true, delaySeconds: 30, dedupWindowSeconds: 0 });
  });
});
