/**
 * Workflow steps: a mapping with an `id` ([a-z][a-z0-9_]*, unique in its workflow, branches included)
 * and exactly one key saying what it does.
 *
 *   - { id: pause, wait: 60s }                          a duration, at most 30d
 *   - { id: until_open, wait: { until: business_hours_open } }   no wait when already open
 *   - id: hours
 *     if: { business_hours: open }                      a condition (condition-schema.ts)
 *     then: [steps]                                     optional, default []; then or else needs a step
 *     else: [steps]
 *   - { id: text, send_sms: in_hours }                  a template key; the long form is
 *     send_sms: { template: in_hours, duringQuietHours: send }   (default wait: hold until quiet hours end)
 *   - id: reply
 *     wait_for_reply: 24h                               timeout, at most 30d; empty means 24h
 *     replied: [steps]                                  optional, default []
 *     no_reply: [steps]                                 optional, default []
 *   - { id: tag, add_tag: replied }                     also remove_tag; a tag is one line, 1..64 characters
 *   - id: task
 *     create_task: { title: "Call back {{ contact.phone }}", due: 2h, assignee: owner }
 *                                                       title is a Liquid template; due at most 30d;
 *                                                       assignee optional (unassigned)
 *   - id: ping
 *     notify: { channel: sms, to: owner, template: owner_alert }   channel sms, email or webhook
 *   - id: crm
 *     webhook: { url: "https://crm.example/hook", timeout: 10s, retries: 3 }
 *                                                       a signed POST; timeout 1s..30s (default 10s),
 *                                                       retries 0..10 (default 3)
 *   - { id: nurture, start_workflow: nurture }          another workflow of the snapshot, same contact
 *   - { id: call, plugin: voice-ai, step: place_call, with: { voice: alloy } }
 *                                                       a step a plugin listed under `plugins` offers;
 *                                                       `with` is checked by the plugin
 *
 * Recipients (`to`, `assignee`, a webhook `url`): `owner` (the sub-account's owner), a per-client
 * `custom_values.<key>`, or a literal (E.164 phone for sms, e-mail address, http(s) URL).
 */
import * as z from 'zod';
import { conditionSchema } from './condition-schema.js';
import { withEditorShape } from './editor-shapes.js';
import { isRecord, parseInto, recipientSchema, tagSchema } from './field-schemas.js';
import { durationSchema, keySchema } from './schema.js';
import { MAX_STEP_DEPTH, STEP_KEYS, THIRTY_DAYS_SECONDS, type StepKey } from './workflow-syntax.js';
import type { WorkflowStep } from './workflow-types.js';

const DEFAULT_REPLY_TIMEOUT_SECONDS = 24 * 60 * 60;

const waitDurationSchema = durationSchema(THIRTY_DAYS_SECONDS);
const waitUntilSchema = z.strictObject({ until: z.literal('business_hours_open', { error: 'must be business_hours_open' }) });

/** `wait: 60s` or `wait: { until: business_hours_open }`. */
const waitInput = z.unknown().transform((raw, ctx) => {
  if (isRecord(raw)) return parseInto(waitUntilSchema, raw, ctx);
  return parseInto(waitDurationSchema, raw, ctx);
});
const waitSchema = withEditorShape(waitInput, { name: 'wait', shape: () => z.union([waitDurationSchema, waitUntilSchema]) });

/** `wait_for_reply:` with nothing after it (YAML null) waits the default 24h. */
const replyTimeoutSchema = withEditorShape(
  z.preprocess((raw) => raw ?? DEFAULT_REPLY_TIMEOUT_SECONDS, waitDurationSchema),
  { name: 'replyTimeout', shape: () => z.union([waitDurationSchema, z.null()]).meta({ description: 'How long to wait for a reply, at most 30d; empty: 24h.' }) },
);

const sendSmsLongSchema = z.strictObject({
  template: keySchema,
  duringQuietHours: z.enum(['wait', 'send'], { error: 'must be wait or send' }).default('wait'),
});

