import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is infra/devstack/{src,dist}/paths.*). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Tools the project builds or downloads once (Temporal CLI, Java test server); never inside the repo. */
export function cacheDir(): string {
  return process.env.MCTB_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'mctb');
}

/** Local state of the platform started by `npm start` (database files, demo credentials); git-ignored. */
export function stateDir(): string {
  return process.env.MCTB_STATE_DIR ?? join(repoRoot, '.mctb');
}
