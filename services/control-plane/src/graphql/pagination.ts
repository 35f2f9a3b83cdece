import { MAX_PAGE, pageSize } from '@mctb/db';

/** What every paged list says about its arguments. */
export const PAGE_DOC = `At most ${MAX_PAGE} per page (default 50); pass the last id you got as \`after\` for the next page.`;

/** A paged list costs its page size times what it selects (see limits.ts). */
export function pagedComplexity(args: { first?: number | null }): { field: number; multiplier: number } {
  return { field: 1, multiplier: pageSize(args.first) };
}

/** The same, for lists whose pages may be larger than MAX_PAGE. */
export function pagedComplexityUpTo(max: number) {
  return (args: { first?: number | null }) => ({ field: 1, multiplier: pageSize(args.first, max) });
}
