import { singleLineTextProblem } from '@mctb/domain';
import { pageSize } from '@mctb/db';

/**
 * Why a short label (a name, a tag, a reason) is unusable, or null. singleLineTextProblem lets line
 * breaks through (it guards names that may be long text); labels are shown on one line everywhere.
 */
export function oneLineProblem(value: string, maxLength: number): string | null {
  if (/[\r\n\u2028\u2029]/.test(value)) return 'must be one line';
  return singleLineTextProblem(value, maxLength);
}

/**
 * A page of a list the store returns whole (tasks, runs), by id: the items after `after`, at most
 * `first`. An `after` that is not in the list ends it, like a cursor past the end.
 */
export function pageAfter<T extends { id: string }>(items: readonly T[], page: { first?: number | null; after?: string | null }): T[] {
  const start = page.after ? items.findIndex((item) => item.id === page.after) + 1 : 0;
  if (page.after && start === 0) return [];
  return items.slice(start, start + pageSize(page.first));
}
