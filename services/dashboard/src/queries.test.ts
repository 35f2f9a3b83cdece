import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as api from './api.js';

// The dashboard's documents are plain strings; check each against the control plane's committed schema,
// so a renamed field fails here rather than in the browser.
const schema = buildSchema(readFileSync(new URL('../../control-plane/schema.graphql', import.meta.url), 'utf8'));
const documents = Object.entries(api).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^(query|mutation) /.test(entry[1]));

describe('the dashboard’s GraphQL documents', () => {
  it('are all checked', () => expect(documents.length).toBeGreaterThanOrEqual(12));
  it.each(documents)('%s is valid against schema.graphql', (_name, source) => {
    expect(validate(schema, parse(source)).map((error) => error.message)).toEqual([]);
  });
});
