import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as documents from './documents.js';

/** The contract the control plane commits (services/control-plane/schema.graphql). */
const schema = buildSchema(readFileSync(new URL('../../../services/control-plane/schema.graphql', import.meta.url), 'utf8'));

describe('the operations mctb sends', () => {
  it.each(Object.entries(documents))('%s is valid against the committed schema', (_name, document) => {
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });
});
