import * as z from 'zod';

/**
 * What editors are told a value accepts, for the parts of a snapshot zod reads with a transform of
 * `unknown` (durations, steps, conditions, hours...), whose own JSON Schema would say nothing. Each
 * such schema registers a named shape here; json-schema.ts emits the shape once under `definitions`
 * and points every use at it, so recursive steps and conditions become `$ref`s.
 */
export interface EditorShape {
  /** The name under `definitions`. */
  name: string;
  /** A zod schema of the accepted input, read lazily because steps and conditions refer to themselves. */
  shape: () => z.ZodType;
}

const shapes = new WeakMap<z.core.$ZodType, EditorShape>();

/** Registers what `schema` accepts, for editors; returns the schema. (A WeakMap, not a zod registry, whose meta typing is costly.) */
export function withEditorShape<T extends z.ZodType>(schema: T, shape: EditorShape): T {
  shapes.set(schema, shape);
  return schema;
}

export function editorShapeOf(schema: z.core.$ZodType): EditorShape | undefined {
  return shapes.get(schema);
}

/** The same spelling as duration.ts: whole seconds, or d/h/m/s units in descending order. */
const DURATION_TEXT = /^\s*(?=\S)(\d+|(\d+d)?(\d+h)?(\d+m)?(\d+s)?)\s*$/;
const TIME = '(([01]\\d|2[0-3]):[0-5]\\d|24:00)';
const INTERVAL_TEXT = new RegExp(`^\\s*${TIME}\\s*-\\s*${TIME}\\s*$`);
const DAY = '(mon|tue|wed|thu|fri|sat|sun)';
/** "mon", "mon-fri", "mon,wed,fri" (see @mctb/business-hours schedule.ts). */
const WEEKLY_KEY = new RegExp(`^${DAY}(-${DAY})?(,${DAY}(-${DAY})?)*$`);

export const DURATION_SHAPE: EditorShape = {
  name: 'duration',
  shape: () =>
    z
      .union([z.int().min(0), z.string().regex(DURATION_TEXT)])
      .meta({ title: 'Duration', description: 'Whole seconds (60) or units in descending order: "90s", "5m", "1h30m", "24h", "30d".' }),
};

export const DAILY_WINDOW_SHAPE: EditorShape = {
  name: 'dailyWindow',
  shape: () =>
    z
      .string()
      .regex(INTERVAL_TEXT)
      .meta({ title: 'Daily window', description: 'Local time "HH:MM-HH:MM"; it may run past midnight, e.g. "21:00-08:00".' }),
};

export const BUSINESS_HOURS_SHAPE: EditorShape = {
  name: 'businessHours',
  shape: () =>
    z
      .strictObject({
        timeZone: z
          .string()
          .optional()
          .meta({ description: 'IANA time zone such as "America/Chicago"; the sub-account\'s own zone when omitted.' }),
        weekly: z
          .record(
            z.string().regex(WEEKLY_KEY),
            z.array(z.string().regex(INTERVAL_TEXT)).meta({ description: 'Intervals "HH:MM-HH:MM" in local time, e.g. ["08:00-12:00", "13:00-18:00"]; "24:00" may end one.' }),
          )
          .meta({ description: 'Days ("mon"), ranges in week order ("mon-fri") or lists ("mon,wed,fri") to their opening intervals; days not listed are closed.' }),
        closed: z
          .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
          .optional()
          .meta({ description: 'Local dates (YYYY-MM-DD) closed all day, whatever the weekly schedule says.' }),
      })
      .meta({ title: 'Business hours', description: 'Weekly opening hours with an IANA zone and closed dates.' }),
};
