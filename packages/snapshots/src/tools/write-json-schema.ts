/**
 * Writes snapshots/snapshot.schema.json from the zod schemas (`npm run snapshot-schema` at the
 * repository root, after a build). json-schema.test.ts fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SNAPSHOT_JSON_SCHEMA_PATH, snapshotJsonSchemaText } from '../json-schema.js';

const repositoryRoot = new URL('../../../../', import.meta.url);
const target = fileURLToPath(new URL(SNAPSHOT_JSON_SCHEMA_PATH, repositoryRoot));
writeFileSync(target, snapshotJsonSchemaText());
console.log(`wrote ${target}`);
