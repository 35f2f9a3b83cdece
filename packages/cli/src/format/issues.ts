import type { FieldIssue } from '../results.js';

/**
 * `FILE:LINE:COL path: message`, the form editors and terminals turn into links; without a
 * position, `FILE: path: message`. The document as a whole has the path "".
 */
export function formatIssue(file: string, issue: FieldIssue): string {
  const where = issue.line ? `${file}:${issue.line}:${issue.column ?? 1}` : `${file}:`;
  const path = issue.path === '' ? '' : `${issue.path}: `;
  return `${where} ${path}${issue.message}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
