import { describe, expect, it } from 'vitest';
import { formatPath, parsePath } from './issue-path.js';

describe('issue paths', () => {
  it('formats paths the way authors write them', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['customValues', 0, 'key'])).toBe('customValues[0].key');
    expect(formatPath(['plugins', 1, 'config', 'greeting text'])).toBe('plugins[1].config["greeting text"]');
  });

  it('reads back the paths plugins report, bracketed or dotted', () => {
    expect(parsePath('')).toEqual([]);
    expect(parsePath('voices[0].name')).toEqual(['voices', 0, 'name']);
    expect(parsePath('voices.0.name')).toEqual(['voices', 0, 'name']);
    expect(parsePath('["greeting text"]')).toEqual(['greeting text']);
  });
});
