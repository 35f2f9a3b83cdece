import { describe, expect, it } from 'vitest';
import { parseSnapshot } from './parse.js';
import type { SnapshotIssue, SnapshotPluginLookup } from './types.js';
import { MAX_STEP_DEPTH, MAX_STEPS_PER_WORKFLOW } from './workflow-syntax.js';

/** voice-ai offers the step place_call, whose `voice` must be alloy; crm is installed but offers no steps. */
const plugins: SnapshotPluginLookup = {
  describe: (id) => {
    if (id === 'crm') return { validateConfig: () => [] };
    if (id !== 'voice-ai') return undefined;
    return {
      validateConfig: () => [],
      describeStep: (name) =>
        name === 'place_call'
          ? { validateConfig: (config) => ((config as { voice?: unknown }).voice === 'alloy' ? [] : [{ path: 'voice', message: 'unknown voice' }]) }
          : undefined,
    };
  },
};

/** Seven lines of header; the workflows given start on line 8. */
const HEADER = [
  'apiVersion: mctb.dev/v2',
  'kind: Snapshot',
  'metadata: { slug: checks, name: Checks, version: 1 }',
  'customValues: [{ key: owner_phone, name: Owner phone }]',
  'templates: { hi: "Hi {{ contact.first_name }}", outcome: "Your call ended: {{ call.outcome }}" }',
  'plugins: [{ id: voice-ai }, { id: crm }]',
  'workflows:',
];

function issuesOf(lines: string[], header = HEADER): SnapshotIssue[] {
  const result = parseSnapshot([...header, ...lines].join('\n'), { plugins });
  if (result.ok) throw new Error('expected the snapshot to be rejected');
  return result.issues;
}

/** Issues as [path, line, message], which is what an author reads. */
function problemsOf(lines: string[], header = HEADER): [string, number | undefined, string][] {
  return issuesOf(lines, header).map((issue) => [issue.path, issue.line, issue.message]);
}

