/**
 * Snapshot file format, `apiVersion: mctb.dev/v1` (example: snapshots/missed-call-text-back.yaml).
 * v2 (schema-v2.ts) shares these blocks and adds workflows; a v1 file is still read, and its
 * text-back compiles into the same workflow definition (compile-text-back.ts).
 *
 *   apiVersion: mctb.dev/v1           required, exactly this
 *   kind: Snapshot                    required, exactly this
 *   metadata:
 *     slug                            lowercase letters, digits and single dashes, at most 64 characters
 *     name                            1..120 characters
 *     version                         optional, 1..2147483647; omitted: the next version on import; a published (slug, version) never changes
 *     description                     optional, at most 500 characters
 *   customValues: (optional list)     per-client values, merged as `custom_values.<key>`
 *     - key                           [a-z][a-z0-9_]*, unique, at most 64 characters
 *       name                          label shown when provisioning
 *       required                      optional, default false. A required value has no default: each
 *                                     client must supply it, so a default would only hide a forgotten one
 *       default                       optional string, used when a client supplies nothing
 *   textBack:
 *     enabled                         optional, default true
 *     delay                           optional, default 60s; 0s..24h
 *     dedupWindow                     optional, default 24h; 0s (text every missed call)..30d
 *     template                        required, a key under `templates`
 *   templates:                        map of key ([a-z][a-z0-9_]*) to a Liquid template (see @mctb/templates)
 *   plugins: (optional list)          plugins the snapshot requires
 *     - id                            a plugin known to the platform, listed once
 *       config                        optional mapping (empty when omitted), checked by the plugin
 *
 * Durations are whole seconds (60) or units in descending order: "90s", "5m", "1h30m", "24h", "30d".
 * Every mapping is closed: unknown keys are errors, so a typo never silently falls back to a default.
 */
import { DEFAULT_TEXT_BACK_PLAN, TEXT_BACK_LIMITS } from '@mctb/domain';
import semver from 'semver';
import * as z from 'zod';
import { formatDuration, parseDuration } from './duration.js';
import { DURATION_SHAPE, withEditorShape } from './editor-shapes.js';

export const SNAPSHOT_API_VERSION = 'mctb.dev/v1';
export const SNAPSHOT_API_VERSION_V2 = 'mctb.dev/v2';
/** Both formats are read; the message for any other apiVersion names them. */
export const API_VERSION_MESSAGE = `must be "${SNAPSHOT_API_VERSION}" or "${SNAPSHOT_API_VERSION_V2}"`;

/** The largest PostgreSQL integer. */
export const MAX_SNAPSHOT_VERSION = 2_147_483_647;

const KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Keys of templates, custom values, workflows and step ids. */
export const keySchema = z
  .string()
  .max(64)
  .regex(KEY_PATTERN, 'use lowercase letters, digits and underscores, starting with a letter');

/** A duration (see duration.ts) in seconds, at most `maxSeconds`. */
export function durationSchema(maxSeconds: number) {
  const schema = z.unknown().transform((value, ctx) => {
    const parsed = parseDuration(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    if (parsed.seconds > maxSeconds) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${formatDuration(maxSeconds)}, not ${formatDuration(parsed.seconds)}`,
      });
      return z.NEVER;
    }
    return parsed.seconds;
  });
  return withEditorShape(schema, DURATION_SHAPE);
}

export const metadataSchema = z.strictObject({
  slug: z
    .string()
    .max(64)
    .regex(SLUG_PATTERN, 'use lowercase letters, digits and single dashes, e.g. "missed-call-text-back"'),
  name: z.string().trim().min(1).max(120),
  // Stored as a PostgreSQL integer: the version must fit in one. Omitted: the next version is assigned on import.
  version: z
    .int({ error: 'must be a whole number' })
    .positive('must be 1 or more')
    .max(MAX_SNAPSHOT_VERSION, `must be at most ${MAX_SNAPSHOT_VERSION}`)
    .optional(),
  description: z.string().max(500).optional(),
});

export const customValuesSchema = z
  .array(
    z.strictObject({
      key: keySchema,
      name: z.string().trim().min(1).max(120),
      required: z.boolean().default(false).meta({ description: 'Each client must supply a value; a required value has no default.' }),
      default: z.string().optional().meta({ description: 'Used when a client supplies nothing.' }),
    }),
  )
  .default([])
  .meta({ description: 'Per-client values supplied when provisioning, used in templates as custom_values.<key>.' });

/** The simple text-back settings; v2 adds `afterHoursTemplate` to them. */
export const textBackFields = {
  enabled: z.boolean().default(DEFAULT_TEXT_BACK_PLAN.enabled),
  delay: durationSchema(TEXT_BACK_LIMITS.maxDelaySeconds)
    .default(DEFAULT_TEXT_BACK_PLAN.delaySeconds)
    .meta({ description: 'How long after the missed call the text goes out: 0s..24h, default 60s.' }),
  dedupWindow: durationSchema(TEXT_BACK_LIMITS.maxDedupWindowSeconds)
    .default(DEFAULT_TEXT_BACK_PLAN.dedupWindowSeconds)
    .meta({ description: 'At most one text per caller in this window: 0s (every missed call)..30d, default 24h.' }),
  template: keySchema.meta({ description: 'The key of the template to send, under templates.' }),
};

export const templatesSchema = z
  .record(
    keySchema,
    z.string().refine((source) => source.trim() !== '', 'template is empty'),
  )
  .meta({ description: 'Liquid templates by key, e.g. "Hi {{ contact.first_name | default: \'there\' }}, sorry we missed you at {{ location.name }}!"' });

export const pluginsSchema = z
  .array(
    z.strictObject({
      id: z.string().min(1),
      version: z
        .string()
        .refine((range) => semver.validRange(range) !== null, 'must be a version range like "^1.2.0", "~1.4", ">=2 <3" or "*"')
        .default('*')
        .meta({ description: 'The versions of the plugin this snapshot works with (semver range); provisioning installs the highest published one.' }),
      // `config:` with nothing after it is YAML null; treat it like an empty mapping.
      config: z
        .record(z.string(), z.unknown())
        .nullish()
        .transform((config) => config ?? {}),
    }),
  )
  .default([])
  .meta({ description: 'Plugins the snapshot requires, each listed once with its config (checked by the plugin on import).' });

export const snapshotSchema = z.strictObject({
  apiVersion: z.literal(SNAPSHOT_API_VERSION, { error: API_VERSION_MESSAGE }),
  kind: z.literal('Snapshot', { error: 'must be "Snapshot"' }),
  metadata: metadataSchema,
  customValues: customValuesSchema,
  textBack: z.strictObject(textBackFields).meta({ description: 'Text every missed caller once: delay, dedup window and the template to send.' }),
  templates: templatesSchema,
  plugins: pluginsSchema,
});

export type ParsedSnapshotDocument = z.output<typeof snapshotSchema>;
