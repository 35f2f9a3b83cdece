import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { schemaSdl } from './graphql/schema.js';

// Run from dist/ by `pnpm --filter @mctb/control-plane schema:print`; writes the committed schema.graphql.
const file = fileURLToPath(new URL('../schema.graphql', import.meta.url));
await writeFile(file, schemaSdl());
console.log(`wrote ${file}`);
