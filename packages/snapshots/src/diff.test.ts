import { describe, expect, it } from 'vitest';
import { diffSnapshots } from './diff.js';
import { parseSnapshot } from './parse.js';
import type { SnapshotDefinition } from './types.js';

function definitionOf(yamlText: string): SnapshotDefinition {
  const result = parseSnapshot(yamlText, { plugins: { describe: (id) => (id === 'crm' ? { validateConfig: () => [] } : undefined) } });
  if (!result.ok) throw new Error(`expected the snapshot to parse:\n${JSON.stringify(result.issues, null, 2)}`);
  return result.snapshot;
}

const V1 = `
apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: hvac, name: HVAC }
customValues:
  - { key: booking_link, name: Booking link, required: true }
  - { key: owner_name, name: Owner name, default: the team }
  - { key: coupon, name: Coupon code }
businessHours:
  timeZone: America/Chicago
  weekly: { mon-fri: ["08:00-17:00"] }
  closed: ["2026-12-25"]
plugins:
  - { id: crm, config: { list: leads } }
workflows:
  - key: missed_call
    trigger: { type: call.missed }
    steps:
      - { id: delay, wait: 60s }
      - { id: first_text, send_sms: first_text }
      - id: reply
        wait_for_reply: 24h
        no_reply:
          - { id: tell_owner, notify: { channel: email, to: owner, template: first_text } }
  - key: nurture
    trigger: { type: contact.tagged, tag: silent }
    steps:
      - { id: later, wait: 3d }
templates:
  first_text: "Hi from {{ location.name }}: {{ custom_values.booking_link }}"
  old_one: "Bye"
`;

const V2 = `
apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: hvac, name: HVAC }
customValues:
  - { key: booking_link, name: Booking link, required: true }
  - { key: owner_name, name: Owner name, required: true }
  - { key: city, name: City, required: true }
  - { key: review_link, name: Review link }
businessHours:
  timeZone: America/Chicago
  weekly: { mon-fri: ["08:00-18:00"], sat: ["09:00-12:00"] }
  closed: ["2026-12-26"]
plugins:
  - { id: crm, config: { list: customers } }
workflows:
  - key: missed_call
    trigger: { type: call.missed, outcomes: [no_answer] }
    steps:
      - { id: delay, wait: 2m }
      - { id: first_text, send_sms: first_text }
      - id: reply
        wait_for_reply: 24h
        no_reply:
          - { id: follow_up, send_sms: follow_up }
  - key: reviews
    trigger: { type: message.received }
    steps:
      - { id: ask, send_sms: follow_up }
templates:
  first_text: "Hi from {{ location.name }} in {{ custom_values.city }}: {{ custom_values.booking_link }}"
  follow_up: "Still need us?"
`;

describe('diffSnapshots', () => {
  const changes = diffSnapshots(definitionOf(V1), definitionOf(V2));
  const at = (path: string) => changes.filter((change) => change.path === path).map((change) => change.kind);

  it('lists templates added, removed and changed', () => {
    expect(at('templates.follow_up')).toEqual(['added']);
    expect(at('templates.old_one')).toEqual(['removed']);
    expect(at('templates.first_text')).toEqual(['changed']);
    expect(changes.find((change) => change.path === 'templates.first_text')).toMatchObject({
      before: 'Hi from {{ location.name }}: {{ custom_values.booking_link }}',
      after: expect.stringContaining('custom_values.city'),
    });
  });

  it('lists workflows and their steps added, removed and changed, by step id', () => {
    expect(at('workflows.reviews')).toEqual(['added']);
    expect(at('workflows.nurture')).toEqual(['removed']);
    expect(at('workflows.missed_call.trigger')).toEqual(['changed']);
    expect(at('workflows.missed_call.steps.delay')).toEqual(['changed']);
    expect(at('workflows.missed_call.steps.follow_up')).toEqual(['added']);
    expect(at('workflows.missed_call.steps.tell_owner')).toEqual(['removed']);
    expect(at('workflows.missed_call.steps.first_text')).toEqual([]);
    expect(changes.find((change) => change.path === 'workflows.missed_call.steps.follow_up')?.summary).toBe(
      'workflow "missed_call": step "follow_up" (send_sms) added first',
    );
  });

  it('lists hours per day and closed dates', () => {
    expect(at('businessHours.friday')).toEqual(['changed']);
    expect(at('businessHours.saturday')).toEqual(['changed']);
    expect(at('businessHours.sunday')).toEqual([]);
    expect(at('businessHours.closed.2026-12-26')).toEqual(['added']);
    expect(at('businessHours.closed.2026-12-25')).toEqual(['removed']);
  });

  it('lists custom values added, removed and newly required', () => {
    expect(at('customValues.review_link')).toEqual(['added']);
    expect(at('customValues.coupon')).toEqual(['removed']);
    expect(at('customValues.owner_name')).toEqual(['newly_required']);
    expect(at('customValues.city')).toEqual(['newly_required']);
    expect(at('customValues.booking_link')).toEqual([]);
  });

  it('lists plugin requirements whose config changed', () => {
    expect(changes.find((change) => change.path === 'plugins.crm')).toMatchObject({ kind: 'changed', before: { version: '*', config: { list: 'leads' } }, after: { version: '*', config: { list: 'customers' } } });
  });

  it('finds nothing between a version and itself, and moves of a step', () => {
    expect(diffSnapshots(definitionOf(V1), definitionOf(V1))).toEqual([]);
    const moved = V1.replace('      - { id: delay, wait: 60s }\n      - { id: first_text, send_sms: first_text }', '      - { id: first_text, send_sms: first_text }\n      - { id: delay, wait: 60s }');
    const diff = diffSnapshots(definitionOf(V1), definitionOf(moved));
    expect(diff).toHaveLength(1);
    expect(diff[0]?.summary).toMatch(/^workflow "missed_call": step "(first_text|delay)" moved/);
  });

  it('reports v1 text-back settings as settings, not as the workflow compiled from them', () => {
    const v1 = (delay: string) => `apiVersion: mctb.dev/v1\nkind: Snapshot\nmetadata: { slug: s, name: S, version: 1 }\ntextBack: { delay: ${delay}, template: t }\ntemplates: { t: "Hi" }\n`;
    expect(diffSnapshots(definitionOf(v1('60s')), definitionOf(v1('90s'))).map((change) => change.path)).toEqual(['textBack.delaySeconds']);
  });
});