describe('workflow validation', () => {
  it('accepts the header with a valid workflow (so each case below fails for its own reason)', () => {
    const lines = ['  - key: ok', '    trigger: { type: call.missed }', '    steps: [{ id: text, send_sms: outcome }]'];
    expect(parseSnapshot([...HEADER, ...lines].join('\n'), { plugins }).ok).toBe(true);
  });

  it('names an unknown step kind and an unknown field, on a step and inside one', () => {
    expect(
      problemsOf([
        '  - key: a', // 8
        '    trigger: { type: call.missed }',
        '    steps:',
        '      - { id: one, teleport: home }', // 11
        '      - { id: two, send_sms: hi, then: [] }',
        '      - { id: three, create_task: { title: Call back, due: 1h, colour: red } }',
        '      - { id: four, send_sms: hi, wait: 5s }',
      ]),
    ).toEqual([
      ['workflows[0].steps[0]', 11, expect.stringMatching(/^unknown step \("teleport"\): a step needs one of wait, if, send_sms/)],
      ['workflows[0].steps[1].then', 12, 'unknown key "then"'],
      ['workflows[0].steps[2].create_task.colour', 13, 'unknown key "colour"'],
      ['workflows[0].steps[3]', 14, 'a step does one thing, but this one has wait and send_sms: split it into steps'],
    ]);
  });

  it('names the first use of a duplicate step id, inside branches too', () => {
    expect(
      problemsOf([
        '  - key: a', // 8
        '    trigger: { type: call.missed }',
        '    steps:',
        '      - { id: text, send_sms: hi }',
        '      - id: reply',
        '        wait_for_reply: 1h',
        '        no_reply: [{ id: text, send_sms: hi }]', // 14
      ]),
    ).toEqual([['workflows[0].steps[1].no_reply[0].id', 14, 'step id "text" is already used at workflows[0].steps[0]']]);
  });

  it('names unknown templates and workflows, listing the defined ones', () => {
    expect(
      problemsOf([
        '  - key: a', // 8
        '    trigger: { type: call.missed }',
        '    steps:',
        '      - { id: text, send_sms: { template: nope } }', // 11
        '      - { id: ping, notify: { channel: sms, to: owner, template: gone } }',
        '      - { id: next, start_workflow: ghost }',
      ]),
    ).toEqual([
      ['workflows[0].steps[0].send_sms.template', 11, 'template "nope" is not defined under templates (defined: "hi", "outcome")'],
      ['workflows[0].steps[1].notify.template', 12, 'template "gone" is not defined under templates (defined: "hi", "outcome")'],
      ['workflows[0].steps[2].start_workflow', 13, 'workflow "ghost" is not defined under workflows (defined: "a")'],
    ]);
  });

  it('names each start_workflow cycle once, in order, and a workflow that starts itself', () => {
    expect(
      problemsOf([
        '  - key: a', // 8
        '    trigger: { type: call.missed }',
        '    steps: [{ id: go, start_workflow: b }]',
        '  - key: b', // 11
        '    steps: [{ id: go, start_workflow: c }]',
        '  - key: c',
        '    steps: [{ id: back, start_workflow: a }, { id: again, start_workflow: c }]', // 14
      ]),
    ).toEqual([
      ['workflows[2].steps[0].start_workflow', 14, 'start_workflow cycle: a → b → c → a; a run would start itself again and never end'],
      ['workflows[2].steps[1].start_workflow', 14, 'start_workflow cycle: c → c; a run would start itself again and never end'],
    ]);
  });

  it('refuses starting a disabled workflow and a workflow nothing runs', () => {
    expect(
      problemsOf([
        '  - key: a', // 8
        '    trigger: { type: call.missed }',
        '    steps: [{ id: go, start_workflow: off }]', // 10
        '  - key: off',
        '    enabled: false',
        '    steps: [{ id: text, send_sms: hi }]',
        '  - key: orphan', // 14
        '    steps: [{ id: text, send_sms: hi }]',
      ]),
    ).toEqual([
      ['workflows[0].steps[0].start_workflow', 10, 'workflow "off" is disabled (enabled: false), so starting it would do nothing'],
      ['workflows[2]', 14, 'workflow "orphan" has no trigger and no workflow starts it, so it never runs'],
    ]);
  });

  it('refuses merge fields and conditions the trigger cannot supply, also through start_workflow', () => {
    expect(
      problemsOf([
        '  - key: inbound', // 8
        '    trigger: { type: message.received }',
        '    steps:',
        '      - { id: text, send_sms: outcome }', // 11
        '      - { id: task, create_task: { title: "Call {{ contact.phone }}: {{ call.outcome }}", due: 1h } }',
        '      - { id: check, if: { call_outcome: [voicemail] }, then: [{ id: t, add_tag: vm }] }',
        '      - { id: later, start_workflow: follow_up }',
        '  - key: missed', // 15
        '    trigger: { type: call.missed }',
        '    steps: [{ id: later, start_workflow: follow_up }]',
        '  - key: follow_up', // 18
        '    steps: [{ id: text, send_sms: { template: outcome } }]',
      ]),
    ).toEqual([
      ['workflows[0].steps[0].send_sms', 11, 'template "outcome" uses call.outcome (line 1, column 21), which workflow "inbound" cannot supply when it starts from message.received'],
      ['workflows[0].steps[1].create_task.title', 12, 'the title uses call.outcome (line 1, column 30), which workflow "inbound" cannot supply when it starts from message.received'],
      ['workflows[0].steps[2].if.call_outcome', 13, 'call_outcome needs a missed call, which workflow "inbound" cannot supply when it starts from message.received'],
      ['workflows[2].steps[0].send_sms.template', 19, 'template "outcome" uses call.outcome (line 1, column 21), which workflow "follow_up" cannot supply when it starts from message.received'],
    ]);
  });

  it('refuses plugin steps from a plugin the snapshot does not list, unknown plugin steps and bad settings', () => {
    expect(
      problemsOf([
        '  - key: a', // 8
        '    trigger: { type: call.missed }',
        '    steps:',
        '      - { id: one, plugin: calendar, step: book }', // 11
        '      - { id: two, plugin: voice-ai, step: dance }',
        '      - { id: three, plugin: crm, step: sync }',
        '      - { id: four, plugin: voice-ai, step: place_call, with: { voice: robot } }',
      ]),
    ).toEqual([
      ['workflows[0].steps[0].plugin', 11, 'plugin "calendar" is not listed under plugins: list it there so provisioning installs it'],
      ['workflows[0].steps[1].step', 12, 'plugin "voice-ai" offers no workflow step "dance"'],
      ['workflows[0].steps[2].step', 13, 'plugin "crm" offers no workflow step "sync"'],
      ['workflows[0].steps[3].with.voice', 14, 'unknown voice'],
    ]);
  });

  it('allows one automation per trigger, naming the workflow that has it', () => {
    expect(
      problemsOf([
        '  - key: a', // 8
        '    trigger: { type: call.missed, outcomes: [voicemail] }',
        '    steps: [{ id: text, send_sms: hi }]',
        '  - key: b', // 11
        '    trigger: { type: call.missed, outcomes: [no_answer] }',
        '    steps: [{ id: text, send_sms: hi }]',
        '  - key: c', // 14
        '    enabled: false',
        '    trigger: { type: call.missed }',
        '    steps: [{ id: text, send_sms: hi }]',
        '  - key: vip', // 18
        '    trigger: { type: contact.tagged, tag: vip }',
        '    steps: [{ id: text, send_sms: hi }]',
        '  - key: lead',
        '    trigger: { type: contact.tagged, tag: lead }',
        '    steps: [{ id: text, send_sms: hi }]',
      ]),
    ).toEqual([
      [
        'workflows[1].trigger',
        12,
        'workflow "b" and workflow "a" (workflows[0]) both run on call.missed: one automation per trigger, so branch inside one workflow or set enabled: false on the other',
      ],
    ]);
  });

  it('refuses the built-in text-back next to an enabled call.missed workflow, naming both', () => {
    const header = [...HEADER.slice(0, -1), 'textBack: { template: hi }', 'workflows:'];
    const workflow = ['  - key: missed', '    trigger: { type: call.missed }', '    steps: [{ id: text, send_sms: hi }]'];
    expect(problemsOf(workflow, header)).toEqual([
      [
        'textBack',
        7,
        'the built-in text-back (textBack) and workflow "missed" (workflows[0]) both answer call.missed: one automation per trigger, so set textBack.enabled: false or enabled: false on the workflow',
      ],
    ]);
    const disabled = [...HEADER.slice(0, -1), 'textBack: { enabled: false, template: hi }', 'workflows:'];
    expect(parseSnapshot([...disabled, ...workflow].join('\n'), { plugins }).ok).toBe(true);
  });

  it('needs businessHours for hours conditions, waits and merge fields', () => {
    expect(
      problemsOf(
        [
          '  - key: a', // 8
          '    trigger: { type: call.missed }',
          '    steps:',
          '      - { id: open, wait: { until: business_hours_open } }', // 11
          '      - { id: hours, if: { not: { business_hours: closed } }, then: [{ id: text, send_sms: after } ] }',
        ],
        [...HEADER.slice(0, 4), 'templates: { after: "We open {{ business_hours.next_open }}" }', 'plugins: []', 'workflows:'],
      ),
    ).toEqual([
      ['templates.after', 5, 'line 1, column 12: business_hours.next_open needs a businessHours block in the snapshot'],
      ['workflows[0].steps[0].wait', 11, 'waiting until business hours open needs a businessHours block in the snapshot'],
      ['workflows[0].steps[1].if.not.business_hours', 12, 'a business_hours condition needs a businessHours block in the snapshot'],
    ]);
  });

  it(`bounds branch nesting at ${MAX_STEP_DEPTH} levels and a workflow at ${MAX_STEPS_PER_WORKFLOW} steps`, () => {
    const nested = (depth: number): string => (depth === 0 ? '{ id: leaf, add_tag: deep }' : `{ id: s${depth}, if: { has_tag: x }, then: [${nested(depth - 1)}] }`);
    const deep = issuesOf(['  - key: deep', '    trigger: { type: call.missed }', `    steps: [${nested(MAX_STEP_DEPTH)}]`]);
    expect(deep).toEqual([
      {
        path: 'workflows[0].steps[0].then[0].then[0].then[0].then[0].then[0].then[0]',
        message: `steps nest at most ${MAX_STEP_DEPTH} deep: move the inner steps into a workflow of their own and start it with start_workflow`,
        line: 10,
        column: expect.any(Number),
      },
    ]);
    const many = Array.from({ length: MAX_STEPS_PER_WORKFLOW + 1 }, (_, index) => `{ id: s${index}, add_tag: t }`).join(', ');
    expect(problemsOf(['  - key: long', '    trigger: { type: call.missed }', `    steps: [${many}]`])).toEqual([
      [
        'workflows[0].steps',
        10,
        `workflow "long" has ${MAX_STEPS_PER_WORKFLOW + 1} steps, branches included; the limit is ${MAX_STEPS_PER_WORKFLOW}: move a part into a workflow started with start_workflow`,
      ],
    ]);
  });
});

