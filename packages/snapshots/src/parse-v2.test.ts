import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from './parse.js';
import type { SnapshotDefinition, SnapshotPluginLookup } from './types.js';

const fixture = readFileSync(new URL('../test-fixtures/hvac-v2.yaml', import.meta.url), 'utf8');
const v1Example = readFileSync(new URL('../../../snapshots/missed-call-text-back.yaml', import.meta.url), 'utf8');

/** voice-ai offers one workflow step, place_call, whose `voice` must be alloy. */
const plugins: SnapshotPluginLookup = {
  describe: (id) =>
    id === 'voice-ai'
      ? {
          validateConfig: () => [],
          describeStep: (name) =>
            name === 'place_call'
              ? { validateConfig: (config) => ((config as { voice?: unknown }).voice === 'alloy' ? [] : [{ path: 'voice', message: 'unknown voice' }]) }
              : undefined,
        }
      : undefined,
};

function definitionOf(yamlText: string): SnapshotDefinition {
  const result = parseSnapshot(yamlText, { plugins });
  if (!result.ok) throw new Error(`expected the snapshot to parse:\n${JSON.stringify(result.issues, null, 2)}`);
  return result.snapshot;
}

const HEADER = ['apiVersion: mctb.dev/v2', 'kind: Snapshot', 'metadata: { slug: small, name: Small, version: 1 }'];

describe('parseSnapshot, v2', () => {
  it('reads every block and step kind of the example into the typed definition', () => {
    const snapshot = definitionOf(fixture);
    const weekday = [
      { start: 480, end: 720 },
      { start: 780, end: 1080 },
    ];
    expect(snapshot).toMatchObject({
      apiVersion: 'mctb.dev/v2',
      metadata: { slug: 'hvac-missed-call', name: 'HVAC missed call', version: 3 },
      businessHours: { timeZone: 'America/Chicago', weekly: [weekday, weekday, weekday, weekday, weekday, [{ start: 540, end: 780 }], []], closed: ['2026-12-25'] },
      quietHours: { start: 1260, end: 480 },
      exclusions: { tags: ['team', 'vendor'], onlyNewContacts: false, activeConversationWithinSeconds: 43_200, dailyCap: 150 },
      // No textBack settings: they are carried, turned off, for the text-back that runs today.
      textBack: { enabled: false, template: '' },
      plugins: [{ id: 'voice-ai', config: {} }],
    });
    expect(snapshot.workflows.map((workflow) => workflow.key)).toEqual(['missed_call', 'nurture', 'welcome', 'inbound']);
    const [missedCall, nurture, welcome, inbound] = snapshot.workflows;
    expect(missedCall).toEqual({
      key: 'missed_call',
      name: 'Missed call',
      enabled: true,
      trigger: { type: 'call.missed', outcomes: ['no_answer', 'voicemail'] },
      dedup: { per: 'contact', windowSeconds: 86_400 },
      steps: [
        { kind: 'wait', id: 'wait', seconds: 60 },
        {
          kind: 'if',
          id: 'hours',
          condition: { type: 'business_hours', open: true },
          then: [{ kind: 'send_sms', id: 'text_in', template: 'in_hours', duringQuietHours: 'wait' }],
          else: [{ kind: 'send_sms', id: 'text_after', template: 'after_hours', duringQuietHours: 'send' }],
        },
        {
          kind: 'wait_for_reply',
          id: 'reply',
          timeoutSeconds: 86_400,
          replied: [{ kind: 'add_tag', id: 'tag', tag: 'replied' }],
          noReply: [
            { kind: 'wait_until', id: 'open', until: 'business_hours_open' },
            { kind: 'send_sms', id: 'text_nudge', template: 'nudge', duringQuietHours: 'wait' },
            { kind: 'create_task', id: 'task', title: 'Call back {{ contact.phone }}', dueSeconds: 7200, assignee: { type: 'owner' } },
            { kind: 'notify', id: 'owner', channel: 'email', to: { type: 'custom_value', key: 'owner_email' }, template: 'owner_alert' },
            { kind: 'webhook', id: 'crm', url: { type: 'custom_value', key: 'crm_hook' }, timeoutSeconds: 5, retries: 2 },
            { kind: 'start_workflow', id: 'nurture', workflow: 'nurture' },
          ],
        },
      ],
    });
    expect(nurture).toEqual({
      key: 'nurture',
      name: null,
      enabled: true,
      trigger: null,
      dedup: null,
      steps: [
        { kind: 'wait', id: 'pause', seconds: 259_200 },
        {
          kind: 'if',
          id: 'vip',
          condition: {
            type: 'all',
            conditions: [
              { type: 'not', condition: { type: 'has_tag', tag: 'unsubscribed' } },
              {
                type: 'any',
                conditions: [
                  { type: 'custom_value_equals', key: 'tier', value: 'gold' },
                  { type: 'contact_field_equals', field: 'last_name', value: '' },
                ],
              },
              { type: 'not', condition: { type: 'day_of_week', days: ['sun'] } },
              { type: 'time_of_day', window: { start: 540, end: 1020 } },
            ],
          },
          then: [{ kind: 'plugin', id: 'call', plugin: 'voice-ai', step: 'place_call', config: { voice: 'alloy' } }],
          else: [],
        },
      ],
    });
    expect(welcome).toMatchObject({
      enabled: false,
      trigger: { type: 'contact.tagged', tag: 'new customer' },
      steps: [{ kind: 'if', condition: { type: 'new_contact' }, then: [{ kind: 'send_sms' }, { kind: 'remove_tag', tag: 'new customer' }] }],
    });
    expect(inbound?.steps).toEqual([
      {
        kind: 'if',
        id: 'busy',
        condition: { type: 'conversation_active_within', seconds: 3600 },
        then: [],
        else: [{ kind: 'notify', id: 'ping', channel: 'sms', to: { type: 'literal', value: '+15555550100' }, template: 'nudge' }],
      },
    ]);
  });

  it('gives plain JSON that survives being stored and read back unchanged', () => {
    const snapshot = definitionOf(fixture);
    expect(JSON.parse(JSON.stringify(snapshot))).toStrictEqual(snapshot);
  });

  it('fills in defaults for a v2 file with only its metadata', () => {
    expect(definitionOf(HEADER.join('\n'))).toEqual({
      apiVersion: 'mctb.dev/v2',
      metadata: { slug: 'small', name: 'Small', version: 1 },
      customValues: [],
      textBack: { enabled: false, delaySeconds: 60, dedupWindowSeconds: 86_400, template: '' },
      templates: {},
      plugins: [],
      businessHours: null,
      quietHours: { start: 1260, end: 480 },
      exclusions: { tags: [], onlyNewContacts: false, activeConversationWithinSeconds: 86_400, dailyCap: 200 },
      workflows: [],
    });
  });

  it('turns quiet hours off with "off" and reads other windows', () => {
    expect(definitionOf([...HEADER, 'quietHours: "off"'].join('\n')).quietHours).toBeNull();
    expect(definitionOf([...HEADER, 'quietHours: 22:30-07:00'].join('\n')).quietHours).toEqual({ start: 1350, end: 420 });
  });

  it('reads the short forms: wait_for_reply with no timeout waits 24 h, webhook defaults', () => {
    const snapshot = definitionOf(
      [
        ...HEADER,
        'workflows:',
        '  - key: inbound',
        '    trigger: { type: message.received }',
        '    steps:',
        '      - id: reply',
        '        wait_for_reply:',
        '        no_reply: [{ id: hook, webhook: { url: "https://crm.example/hook" } }]',
      ].join('\n'),
    );
    expect(snapshot.workflows[0]?.steps).toEqual([
      {
        kind: 'wait_for_reply',
        id: 'reply',
        timeoutSeconds: 86_400,
        replied: [],
        noReply: [{ kind: 'webhook', id: 'hook', url: { type: 'literal', value: 'https://crm.example/hook' }, timeoutSeconds: 10, retries: 3 }],
      },
    ]);
  });
});

