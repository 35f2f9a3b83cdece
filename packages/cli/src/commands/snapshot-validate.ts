import { parseSnapshot } from '@mctb/snapshots';
import { EXIT_FAILED, EXIT_OK } from '../exit-codes.js';
import { formatIssue, plural } from '../format/issues.js';
import type { Io } from '../io.js';
import { firstPartyPluginLookup } from '../plugin-lookup.js';
import { readInputFile } from '../read-input-file.js';

/**
 * `mctb snapshot validate FILE...`: the checks an import does, offline (schema, templates and their
 * merge fields, references, workflows, first-party plugin configs), every problem with its line.
 */
export async function validateSnapshots(files: string[], io: Io): Promise<number> {
  const plugins = firstPartyPluginLookup();
  let failed = 0;
  for (const file of files) {
    const result = parseSnapshot(await readInputFile(file), { plugins });
    if (result.ok) {
      const { slug, version } = result.snapshot.metadata;
      io.out(`${file}: ok (${slug}${version > 0 ? ` version ${version}` : ', next version on push'})`);
      // Offline only first-party plugins are known; the agency's own are checked when pushed.
      for (const warning of result.warnings) io.err(`note: ${formatIssue(file, { ...warning, message: `${warning.message.split(' is available')[0]} is known offline; the server checks it on push` })}`);
      continue;
    }
    failed += 1;
    for (const issue of result.issues) io.err(formatIssue(file, issue));
    io.err(`${file}: ${plural(result.issues.length, 'problem')}`);
  }
  return failed > 0 ? EXIT_FAILED : EXIT_OK;
}
