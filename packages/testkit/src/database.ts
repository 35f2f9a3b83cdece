import { dropDatabase, ensureDatabase } from '@mctb/devstack';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A new, empty database on the test run's PostgreSQL; each test file gets its own. */
export async function createEmptyDatabase(label = 'test'): Promise<TestDatabase> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(adminUrl, name);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop: () => dropDatabase(adminUrl, name) };
}