/** `send_sms: key`, or the long form with `duringQuietHours`. */
const sendSmsInput = z.unknown().transform((raw, ctx) => {
  if (isRecord(raw)) return parseInto(sendSmsLongSchema, raw, ctx);
  const template = parseInto(keySchema, raw, ctx);
  return { template, duringQuietHours: 'wait' as const };
});
const sendSmsSchema = withEditorShape(sendSmsInput, { name: 'sendSms', shape: () => z.union([keySchema, sendSmsLongSchema]) });

const NOTIFY_CHANNELS = ['sms', 'email', 'webhook'] as const;

/** A literal `to` must be an address of the channel's kind, so the schema depends on the channel. */
function notifyFieldsSchema(channel: (typeof NOTIFY_CHANNELS)[number] | undefined) {
  return z.strictObject({
    channel: z.enum(NOTIFY_CHANNELS, { error: 'must be sms, email or webhook' }),
    // With no valid channel only the channel is reported; `to` is checked once the channel is known.
    to: recipientSchema(channel ?? 'assignee'),
    template: keySchema,
  });
}

const notifySchemas = new Map([undefined, ...NOTIFY_CHANNELS].map((channel) => [channel, notifyFieldsSchema(channel)]));

const notifyInput = z.unknown().transform((raw, ctx) => {
  const channel = isRecord(raw) ? NOTIFY_CHANNELS.find((known) => known === raw.channel) : undefined;
  return parseInto(notifySchemas.get(channel)!, raw, ctx);
});
const notifySchema = withEditorShape(notifyInput, { name: 'notify', shape: () => notifyFieldsSchema(undefined) });

/** Steps of a branch at `depth` (top-level steps are 1). */
function branchSchema(depth: number) {
  return z.array(stepSchema(depth), { error: 'must be a list of steps' }).default([]);
}

/** The schema for each kind of step, reading the whole step mapping (so stray keys are named). */
const stepKindSchemas: Record<StepKey, (depth: number) => z.ZodType<WorkflowStep>> = {
  wait: () =>
    z
      .strictObject({ id: keySchema, wait: waitSchema })
      .transform(({ id, wait }): WorkflowStep =>
        typeof wait === 'number' ? { kind: 'wait', id, seconds: wait } : { kind: 'wait_until', id, until: wait.until },
      ),
  if: (depth) =>
    z
      .strictObject({ id: keySchema, if: conditionSchema(), then: branchSchema(depth + 1), else: branchSchema(depth + 1) })
      .refine((step) => step.then.length + step.else.length > 0, { message: 'an if needs a step under then or else', path: ['if'] })
      .transform(({ id, if: condition, then, else: otherwise }): WorkflowStep => ({ kind: 'if', id, condition, then, else: otherwise })),
  send_sms: () =>
    z
      .strictObject({ id: keySchema, send_sms: sendSmsSchema })
      .transform(({ id, send_sms }): WorkflowStep => ({ kind: 'send_sms', id, ...send_sms })),
  wait_for_reply: (depth) =>
    z
      .strictObject({
        id: keySchema,
        wait_for_reply: replyTimeoutSchema,
        replied: branchSchema(depth + 1),
        no_reply: branchSchema(depth + 1),
      })
      .transform(({ id, wait_for_reply, replied, no_reply }): WorkflowStep => ({
        kind: 'wait_for_reply',
        id,
        timeoutSeconds: wait_for_reply,
        replied,
        noReply: no_reply,
      })),
  add_tag: () => z.strictObject({ id: keySchema, add_tag: tagSchema }).transform(({ id, add_tag }): WorkflowStep => ({ kind: 'add_tag', id, tag: add_tag })),
  remove_tag: () =>
    z.strictObject({ id: keySchema, remove_tag: tagSchema }).transform(({ id, remove_tag }): WorkflowStep => ({ kind: 'remove_tag', id, tag: remove_tag })),
  create_task: () =>
    z
      .strictObject({
        id: keySchema,
        create_task: z.strictObject({
          title: z.string().trim().min(1, 'a task needs a title').max(500),
          due: durationSchema(THIRTY_DAYS_SECONDS),
          assignee: recipientSchema('assignee').optional(),
        }),
      })
      .transform(({ id, create_task: task }): WorkflowStep => ({
        kind: 'create_task',
        id,
        title: task.title,
        dueSeconds: task.due,
        assignee: task.assignee ?? null,
      })),
  notify: () =>
    z
      .strictObject({ id: keySchema, notify: notifySchema })
      .transform(({ id, notify }): WorkflowStep => ({ kind: 'notify', id, ...notify })),
  webhook: () =>
    z
      .strictObject({
        id: keySchema,
        webhook: z.strictObject({
          url: recipientSchema('webhook'),
          timeout: durationSchema(30).pipe(z.number().min(1, 'must be at least 1s')).default(10),
          retries: z.int({ error: 'must be a whole number' }).min(0, 'must be 0 or more').max(10, 'must be at most 10').default(3),
        }),
      })
      .transform(({ id, webhook }): WorkflowStep => ({ kind: 'webhook', id, url: webhook.url, timeoutSeconds: webhook.timeout, retries: webhook.retries })),
  start_workflow: () =>
    z
      .strictObject({ id: keySchema, start_workflow: keySchema })
      .transform(({ id, start_workflow }): WorkflowStep => ({ kind: 'start_workflow', id, workflow: start_workflow })),
  plugin: () =>
    z
      .strictObject({
        id: keySchema,
        plugin: z.string().min(1),
        step: z.string().min(1),
        // `with:` and nothing after it is YAML null: no settings.
        with: z
          .record(z.string(), z.unknown())
          .nullish()
          .transform((config) => config ?? {}),
      })
      .transform(({ id, plugin, step, with: config }): WorkflowStep => ({ kind: 'plugin', id, plugin, step, config })),
};

