/** A problem with one input field; `path` names it the way the caller wrote it (e.g. "twilioNumber"). */
export interface FieldIssue {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type Failure =
  | { ok: false; kind: 'invalid'; issues: FieldIssue[] }
  | { ok: false; kind: 'not_found'; message: string }
  | { ok: false; kind: 'forbidden'; message: string };

export type Result<T> = { ok: true; value: T } | Failure;

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const invalid = (issues: FieldIssue[]): Failure => ({ ok: false, kind: 'invalid', issues });
export const notFound = (message: string): Failure => ({ ok: false, kind: 'not_found', message });
export const forbidden = (message: string): Failure => ({ ok: false, kind: 'forbidden', message });
