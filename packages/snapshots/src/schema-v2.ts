/**
 * Snapshot file format, `apiVersion: mctb.dev/v2`: automations as data (DESIGN §4a).
 *
 *   apiVersion: mctb.dev/v2           required, exactly this
 *   kind: Snapshot                    required, exactly this
 *   metadata, customValues, plugins   as in v1 (schema.ts)
 *   businessHours:                    optional (see @mctb/business-hours): needed by business_hours
 *     timeZone: America/Chicago         conditions, `wait: { until: business_hours_open }`, the
 *     weekly:                           business_hours.* merge fields and textBack.afterHoursTemplate
 *       mon-fri: ["08:00-12:00", "13:00-18:00"]
 *     closed: ["2026-12-25"]
 *   quietHours: "21:00-08:00"         optional, default "21:00-08:00"; "off" for none. An automated text
 *                                     due inside it waits for it to end, unless its step says
 *                                     `duringQuietHours: send` (the built-in text-back does)
 *   exclusions:                       optional; who call.missed runs skip, each skip recorded with its reason
 *     tags: [team, vendor]              contacts with any of these tags; default none
 *     onlyNewContacts: false            default false
 *     activeConversationWithin: 24h     a caller who texted or was texted this recently; default 24h, 0s: off
 *     dailyCap: 200                     automated texts per sub-account per day, 1..100000 or off; default 200
 *   textBack:                         optional: the simple settings of v1 (enabled, delay, dedupWindow,
 *     template: missed_call             template), plus afterHoursTemplate, sent outside business hours.
 *     afterHoursTemplate: after_hours   They compile into a workflow keyed "text_back" (compile-text-back.ts)
 *   templates:                        optional map of key to Liquid template, as in v1; a template may
 *                                     also use business_hours.is_open and business_hours.next_open
 *   workflows: [workflows]            optional (workflow-schema.ts, step-schema.ts, condition-schema.ts)
 *
 * Every mapping is closed: unknown keys are errors. Which merge fields each trigger supplies is in
 * trigger-fields.ts; a template a workflow sends may only use those.
 */
import { parseBusinessHours } from '@mctb/business-hours';
import * as z from 'zod';
import { BUSINESS_HOURS_SHAPE, withEditorShape } from './editor-shapes.js';
import { dailyWindowSchema, parseInto, scheduleSchema, tagSchema } from './field-schemas.js';
import {
  customValuesSchema,
  durationSchema,
  keySchema,
  metadataSchema,
  pluginsSchema,
  SNAPSHOT_API_VERSION_V2,
  templatesSchema,
  textBackFields,
} from './schema.js';
import { workflowsSchema } from './workflow-schema.js';
import { THIRTY_DAYS_SECONDS } from './workflow-syntax.js';

/** 21:00-08:00, in minutes after local midnight. */
export const DEFAULT_QUIET_HOURS = { start: 21 * 60, end: 8 * 60 };
export const DEFAULT_DAILY_CAP = 200;
export const DEFAULT_ACTIVE_CONVERSATION_SECONDS = 24 * 60 * 60;

/** Undefined when omitted (an optional transform never sees undefined): the default then applies. */
const quietHoursInput = z.unknown().transform((raw, ctx) => {
  if (raw === 'off') return null;
  if (typeof raw !== 'string') {
    ctx.addIssue({ code: 'custom', message: 'expected a window such as "21:00-08:00", or "off"' });
    return z.NEVER;
  }
  return parseInto(dailyWindowSchema, raw, ctx);
});
const quietHoursSchema = withEditorShape(quietHoursInput, { name: 'quietHours', shape: () => z.union([z.literal('off'), dailyWindowSchema]) });

const exclusionsSchema = z
  .strictObject({
    tags: z
      .array(tagSchema, { error: 'must be a list of tags' })
      .default([])
      .superRefine((tags, ctx) => {
        tags.forEach((tag, index) => {
          if (tags.indexOf(tag) !== index) ctx.addIssue({ code: 'custom', path: [index], message: `tag "${tag}" is listed twice` });
        });
      }),
    onlyNewContacts: z.boolean().default(false),
    activeConversationWithin: durationSchema(THIRTY_DAYS_SECONDS).default(DEFAULT_ACTIVE_CONVERSATION_SECONDS),
    dailyCap: z
      .union([z.literal('off'), z.int({ error: 'must be a whole number from 1 to 100000, or "off"' }).min(1, 'must be at least 1').max(100_000, 'must be at most 100000')])
      .default(DEFAULT_DAILY_CAP)
      .transform((cap) => (cap === 'off' ? null : cap)),
  })
  .prefault({});

export const snapshotSchemaV2 = z.strictObject({
  apiVersion: z.literal(SNAPSHOT_API_VERSION_V2),
  kind: z.literal('Snapshot', { error: 'must be "Snapshot"' }),
  metadata: metadataSchema,
  customValues: customValuesSchema,
  businessHours: withEditorShape(scheduleSchema(parseBusinessHours), BUSINESS_HOURS_SHAPE).optional(),
  quietHours: quietHoursSchema
    .optional()
    .meta({ description: 'Automated texts due inside this daily window wait for it to end; default "21:00-08:00", "off" for none.' }),
  exclusions: exclusionsSchema.meta({ description: 'Who call.missed runs skip; each skip is recorded on the call with its reason.' }),
  textBack: z
    .strictObject({
      ...textBackFields,
      afterHoursTemplate: keySchema.optional().meta({ description: 'The template sent instead outside business hours.' }),
    })
    .optional()
    .meta({ description: 'The simple text-back settings; they compile into a workflow keyed "text_back".' }),
  templates: templatesSchema.default({}),
  workflows: workflowsSchema.meta({ description: 'Automations: a trigger and a tree of steps each.' }),
  plugins: pluginsSchema,
});

export type ParsedSnapshotDocumentV2 = z.output<typeof snapshotSchemaV2>;
