/**
 * PostgreSQL stores no NUL character (U+0000) in text or jsonb, and a name with control characters
 * is unreadable wherever it is shown. Input is checked for both where it enters, so it is refused
 * with the field named instead of failing inside the database.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export type FieldPath = (string | number)[];

/** Where under `value` a string (or a key) holds a NUL character. */
export function nulPaths(value: unknown, path: FieldPath = []): FieldPath[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => nulPaths(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => (key.includes('\u0000') ? [path] : nulPaths(item, [...path, key])));
  }
  return [];
}

/** `['plugins', 0, 'config', 'url']` → `plugins[0].config.url`, as field paths are written everywhere. */
export function formatFieldPath(path: FieldPath): string {
  return path.reduce<string>((text, segment) => (typeof segment === 'number' ? `${text}[${segment}]` : text === '' ? segment : `${text}.${segment}`), '');
}

export const NUL_MESSAGE = 'contains a NUL character (U+0000), which cannot be stored';

/** Why a single-line name (a business, a key) is unusable, or null: control characters, or too long. */
export function singleLineTextProblem(value: string, maxLength: number): string | null {
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  return null;
}

// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const CONTROL_ALL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Text safe to echo back in a message or a path: control characters shown as U+FFFD, at most `max` long. */
export function printable(text: string, max = 64): string {
  return text.replace(CONTROL_ALL, '\uFFFD').slice(0, max);
}
