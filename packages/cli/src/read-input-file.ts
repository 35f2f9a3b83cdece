import { readFile } from 'node:fs/promises';
import { CliError, EXIT_USAGE } from './exit-codes.js';

/** A file named on the command line; a missing or unreadable one is a usage error that names it. */
export async function readInputFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new CliError(`cannot read ${file}: ${why}`, EXIT_USAGE);
  }
}
