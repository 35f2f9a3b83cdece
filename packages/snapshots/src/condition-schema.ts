/**
 * Conditions of an `if` step: a mapping with exactly one of these keys.
 *
 *   business_hours: open | closed          the business is open (or closed) now
 *   call_outcome: [no_answer, voicemail]    the missed call ended so (call.missed workflows only)
 *   has_tag: vip                            the contact has the tag
 *   lacks_tag: team                         the contact does not have the tag
 *   new_contact: true | false               the contact was created by this trigger
 *   conversation_active_within: 24h         the contact texted or was texted within this long
 *   custom_value: { key: tier, equals: gold }          a declared custom value equals the text
 *   contact_field: { field: first_name, equals: "" }   first_name, last_name or phone equals the text
 *   day_of_week: [sat, sun]                 today is one of these days (mon … sun)
 *   time_of_day: "12:00-13:00"              now is inside the window (it may run past midnight)
 *   all: [conditions]                       every one holds
 *   any: [conditions]                       at least one holds
 *   not: condition                          it does not hold
 *
 * Days and times are the business's local ones. `lacks_tag` and `new_contact: false` are read as
 * `not`, so the interpreter has fewer cases.
 */
import { WEEKDAYS } from '@mctb/business-hours';
import * as z from 'zod';
import { withEditorShape } from './editor-shapes.js';
import { dailyWindowSchema, isRecord, parseInto, tagSchema } from './field-schemas.js';
import { durationSchema, keySchema } from './schema.js';
import { MAX_CONDITION_DEPTH, THIRTY_DAYS_SECONDS } from './workflow-syntax.js';
import { CONTACT_FIELDS, MISSED_CALL_OUTCOMES, type Condition } from './workflow-types.js';

/** A non-empty list of distinct choices, e.g. call outcomes or days. */
export function choiceListSchema<const T extends readonly [string, ...string[]]>(choices: T) {
  const message = `expected one of ${choices.join(', ')}`;
  return z
    .array(z.enum(choices, { error: message }), { error: `must be a list, e.g. [${choices[0]}]` })
    .min(1, 'must list at least one')
    .superRefine((list, ctx) => {
      list.forEach((item, index) => {
        if (list.indexOf(item) !== index) ctx.addIssue({ code: 'custom', message: `${item} is listed twice`, path: [index] });
      });
    });
}

const conditionKeySchemas: Record<string, (depth: number) => z.ZodType<Condition>> = {
  business_hours: () =>
    z.enum(['open', 'closed'], { error: 'must be open or closed' }).transform((state): Condition => ({ type: 'business_hours', open: state === 'open' })),
  call_outcome: () => choiceListSchema(MISSED_CALL_OUTCOMES).transform((outcomes): Condition => ({ type: 'call_outcome', in: outcomes })),
  has_tag: () => tagSchema.transform((tag): Condition => ({ type: 'has_tag', tag })),
  lacks_tag: () => tagSchema.transform((tag): Condition => ({ type: 'not', condition: { type: 'has_tag', tag } })),
  new_contact: () =>
    z
      .boolean({ error: 'must be true or false' })
      .transform((isNew): Condition => (isNew ? { type: 'new_contact' } : { type: 'not', condition: { type: 'new_contact' } })),
  conversation_active_within: () =>
    durationSchema(THIRTY_DAYS_SECONDS).transform((seconds): Condition => ({ type: 'conversation_active_within', seconds })),
  custom_value: () =>
    z
      .strictObject({ key: keySchema, equals: z.string({ error: 'must be text (quote numbers: "3")' }) })
      .transform(({ key, equals }): Condition => ({ type: 'custom_value_equals', key, value: equals })),
  contact_field: () =>
    z
      .strictObject({
        field: z.enum(CONTACT_FIELDS, { error: `expected one of ${CONTACT_FIELDS.join(', ')}` }),
        equals: z.string({ error: 'must be text (quote numbers: "3")' }),
      })
      .transform(({ field, equals }): Condition => ({ type: 'contact_field_equals', field, value: equals })),
  day_of_week: () => choiceListSchema(WEEKDAYS).transform((days): Condition => ({ type: 'day_of_week', days })),
  time_of_day: () => dailyWindowSchema.transform((window): Condition => ({ type: 'time_of_day', window })),
  all: (depth) => conditionListSchema(depth + 1).transform((conditions): Condition => ({ type: 'all', conditions })),
  any: (depth) => conditionListSchema(depth + 1).transform((conditions): Condition => ({ type: 'any', conditions })),
  not: (depth) => conditionSchema(depth + 1).transform((condition): Condition => ({ type: 'not', condition })),
};

export const CONDITION_KEYS = Object.keys(conditionKeySchemas);

function conditionListSchema(depth: number) {
  return z.array(conditionSchema(depth), { error: 'must be a list of conditions' }).min(1, 'must list at least one condition');
}

const byDepth = new Map<number, z.ZodType<Condition>>();
const byKeyAndDepth = new Map<string, z.ZodType<Condition>>();

function keySchemaAt(key: string, depth: number): z.ZodType<Condition> {
  const cacheKey = `${key}/${depth}`;
  let schema = byKeyAndDepth.get(cacheKey);
  if (!schema) {
    schema = conditionKeySchemas[key]!(depth);
    byKeyAndDepth.set(cacheKey, schema);
  }
  return schema;
}

/** A condition at a nesting depth (1 for the `if` itself); deeper than allowed is an issue, not a recursion. */
export function conditionSchema(depth = 1): z.ZodType<Condition> {
  let schema = byDepth.get(depth);
  if (!schema) {
    schema = withEditorShape(
      z.unknown().transform((raw, ctx) => readCondition(raw, depth, ctx)),
      { name: 'condition', shape: () => z.union(CONDITION_KEYS.map((key) => z.strictObject({ [key]: keySchemaAt(key, 1) }).meta({ title: key }))) },
    );
    byDepth.set(depth, schema);
  }
  return schema;
}

function readCondition(raw: unknown, depth: number, ctx: z.core.$RefinementCtx): Condition | typeof z.NEVER {
  if (depth > MAX_CONDITION_DEPTH) {
    ctx.addIssue({ code: 'custom', message: `conditions nest at most ${MAX_CONDITION_DEPTH} deep (all, any, not)` });
    return z.NEVER;
  }
  const keys = isRecord(raw) ? Object.keys(raw) : [];
  if (!isRecord(raw) || keys.length === 0) {
    ctx.addIssue({ code: 'custom', message: 'a condition is a mapping with one key, e.g. { business_hours: open }' });
    return z.NEVER;
  }
  if (keys.length > 1) {
    ctx.addIssue({ code: 'custom', message: `a condition has exactly one key, not ${keys.join(' and ')}: combine them with all: [...] or any: [...]` });
    return z.NEVER;
  }
  const key = keys[0]!;
  if (!Object.hasOwn(conditionKeySchemas, key)) {
    ctx.addIssue({ code: 'custom', path: [key], message: `unknown condition "${key}": expected one of ${CONDITION_KEYS.join(', ')}` });
    return z.NEVER;
  }
  return parseInto(keySchemaAt(key, depth), raw[key], ctx, [key]);
}