describe('the simple text-back settings compile into the workflow DSL', () => {
  it('gives a v1 file and a v2 file with the same settings the same text-back workflow', () => {
    const v2 = definitionOf(
      [
        ...HEADER,
        'customValues:',
        '  - { key: booking_link, name: Online booking link, required: true }',
        '  - { key: sign_off, name: Sign-off, default: The team }',
        'textBack: { delay: 60s, dedupWindow: 24h, template: missed_call }',
        'templates:',
        '  missed_call: "Hi {{ contact.first_name }}! Book: {{ custom_values.booking_link }} - {{ custom_values.sign_off }}"',
      ].join('\n'),
    );
    const v1 = definitionOf(v1Example);
    expect(v2.workflows).toEqual(v1.workflows);
    expect(v2.textBack).toEqual(v1.textBack);
    expect(v1.workflows[0]?.steps).toEqual([
      { kind: 'wait', id: 'delay', seconds: 60 },
      { kind: 'send_sms', id: 'text', template: 'missed_call', duringQuietHours: 'send' },
    ]);
  });

  it('texts every missed call (no dedup) when the window is 0s, and keeps a disabled text-back disabled', () => {
    const snapshot = definitionOf(v1Example.replace('dedupWindow: 24h', 'dedupWindow: 0s').replace('enabled: true', 'enabled: false'));
    expect(snapshot.workflows[0]).toMatchObject({ key: 'text_back', enabled: false, dedup: null });
    expect(snapshot.textBack).toMatchObject({ enabled: false, dedupWindowSeconds: 0 });
  });

  it('sends the after-hours template outside business hours, after the snapshot’s own workflows', () => {
    const snapshot = definitionOf(
      [
        ...HEADER,
        'businessHours: { weekly: { mon-fri: ["09:00-17:00"] } }',
        'textBack: { delay: 2m, dedupWindow: 0s, template: open, afterHoursTemplate: closed }',
        'templates: { open: "We will call back", closed: "We open {{ business_hours.next_open }}" }',
        'workflows:',
        '  - key: inbound',
        '    trigger: { type: message.received }',
        '    steps: [{ id: tag, add_tag: texted }]',
      ].join('\n'),
    );
    expect(snapshot.textBack).toEqual({ enabled: true, delaySeconds: 120, dedupWindowSeconds: 0, template: 'open', afterHoursTemplate: 'closed' });
    expect(snapshot.workflows.map((workflow) => workflow.key)).toEqual(['inbound', 'text_back']);
    expect(snapshot.workflows[1]?.steps).toEqual([
      { kind: 'wait', id: 'delay', seconds: 120 },
      {
        kind: 'if',
        id: 'hours',
        condition: { type: 'business_hours', open: true },
        then: [{ kind: 'send_sms', id: 'text_in_hours', template: 'open', duringQuietHours: 'send' }],
        else: [{ kind: 'send_sms', id: 'text_after_hours', template: 'closed', duringQuietHours: 'send' }],
      },
    ]);
  });
});
