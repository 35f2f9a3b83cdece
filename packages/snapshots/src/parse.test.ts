import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from './parse.js';
import type { SnapshotIssue, SnapshotPluginLookup } from './types.js';

const exampleYaml = readFileSync(new URL('../../../snapshots/missed-call-text-back.yaml', import.meta.url), 'utf8');

/** A platform with one plugin, voice-ai, whose config may list `voices` from a fixed set. */
const plugins: SnapshotPluginLookup = {
  describe: (id) =>
    id === 'voice-ai'
      ? {
          validateConfig: (config) => {
            const voices = (config as { voices?: unknown[] }).voices ?? [];
            return voices.flatMap((voice, index) =>
              voice === 'alloy' ? [] : [{ path: `voices.${index}`, message: `unknown voice ${String(voice)}` }],
            );
          },
        }
      : undefined,
};

function issuesOf(yamlText: string): SnapshotIssue[] {
  const result = parseSnapshot(yamlText, { plugins });
  if (result.ok) throw new Error('expected the snapshot to be rejected');
  return result.issues;
}

/** The example with one line replaced, to test a single field. */
function exampleWith(search: RegExp, replacement: string): string {
  expect(exampleYaml).toMatch(search);
  return exampleYaml.replace(search, replacement);
}

describe('parseSnapshot', () => {
  it('refuses the business_hours.* merge fields in a v1 snapshot, which has no hours to fill them', () => {
    const yamlText = exampleWith(/How can we help\?/, 'We open {{ business_hours.next_open }}.');
    expect(issuesOf(yamlText)).toEqual([
      expect.objectContaining({
        path: 'templates.missed_call',
        message: expect.stringMatching(/^line \d+, column \d+: business_hours\.next_open needs apiVersion mctb\.dev\/v2 and a businessHours block$/),
      }),
    ]);
  });

  it('accepts the example snapshot and normalises it', () => {
    const result = parseSnapshot(exampleYaml, { plugins });
    expect(result).toEqual({
      ok: true,
      snapshot: {
        metadata: {
          slug: 'missed-call-text-back',
          name: 'Missed call text-back (starter)',
          version: 1,
          description: expect.any(String),
        },
        customValues: [
          { key: 'booking_link', name: 'Online booking link', required: true },
          { key: 'sign_off', name: 'Sign-off', required: false, default: 'The team' },
        ],
        textBack: { enabled: true, delaySeconds: 60, dedupWindowSeconds: 86_400, template: 'missed_call' },
        templates: { missed_call: expect.stringMatching(/^Hi \{\{ contact\.first_name/) },
        plugins: [],
        apiVersion: 'mctb.dev/v1',
        businessHours: null,
        quietHours: { start: 1260, end: 480 },
        // The v1 text-back skipped callers who texted within its dedup window: the same rule, as an exclusion.
        exclusions: { tags: [], onlyNewContacts: false, activeConversationWithinSeconds: 86_400, dailyCap: 200 },
        workflows: [
          {
            key: 'text_back',
            name: 'Missed-call text-back',
            enabled: true,
            trigger: { type: 'call.missed', outcomes: ['no_answer', 'declined', 'voicemail', 'failed', 'abandoned'] },
            dedup: { per: 'contact', windowSeconds: 86_400 },
            steps: [
              { kind: 'wait', id: 'delay', seconds: 60 },
              { kind: 'send_sms', id: 'text', template: 'missed_call', duringQuietHours: 'send' },
            ],
          },
        ],
      },
      warnings: [],
    });
  });

  it('stores a plugin requirement nothing satisfies yet, with a warning (provisioning refuses it until one is published)', () => {
    const result = parseSnapshot(`${exampleYaml}\nplugins:\n  - id: crm-sync\n    version: ^2.0.0\n  - id: voice-ai\n    version: ">=0.1 <1"\n`, { plugins });
    expect(result.ok && result.snapshot.plugins).toEqual([
      { id: 'crm-sync', version: '^2.0.0', config: {} },
      { id: 'voice-ai', version: '>=0.1 <1', config: {} },
    ]);
    expect(result.ok && result.warnings).toEqual([
      expect.objectContaining({ path: 'plugins[0].version', message: expect.stringContaining('no published version of plugin "crm-sync" matches ^2.0.0') }),
    ]);
  });

  it('lists every problem of a broken document at once, in source order, with paths and positions', () => {
    const broken = [
      'apiVersion: mctb.dev/v3', // 1
      'kind: Snapshot',
      'metadata:',
      '  slug: Bad Slug',
      '  name: Broken',
      '  version: 0', // 6
      'customValues:',
      '  - key: booking_link',
      '    name: Link',
      '    required: true', // 10
      '    default: https://example.com',
      '  - key: booking_link',
      '    name: Again',
      '    requried: true', // 14
      'textBack:',
      '  template: nope',
      'templates:',
      '  missed_call: "Hi {{ contact.first_name }}"', // 18
      'plugins:',
      '  - id: voice-ai',
      '    config: { voices: [alloy, robot] }',
      '  - id: voice-ai', // 22
      '  - id: crm',
      '    version: "not a range"',
      'extras: true',
    ].join('\n');
    expect(issuesOf(broken)).toEqual([
      { path: 'apiVersion', message: 'must be "mctb.dev/v1" or "mctb.dev/v2"', line: 1, column: 1 },
      { path: 'metadata.slug', message: expect.stringContaining('lowercase'), line: 4, column: 3 },
      { path: 'metadata.version', message: 'must be 1 or more', line: 6, column: 3 },
      { path: 'customValues[0].default', message: expect.stringContaining('required custom value cannot have a default'), line: 11, column: 5 },
      { path: 'customValues[1].key', message: 'custom value "booking_link" is already declared at customValues[0]', line: 12, column: 5 },
      { path: 'customValues[1].requried', message: 'unknown key "requried"', line: 14, column: 5 },
      { path: 'textBack.template', message: 'template "nope" is not defined under templates (defined: "missed_call")', line: 16, column: 3 },
      { path: 'plugins[0].config.voices[1]', message: 'unknown voice robot', line: 21, column: 31 },
      { path: 'plugins[1].id', message: 'plugin "voice-ai" is already listed at plugins[0]', line: 22, column: 5 },
      { path: 'plugins[2].version', message: expect.stringContaining('must be a version range'), line: 24, column: 5 },
      { path: 'extras', message: 'unknown key "extras"', line: 25, column: 1 },
    ]);
  });

  it('reports missing sections by path', () => {
    const issues = issuesOf('apiVersion: mctb.dev/v1\nkind: Snapshot\n');
    expect(issues.map((issue) => [issue.path, issue.message])).toEqual([
      ['metadata', 'is required'],
      ['textBack', 'is required'],
      ['templates', 'is required'],
    ]);
  });

  it('reports a YAML syntax error with its line and column and nothing else', () => {
    const issues = issuesOf(exampleWith(/ {2}delay: 60s/, '  delay: [60s'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ path: '', message: expect.stringMatching(/^YAML syntax error: /), line: 19 });
    expect(issues[0]?.column).toEqual(expect.any(Number));
  });

  it('reports a key written twice as a YAML error at the second one', () => {
    const issues = issuesOf(exampleWith(/^kind: Snapshot$/m, 'kind: Snapshot\nkind: Snapshot'));
    expect(issues).toEqual([{ path: '', message: 'YAML syntax error: Map keys must be unique', line: 4, column: 1 }]);
  });

  it('reports template problems under templates.<key> with the position inside the template', () => {
    // The example folds its template (">-") into a single line of template text.
    const yamlText = exampleWith(/\{\{ location\.name \}\}/, '{{ location.nam }}').replace(
      '{{ custom_values.sign_off }}',
      '{{ custom_values.signoff }}',
    );
    expect(issuesOf(yamlText)).toEqual([
      { path: 'templates.missed_call', message: 'line 1, column 81: unknown merge field "location.nam"', line: 22, column: 3 },
      {
        path: 'templates.missed_call',
        message: 'line 1, column 166: custom value "signoff" is not declared by the snapshot',
        line: 22,
        column: 3,
      },
    ]);
  });

  it('reports template syntax errors, with positions in a literal block matching its lines', () => {
    const literal = exampleWith(
      /missed_call: >-\n.*\n.*\n/,
      'missed_call: |\n    Hi {{ contact.first_name }}!\n    {% if contact.phone %}How can we help?\n',
    );
    expect(issuesOf(literal)).toEqual([
      { path: 'templates.missed_call', message: 'line 2, column 1: tag {% if contact.phone %} not closed', line: 22, column: 3 },
    ]);
  });

  it('refuses an oversized document before parsing it', () => {
    const padding = `# ${'x'.repeat(256 * 1024)}\n`;
    expect(issuesOf(padding + exampleYaml)).toEqual([{ path: '', message: 'snapshot is larger than 256 KiB' }]);
  });

  it('refuses a document that is not a mapping', () => {
    expect(issuesOf('- just\n- a list\n')).toEqual([
      expect.objectContaining({ path: '', message: expect.stringContaining('must be a YAML mapping') }),
    ]);
  });
});

describe('text-back durations', () => {
  function textBackOf(delay: string, dedupWindow: string) {
    const yamlText = exampleWith(/delay: 60s/, `delay: ${delay}`).replace(/dedupWindow: 24h/, `dedupWindow: ${dedupWindow}`);
    return parseSnapshot(yamlText, { plugins });
  }

  it.each([
    ['0s', '0s', 0, 0],
    ['90', '30d', 90, 2_592_000],
    ['1h30m', '720h', 5_400, 2_592_000],
    ['24h', '"45m"', 86_400, 2_700],
  ])('reads delay %s and dedup window %s', (delay, dedupWindow, delaySeconds, dedupWindowSeconds) => {
    const result = textBackOf(delay, dedupWindow);
    expect(result.ok && result.snapshot.textBack).toMatchObject({ delaySeconds, dedupWindowSeconds });
  });

  it('rejects durations out of range or in an unknown format', () => {
    expect(issuesOf(exampleWith(/delay: 60s/, 'delay: 24h1s')).map(({ path, message }) => ({ path, message }))).toEqual([
      { path: 'textBack.delay', message: 'must be at most 24h, not 24h1s' },
    ]);
    expect(issuesOf(exampleWith(/dedupWindow: 24h/, 'dedupWindow: 31d'))).toEqual([
      expect.objectContaining({ path: 'textBack.dedupWindow', message: 'must be at most 30d, not 31d' }),
    ]);
    for (const bad of ['-5', '1.5', '5 minutes', '30m1h', 'true']) {
      expect(issuesOf(exampleWith(/delay: 60s/, `delay: ${bad}`))).toEqual([
        expect.objectContaining({ path: 'textBack.delay', message: expect.stringContaining('expected a duration') }),
      ]);
    }
  });

  it('defaults to a 60 s delay and a 24 h dedup window', () => {
    const result = parseSnapshot(exampleWith(/ {2}delay: .*\n {2}dedupWindow: .*\n/, ''), { plugins });
    expect(result.ok && result.snapshot.textBack).toMatchObject({ delaySeconds: 60, dedupWindowSeconds: 86_400 });
  });
});
