import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from './parse.js';
import { currentDefinition } from './stored-definition.js';

const starter = readFileSync(new URL('../../../snapshots/missed-call-text-back.yaml', import.meta.url), 'utf8');

describe('currentDefinition', () => {
  it('gives a definition stored before the v2 format what its v1 file gives today', () => {
    const parsed = parseSnapshot(starter, { plugins: { describe: () => undefined } });
    if (!parsed.ok) throw new Error('the starter snapshot should parse');
    const { metadata, customValues, textBack, templates, plugins } = JSON.parse(JSON.stringify(parsed.snapshot)) as typeof parsed.snapshot;
    expect(currentDefinition({ metadata, customValues, textBack, templates, plugins })).toEqual(parsed.snapshot);
  });

  it('leaves a definition of today as it is', () => {
    const parsed = parseSnapshot(starter, { plugins: { describe: () => undefined } });
    if (!parsed.ok) throw new Error('the starter snapshot should parse');
    expect(currentDefinition(parsed.snapshot)).toBe(parsed.snapshot);
  });
});
