import type { FieldIssue, Result } from '@mctb/control';

/**
 * Expected failures of a mutation. Resolvers throw these; the Pothos errors plugin turns them
 * into members of the field's result union, so clients get data instead of a GraphQL error.
 */
export class ValidationError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super(summarise(issues));
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export class ForbiddenError extends Error {
  override name = 'ForbiddenError';
}

/** The value of a use case's Result, or the typed error its failure stands for. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  switch (result.kind) {
    case 'invalid':
      throw new ValidationError(result.issues);
    case 'not_found':
      throw new NotFoundError(result.message);
    case 'forbidden':
      throw new ForbiddenError(result.message);
  }
}

function summarise(issues: FieldIssue[]): string {
  const first = issues[0];
  if (!first) return 'invalid input';
  const where = first.path === '' ? 'input' : first.path;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return `${where}: ${first.message}${more}`;
}
