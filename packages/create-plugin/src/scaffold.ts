import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { publishedManifestSchema } from '@mctb/plugin-sdk';
import { pluginFiles, secretVariableOf } from './templates.js';

/** Exit codes: 0 written, 1 refused (the directory isn't empty), 2 a wrong command line (a bad id). */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

/** A problem the user can act on: its message is printed as is. */
export class ScaffoldError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

export interface ScaffoldOptions {
  id: string;
  /** Where to write; `plugins/<id>` under `cwd` unless set. */
  dir?: string;
  cwd?: string;
  name?: string;
  author?: string;
  description?: string;
  /** The package's npm name; `mctb-plugin-<id>` unless set. */
  packageName?: string;
  /** How the package depends on @mctb/plugin-sdk and @mctb/plugin-testkit; "workspace:*" unless set. */
  sdkVersion?: string;
}

export interface Scaffolded {
  dir: string;
  files: string[];
  secretVariable: string;
}

/** The id's problem, by the manifest's own rule, or null when it is a valid plugin id. */
export function pluginIdProblem(id: string): string | null {
  const result = publishedManifestSchema.shape.id.safeParse(id);
  return result.success ? null : `"${id}" is not a plugin id: it ${result.error.issues[0]?.message ?? 'is invalid'}`;
}

/** "spam-guard" → "Spam Guard". */
function titleOf(id: string): string {
  return id
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}

async function refuseNonEmpty(dir: string): Promise<void> {
  let entries: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new ScaffoldError(`${dir} exists and is not a directory`, EXIT_REFUSED);
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (entries.length > 0) {
    throw new ScaffoldError(`${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}): nothing was written; choose another --dir`, EXIT_REFUSED);
  }
}

/** Writes a new plugin package: package.json, tsconfig.json, vitest.config.ts, README.md and src/{plugin,main,plugin.test}.ts. */
export async function scaffoldPlugin(options: ScaffoldOptions): Promise<Scaffolded> {
  const problem = pluginIdProblem(options.id);
  if (problem) throw new ScaffoldError(problem, EXIT_USAGE);
  const { id } = options;
  const dir = resolve(options.cwd ?? process.cwd(), options.dir ?? join('plugins', id));
  await refuseNonEmpty(dir);
  const name = options.name?.trim() || titleOf(id);
  const files = pluginFiles({
    id,
    name,
    author: options.author?.trim() || 'Your name',
    description: options.description?.trim() || `${name}: a mctb plugin.`,
    packageName: options.packageName ?? `mctb-plugin-${id}`,
    sdkVersion: options.sdkVersion ?? 'workspace:*',
  });
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true });
    // "wx": never overwrite, even a file that appeared since the check.
    await writeFile(target, content, { flag: 'wx' });
  }
  return { dir, files: Object.keys(files), secretVariable: secretVariableOf(id) };
}
