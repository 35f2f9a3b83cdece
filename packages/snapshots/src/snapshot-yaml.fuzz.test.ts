import '@mctb/testkit';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { CONDITION_KEYS } from './condition-schema.js';
import { parseSnapshot } from './parse.js';
import type { SnapshotPluginLookup } from './types.js';
import { BRANCH_KEYS, STEP_KEYS } from './workflow-syntax.js';

const runs = inject('fuzzRuns');
const starter = readFileSync(new URL('../../../snapshots/missed-call-text-back.yaml', import.meta.url), 'utf8');
const v2Example = readFileSync(new URL('../test-fixtures/hvac-v2.yaml', import.meta.url), 'utf8');
const noPlugins: SnapshotPluginLookup = { describe: () => undefined };

/** YAML scalars, including ones that are numbers too large to store, odd types and control characters. */
const scalar = fc.oneof(
  fc.integer(),
  fc.constantFrom('2147483648', '1e309', '-1', '0', '3000000000', '9007199254740993', 'null', '~', 'true', '[]', '{}', '"', "'", '&a', '*a', '!!binary x', '60s', '25h', '1h30m'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
).map(String);

/** A snapshot with one to four of its lines replaced, removed or doubled, or values swapped. */
const mutated = (source: string) => fc
  .array(
    fc.record({
      line: fc.nat(),
      how: fc.constantFrom('value', 'drop', 'double', 'indent', 'key'),
      value: scalar,
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((mutations) => {
    const lines = source.split('\n');
    for (const { line, how, value } of mutations) {
      const at = line % lines.length;
      const current = lines[at] ?? '';
      if (how === 'value') lines[at] = current.includes(':') ? `${current.slice(0, current.indexOf(':') + 1)} ${value}` : value;
      else if (how === 'drop') lines.splice(at, 1);
      else if (how === 'double') lines.splice(at, 0, current);
      else if (how === 'indent') lines[at] = `   ${current}`;
      else lines[at] = `${value}: ${current.trim()}`;
    }
    return lines.join('\n');
  });

/** Keys of the workflow DSL, so random trees often look like steps and conditions. */
const dslKey = fc.constantFrom('id', ...STEP_KEYS, ...Object.values(BRANCH_KEYS).flat(), ...CONDITION_KEYS, 'with', 'step', 'until', 'template', 'channel', 'to', 'title', 'due', 'url');

/** Random trees of DSL keys and scalars: steps, conditions and branches nested in any way. */
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(dslKey, tie('tree'), { maxKeys: 4 }),
  ),
}));

/** A v2 document whose workflows hold random step trees under random triggers. */
const randomWorkflowSnapshot = fc
  .array(fc.record({ key: fc.constantFrom('a', 'b', 'c'), trigger: tree, steps: fc.array(tree, { maxLength: 4 }) }), { maxLength: 3 })
  .map((workflows) =>
    stringify({
      apiVersion: 'mctb.dev/v2',
      kind: 'Snapshot',
      metadata: { slug: 'fuzz', name: 'Fuzz', version: 1 },
      templates: { a: 'Hi {{ call.outcome }}', b: 'Open {{ business_hours.next_open }}' },
      workflows,
    }),
  );

describe('snapshot YAML, fuzzed (fast-check)', () => {
  const check = (yaml: string) => {
    const result = parseSnapshot(yaml, { plugins: noPlugins });
    if (result.ok) return;
    expect(result.issues.length).toBeGreaterThan(0);
    for (const issue of result.issues) {
      expect(typeof issue.path).toBe('string');
      expect(issue.message.length).toBeGreaterThan(0);
      if (issue.line !== undefined) expect(issue.line).toBeGreaterThanOrEqual(1);
    }
  };

  it('never throws on a mutated snapshot; every problem names its path', () => {
    fc.assert(fc.property(mutated(starter), check), { numRuns: runs });
  });

  it('never throws on a mutated v2 snapshot', () => {
    fc.assert(fc.property(mutated(v2Example), check), { numRuns: runs });
  });

  it('never throws on random workflow trees, and a parsed definition is plain JSON', () => {
    fc.assert(
      fc.property(randomWorkflowSnapshot, (yaml) => {
        check(yaml);
        const result = parseSnapshot(yaml, { plugins: noPlugins });
        if (result.ok) expect(JSON.parse(JSON.stringify(result.snapshot))).toStrictEqual(result.snapshot);
      }),
      { numRuns: runs },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), check), { numRuns: runs });
  });

  it('refuses any version PostgreSQL could not store, naming metadata.version', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: 2_147_483_648n, max: 10n ** 30n }), fc.bigInt({ min: -(10n ** 12n), max: 0n })), (version) => {
        const result = parseSnapshot(starter.replace(/version: 1\b/, `version: ${version}`), { plugins: noPlugins });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.issues.map((issue) => issue.path)).toContain('metadata.version');
      }),
      { numRuns: runs },
    );
  });
});