const byDepth = new Map<number, z.ZodType<WorkflowStep>>();
const byKindAndDepth = new Map<string, z.ZodType<WorkflowStep>>();

function kindSchema(kind: StepKey, depth: number): z.ZodType<WorkflowStep> {
  const cacheKey = `${kind}/${depth}`;
  let schema = byKindAndDepth.get(cacheKey);
  if (!schema) {
    schema = stepKindSchemas[kind](depth);
    byKindAndDepth.set(cacheKey, schema);
  }
  return schema;
}

/** One step at a nesting depth; a step deeper than MAX_STEP_DEPTH is an issue, never a recursion. */
export function stepSchema(depth: number): z.ZodType<WorkflowStep> {
  let schema = byDepth.get(depth);
  if (!schema) {
    schema = withEditorShape(
      z.unknown().transform((raw, ctx) => readStep(raw, depth, ctx)),
      { name: 'step', shape: () => z.union(STEP_KEYS.map((kind) => kindSchema(kind, 1).meta({ title: kind }))) },
    );
    byDepth.set(depth, schema);
  }
  return schema;
}

function readStep(raw: unknown, depth: number, ctx: z.core.$RefinementCtx): WorkflowStep | typeof z.NEVER {
  if (depth > MAX_STEP_DEPTH) {
    ctx.addIssue({
      code: 'custom',
      message: `steps nest at most ${MAX_STEP_DEPTH} deep: move the inner steps into a workflow of their own and start it with start_workflow`,
    });
    return z.NEVER;
  }
  if (!isRecord(raw)) {
    ctx.addIssue({ code: 'custom', message: 'a step is a mapping such as { id: text, send_sms: missed_call }' });
    return z.NEVER;
  }
  const kinds = STEP_KEYS.filter((key) => Object.hasOwn(raw, key));
  if (kinds.length !== 1) {
    const found = Object.keys(raw).filter((key) => key !== 'id');
    const message =
      kinds.length === 0
        ? `unknown step${found.length > 0 ? ` (${found.map((key) => `"${key}"`).join(', ')})` : ''}: a step needs one of ${STEP_KEYS.join(', ')}`
        : `a step does one thing, but this one has ${kinds.join(' and ')}: split it into steps`;
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  return parseInto(kindSchema(kinds[0]!, depth), raw, ctx);
}
