import { describe, expect, it } from 'vitest';
import { formatDiff } from '../commands/snapshot-diff.js';
import { resultTable, targetIssue } from '../commands/provision.js';
import { formatIssue } from './issues.js';

const csv = [
  { line: 2, input: { subAccountId: 'sa_1', customValues: [] } },
  { line: 3, input: { customValues: [], newSubAccount: { name: 'Zed', timeZone: 'UTC', twilioNumber: '+1', forwardingNumber: '+2' } } },
];

describe('output a user reads', () => {
  it('prints an issue as FILE:LINE:COL path: message, or without a position', () => {
    expect(formatIssue('a.yaml', { path: 'templates.missed_call', message: 'template is empty', line: 22, column: 3 })).toBe(
      'a.yaml:22:3 templates.missed_call: template is empty',
    );
    expect(formatIssue('a.yaml', { path: '', message: 'snapshot is larger than 256 KiB' })).toBe('a.yaml: snapshot is larger than 256 KiB');
  });

  it('groups a diff by section and explains a newly required value', () => {
    const text = formatDiff({
      slug: 'hvac',
      from: 1,
      to: 2,
      changes: [
        { section: 'templates', path: 'templates.in_hours', kind: 'CHANGED', summary: 'text changed', before: 'Hi {{ contact.first_name }}, sorry we missed your call!', after: 'Hello!' },
        { section: 'textBack', path: 'textBack.delaySeconds', kind: 'CHANGED', summary: 'delay changed', before: 60, after: 30 },
        { section: 'customValues', path: 'customValues.tier', kind: 'NEWLY_REQUIRED', summary: 'required, no default' },
        { section: 'templates', path: 'templates.nudge', kind: 'ADDED', summary: 'added' },
      ],
    });
    expect(text).toBe(
      [
        'hvac 1 -> 2: 4 changes',
        '',
        'templates',
        '  ~ templates.in_hours: text changed',
        '  + templates.nudge: added',
        '',
        'textBack',
        '  ~ textBack.delaySeconds: delay changed (60 -> 30)',
        '',
        'customValues',
        '  ! customValues.tier: required, no default',
        '',
        '! a newly required custom value: every client needs a value for it before the upgrade',
      ].join('\n'),
    );
    expect(formatDiff({ slug: 'hvac', from: 2, to: 2, changes: [] })).toBe('hvac 2 -> 2: no changes');
  });

  it("names the CSV line of a target the server refused", () => {
    expect(targetIssue('clients.csv', csv, { path: 'targets[1].newSubAccount.twilioNumber', message: 'is not a phone number' })).toBe(
      'clients.csv:3 twilioNumber: is not a phone number',
    );
    expect(targetIssue('clients.csv', csv, { path: 'snapshot', message: 'no such version' })).toBe('clients.csv: snapshot: no such version');
  });

  it('tabulates each target with its line, sub-account, status and reason', () => {
    const table = resultTable(
      [
        { index: 0, label: 'Acme', status: 'APPLIED', reason: null, subAccount: { id: 'sa_1', name: 'Acme' }, conflicts: [], issues: [] },
        { index: 1, label: 'Zed', status: 'FAILED', reason: 'number not owned', subAccount: null, conflicts: [], issues: [{ path: 'customValues.tier', message: 'is required' }] },
      ],
      csv,
    );
    const rows = table.split('\n').filter((row) => row.startsWith('│'));
    expect(rows[0]).toMatch(/line\s+│ target\s+│ sub-account\s+│ status\s+│ reason/);
    expect(rows[1]).toMatch(/2\s+│ Acme\s+│ Acme\s+│ applied/);
    expect(rows[2]).toMatch(/│\s+│\s+│ sa_1\s+│/);
    expect(table).toContain('number not owned; customValues.tier: is required');
    expect(table).not.toContain('\u001b[');
  });
});
