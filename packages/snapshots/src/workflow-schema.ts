/**
 * A v2 snapshot's `workflows`: a list of
 *
 *   - key: missed_call                 [a-z][a-z0-9_]*, unique; "text_back" is reserved for the
 *                                      workflow the simple textBack settings compile into
 *     name: Missed call                optional, 1..120 characters
 *     enabled: true                    optional, default true; false: the trigger starts no run
 *     trigger:                         optional: without one, only start_workflow runs the workflow
 *       type: call.missed              call.missed | message.received | contact.tagged
 *       outcomes: [no_answer, voicemail]   call.missed only; default every missed outcome
 *                                      (no_answer, declined, voicemail, failed, abandoned)
 *       tag: vip                       contact.tagged only, required
 *     dedup: { per: contact, window: 24h }   optional: one run per contact per window (at most 30d)
 *     steps: [steps]                   at least one (step-schema.ts)
 *
 * One automation per trigger: two enabled workflows on the same trigger (call.missed, message.received,
 * or contact.tagged with the same tag) are refused, and so is an enabled textBack next to an enabled
 * call.missed workflow. Branch on the outcome inside one workflow instead (if: { call_outcome: [...] }).
 */
import * as z from 'zod';
import { choiceListSchema } from './condition-schema.js';
import { withEditorShape } from './editor-shapes.js';
import { isRecord, parseInto, tagSchema } from './field-schemas.js';
import { durationSchema, keySchema } from './schema.js';
import { stepSchema } from './step-schema.js';
import { MAX_WORKFLOWS, THIRTY_DAYS_SECONDS } from './workflow-syntax.js';
import { MISSED_CALL_OUTCOMES, TRIGGER_TYPES, type Workflow, type WorkflowTrigger } from './workflow-types.js';

const triggerTypeSchemas: Record<(typeof TRIGGER_TYPES)[number], z.ZodType<WorkflowTrigger>> = {
  'call.missed': z
    .strictObject({ type: z.literal('call.missed'), outcomes: choiceListSchema(MISSED_CALL_OUTCOMES).default([...MISSED_CALL_OUTCOMES]) })
    .transform(({ outcomes }): WorkflowTrigger => ({ type: 'call.missed', outcomes })),
  'message.received': z.strictObject({ type: z.literal('message.received') }).transform((): WorkflowTrigger => ({ type: 'message.received' })),
  'contact.tagged': z
    .strictObject({ type: z.literal('contact.tagged'), tag: tagSchema })
    .transform(({ tag }): WorkflowTrigger => ({ type: 'contact.tagged', tag })),
};

const triggerInput = z.unknown().transform((raw, ctx) => {
  if (!isRecord(raw)) {
    ctx.addIssue({ code: 'custom', message: 'a trigger is a mapping such as { type: call.missed }' });
    return z.NEVER;
  }
  const type = TRIGGER_TYPES.find((known) => known === raw.type);
  if (!type) {
    const message = raw.type === undefined ? 'is required' : `unknown trigger ${JSON.stringify(raw.type)}: expected ${TRIGGER_TYPES.join(', ')}`;
    ctx.addIssue({ code: 'custom', path: ['type'], message });
    return z.NEVER;
  }
  return parseInto(triggerTypeSchemas[type], raw, ctx);
});
const triggerSchema = withEditorShape(triggerInput, { name: 'trigger', shape: () => z.union(Object.values(triggerTypeSchemas)) });

const dedupSchema = z.strictObject({
  per: z.literal('contact', { error: 'must be contact' }).default('contact'),
  window: durationSchema(THIRTY_DAYS_SECONDS),
});

export const workflowSchema = z
  .strictObject({
    key: keySchema,
    name: z.string().trim().min(1).max(120).optional(),
    enabled: z.boolean().default(true).meta({ description: 'false: the trigger starts no run.' }),
    trigger: triggerSchema.optional().meta({ description: 'What starts a run; without one, only start_workflow runs the workflow.' }),
    dedup: dedupSchema.optional().meta({ description: 'One run per contact per window (at most 30d).' }),
    steps: z.array(stepSchema(1), { error: 'must be a list of steps' }).min(1, 'a workflow needs at least one step'),
  })
  .transform(
    (workflow): Workflow => ({
      key: workflow.key,
      name: workflow.name ?? null,
      enabled: workflow.enabled,
      trigger: workflow.trigger ?? null,
      dedup: workflow.dedup ? { per: workflow.dedup.per, windowSeconds: workflow.dedup.window } : null,
      steps: workflow.steps,
    }),
  );

export const workflowsSchema = z
  .array(workflowSchema, { error: 'must be a list of workflows' })
  .max(MAX_WORKFLOWS, `a snapshot holds at most ${MAX_WORKFLOWS} workflows`)
  .default([]);
