import { describe, expect, it } from 'vitest';
import { countSegments } from './segments.js';

describe('countSegments', () => {
  it('counts GSM-7 at 160 per single segment and 153 per concatenated part', () => {
    expect(countSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
  });
  it('counts extension characters twice', () => {
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSegments('€'.repeat(81)).segments).toBe(2);
  });
  it('falls back to UCS-2 for anything outside GSM-7', () => {
    expect(countSegments('Hi 👋')).toEqual({ encoding: 'UCS-2', units: 5, segments: 1 });
    expect(countSegments('ü'.repeat(10) + 'ł'.repeat(61))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
  });
});
