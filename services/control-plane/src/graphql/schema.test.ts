import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { schemaSdl } from './schema.js';

describe('schema.graphql', () => {
  it('matches the schema the code builds', async () => {
    const committed = await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8').catch(() => '');
    expect(
      schemaSdl() === committed,
      'services/control-plane/schema.graphql is out of date: run `pnpm --filter @mctb/control-plane schema:print` and commit it',
    ).toBe(true);
  });
});
