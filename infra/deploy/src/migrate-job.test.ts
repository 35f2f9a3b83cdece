import { repoRoot, run } from '@mctb/devstack';
import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The chart's migration Job runs this command with only DATABASE_URL and LOG_LEVEL from its Secret and values. */
const MIGRATE = join(repoRoot, 'services/control-plane/dist/migrate.js');

let database: TestDatabase;
beforeAll(async () => {
  database = await createEmptyDatabase('migrate_job');
});
afterAll(async () => {
  await database?.drop();
});

const migrate = () => run(process.execPath, [MIGRATE], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url, LOG_LEVEL: 'info' }, timeoutMs: 120_000 });
const lines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as { msg: string; applied?: string[] });

describe('the migration Job (node services/control-plane/dist/migrate.js)', () => {
  it('applies every migration to an empty database, then finds nothing to do, and exits 0 both times', async () => {
    const first = await migrate();
    expect(first.code, first.stderr).toBe(0);
    const applied = lines(first.stdout).find((line) => line.applied)?.applied ?? [];
    expect(applied.length).toBeGreaterThan(0);
    expect(lines(first.stdout).at(-1)?.msg).toBe(`applied ${applied.length} migration(s)`);

    const second = await migrate();
    expect(second.code, second.stderr).toBe(0);
    expect(lines(second.stdout).at(-1)).toMatchObject({ msg: 'the schema is up to date', applied: [] });
  });

  it('fails (so Helm fails the upgrade and nothing rolls) when the database cannot be reached', async () => {
    const url = new URL(database.url);
    url.port = '1';
    const failed = await run(process.execPath, [MIGRATE], { env: { PATH: process.env.PATH ?? '', DATABASE_URL: url.toString() }, timeoutMs: 120_000 });
    expect(failed.code).not.toBe(0);
  });
});