describe('a broken v2 file', () => {
  it('lists every problem at once, in source order, each with its path and line', () => {
    const broken = [
      'apiVersion: mctb.dev/v2',
      'kind: Snapshot',
      'metadata: { slug: broken, name: Broken, version: 1 }',
      'quietHours: "25:00-08:00"',
      'exclusions: { tags: [team, team], dailyCap: 0, extra: 1 }', // 5
      'textBack: { template: hello }',
      'templates:',
      '  hello: "Hi {{ call.outcome }} {{ business_hours.next_open }}"',
      'workflows:',
      '  - key: a', // 10
      '    trigger: { type: call.missed, outcomes: [answered] }',
      '    steps:',
      '      - { id: s1, send_sms: nope }',
      '      - { id: s1, wait: { until: business_hours_open } }',
      '      - { id: s3, teleport: home }', // 15
      '      - { id: s4, wait: 31d }',
      '      - { id: s5, start_workflow: b }',
      '      - { id: s6, webhook: { url: owner, retries: 11 } }',
      '      - { id: s7, plugin: crm, step: sync }',
      '      - id: s8', // 20
      '        if: { all: [{ day_of_week: [funday] }, { weather: sunny }] }',
      '        then: [{ id: s9, add_tag: "" }]',
      '  - key: b',
      '    trigger: { type: message.received }',
      '    steps:', // 25
      '      - { id: t1, send_sms: hello }',
      '      - { id: t2, start_workflow: a }',
      '      - { id: t3, notify: { channel: pager, to: owner, template: hello } }',
      '  - key: c',
      '    trigger: { type: call.missed }', // 30
      '    dedup: { per: caller, window: 1h }',
      '    steps: []',
      '  - key: Bad Key',
      '    trigger: { type: contact.tagged }',
      '    steps: [{ id: v1, create_task: { title: "{{ contact.nam }}", due: 1h, assignee: custom_values.nobody } }]', // 35
    ].join('\n');
    const result = parseSnapshot(broken, { plugins: { describe: () => undefined } });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((issue) => [issue.path, issue.line, issue.message])).toEqual([
      ['quietHours', 4, '"25:00-08:00" is not an interval such as "08:00-17:00" (24-hour HH:MM, "24:00" only as an end)'],
      ['exclusions.tags[1]', 5, 'tag "team" is listed twice'],
      ['exclusions.dailyCap', 5, 'must be at least 1'],
      ['exclusions.extra', 5, 'unknown key "extra"'],
      ['textBack', 6, expect.stringContaining('the built-in text-back (textBack) and workflow "a" (workflows[0]) both answer call.missed')],
      ['templates.hello', 8, 'line 1, column 26: business_hours.next_open needs a businessHours block in the snapshot'],
      ['workflows[0].trigger.outcomes[0]', 11, 'expected one of no_answer, declined, voicemail, failed, abandoned'],
      ['workflows[0].steps[0].send_sms', 13, 'template "nope" is not defined under templates (defined: "hello")'],
      ['workflows[0].steps[1].id', 14, 'step id "s1" is already used at workflows[0].steps[0]'],
      ['workflows[0].steps[1].wait', 14, 'waiting until business hours open needs a businessHours block in the snapshot'],
      ['workflows[0].steps[2]', 15, expect.stringMatching(/^unknown step \("teleport"\)/)],
      ['workflows[0].steps[3].wait', 16, 'must be at most 30d, not 31d'],
      ['workflows[0].steps[5].webhook.url', 18, 'a webhook needs a URL or custom_values.<key>, not owner'],
      ['workflows[0].steps[5].webhook.retries', 18, 'must be at most 10'],
      ['workflows[0].steps[6].plugin', 19, 'plugin "crm" is not listed under plugins: list it there so provisioning installs it'],
      ['workflows[0].steps[7].if.all[0].day_of_week[0]', 21, 'expected one of mon, tue, wed, thu, fri, sat, sun'],
      ['workflows[0].steps[7].if.all[1].weather', 21, expect.stringMatching(/^unknown condition "weather": expected one of business_hours, call_outcome/)],
      ['workflows[0].steps[7].then[0].add_tag', 22, 'a tag cannot be empty'],
      ['workflows[1].steps[0].send_sms', 26, expect.stringContaining('template "hello" uses call.outcome (line 1, column 7), which workflow "b" cannot supply')],
      ['workflows[1].steps[1].start_workflow', 27, 'start_workflow cycle: a → b → a; a run would start itself again and never end'],
      ['workflows[1].steps[2].notify.channel', 28, 'must be sms, email or webhook'],
      ['workflows[1].steps[2].notify.template', 28, expect.stringContaining('template "hello" uses call.outcome')],
      ['workflows[2].trigger', 30, expect.stringContaining('workflow "c" and workflow "a" (workflows[0]) both run on call.missed')],
      ['workflows[2].dedup.per', 31, 'must be contact'],
      ['workflows[2].steps', 32, 'a workflow needs at least one step'],
      ['workflows[3].key', 33, 'use lowercase letters, digits and underscores, starting with a letter'],
      ['workflows[3].trigger.tag', 34, 'is required'],
      ['workflows[3].steps[0].create_task.title', 35, 'line 1, column 4: unknown merge field "contact.nam"'],
      ['workflows[3].steps[0].create_task.assignee', 35, 'custom value "nobody" is not declared under customValues'],
    ]);
  });
});
