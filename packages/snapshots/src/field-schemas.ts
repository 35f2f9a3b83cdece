import { parseDailyWindow, type ScheduleParse } from '@mctb/business-hours';
import { singleLineTextProblem } from '@mctb/domain';
import * as z from 'zod';
import { DAILY_WINDOW_SHAPE, withEditorShape } from './editor-shapes.js';
import type { Recipient } from './workflow-types.js';

/** Small value schemas the workflow DSL uses in several places. */

/** A contact tag as people write it ("VIP", "team"): one line, 1..64 characters. */
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'a tag cannot be empty')
  .max(64)
  .superRefine((tag, ctx) => {
    const problem = singleLineTextProblem(tag, 64);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Runs a schema on a value inside another schema's transform, passing its issues on; `at` is where
 * the value sits under the transformed one (e.g. the key it was read from).
 */
export function parseInto<T>(schema: z.ZodType<T>, value: unknown, ctx: z.core.$RefinementCtx, at: PropertyKey[] = []): T | typeof z.NEVER {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: [...at, ...issue.path] });
  return z.NEVER;
}

/** Wraps a @mctb/business-hours parser, keeping the paths of its issues. */
export function scheduleSchema<T>(parse: (raw: unknown) => ScheduleParse<T>) {
  return z.unknown().transform((raw, ctx) => {
    const parsed = parse(raw);
    if (parsed.ok) return parsed.value;
    for (const issue of parsed.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

/** A daily window such as "21:00-08:00" (it may run past midnight). */
export const dailyWindowSchema = withEditorShape(scheduleSchema(parseDailyWindow), DAILY_WINDOW_SHAPE);

const CUSTOM_VALUE_REFERENCE = /^custom_values\.([a-z][a-z0-9_]*)$/;

/** The key of a `custom_values.<key>` recipient, or undefined for any other text. */
export function customValueReference(text: string): string | undefined {
  return CUSTOM_VALUE_REFERENCE.exec(text.trim())?.[1];
}
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a literal recipient must look like, by where it is used. */
export type RecipientUse = 'sms' | 'email' | 'webhook' | 'assignee';

/**
 * `owner`, `custom_values.<key>` (a per-client value) or a literal: an E.164 phone for SMS, an
 * e-mail address, an http(s) URL for webhooks, any single line for a task's assignee.
 */
export function recipientSchema(use: RecipientUse) {
  return z
    .string()
    .trim()
    .min(1)
    .max(320)
    .transform((text, ctx): Recipient => {
      if (text === 'owner') {
        if (use === 'webhook') ctx.addIssue({ code: 'custom', message: 'a webhook needs a URL or custom_values.<key>, not owner' });
        return { type: 'owner' };
      }
      const key = customValueReference(text);
      if (key !== undefined) return { type: 'custom_value', key };
      const problem = literalProblem(text, use);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      return { type: 'literal', value: text };
    });
}

function literalProblem(text: string, use: RecipientUse): string | null {
  const alternatives = 'owner, custom_values.<key>';
  switch (use) {
    case 'sms':
      return /^\+[1-9]\d{6,14}$/.test(text) ? null : `"${text}" is not a phone number in E.164 form (+15551234567); use ${alternatives} or one`;
    case 'email':
      return EMAIL.test(text) ? null : `"${text}" is not an e-mail address; use ${alternatives} or one`;
    case 'webhook':
      return isHttpUrl(text) ? null : `"${text}" is not an http(s) URL; use custom_values.<key> or one`;
    case 'assignee':
      return singleLineTextProblem(text, 320);
  }
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'https:' || protocol === 'http:';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
