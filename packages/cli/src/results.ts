import { CliError, EXIT_FAILED } from './exit-codes.js';

/** One problem the server found, at a path of the input (and a YAML position for snapshots). */
export interface FieldIssue {
  path: string;
  message: string;
  line?: number | null;
  column?: number | null;
}

/** The input was refused: the command prints each issue where the user can find it. */
export class ValidationFailure extends CliError {
  constructor(
    message: string,
    readonly issues: FieldIssue[],
  ) {
    super(message, EXIT_FAILED);
    this.name = 'ValidationFailure';
  }
}

interface TypedResult {
  __typename: string;
  message?: string;
  issues?: FieldIssue[];
}

/**
 * The payload of a union result (`ImportSnapshotPayload | ValidationError | ForbiddenError | …`), or
 * the typed error as a CliError: a ValidationError keeps its issues, the others their message.
 */
export function payloadOf<Payload>(result: TypedResult, payloadType: string): Payload {
  if (result.__typename === payloadType) return result as Payload;
  if (result.__typename === 'ValidationError') {
    throw new ValidationFailure(result.message ?? 'invalid input', result.issues ?? []);
  }
  const kind = result.__typename.replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  throw new CliError(`${kind}: ${result.message ?? result.__typename}`, EXIT_FAILED);
}
