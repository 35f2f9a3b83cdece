import { IMPORT_SNAPSHOT } from '../documents.js';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { formatIssue, plural } from '../format/issues.js';
import type { GraphQLRequest } from '../graphql-client.js';
import type { Io } from '../io.js';
import { readInputFile } from '../read-input-file.js';
import { payloadOf, ValidationFailure, type FieldIssue } from '../results.js';

interface ImportResult {
  importSnapshot: { __typename: string };
}

interface ImportPayload {
  created: boolean;
  /** What provisioning will refuse until it changes (a required plugin not published yet). */
  warnings: FieldIssue[];
  snapshotVersion: { slug: string; version: number; name: string };
}

/** `mctb snapshot push FILE`: imports the file as a new version, or finds it unchanged. */
export async function pushSnapshot(file: string, request: GraphQLRequest, io: Io): Promise<number> {
  const yaml = await readInputFile(file);
  try {
    const data = await request<ImportResult>(IMPORT_SNAPSHOT, { yaml });
    const { created, snapshotVersion, warnings } = payloadOf<ImportPayload>(data.importSnapshot, 'ImportSnapshotPayload');
    const ref = `${snapshotVersion.slug}@${snapshotVersion.version}`;
    io.out(created ? `created ${ref} (${snapshotVersion.name})` : `unchanged (${ref} is already this file)`);
    for (const warning of warnings) io.err(`warning: ${formatIssue(file, warning)}`);
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof ValidationFailure)) throw error;
    printIssues(file, error.issues, io);
    return EXIT_FAILED;
  }
}

function printIssues(file: string, issues: FieldIssue[], io: Io): void {
  for (const issue of issues) io.err(formatIssue(file, issue));
  io.err(`${file}: refused, ${plural(issues.length, 'problem')}`);
}
