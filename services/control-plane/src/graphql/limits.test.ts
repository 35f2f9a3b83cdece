import type { AccountSetup } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlaneHarness } from '../testing/harness.js';
import { getIntrospectionQuery } from 'graphql';

let cp: ControlPlaneHarness;
let agency: AccountSetup;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_limits');
  agency = await cp.seedAgency('Acme Agency', '+15125550180');
});
afterAll(() => cp?.close());

/** subAccounts → calls → messages → call → messages → … → id, `depth` fields deep (a real cycle in the schema). */
function nestedQuery(depth: number): string {
  const path = ['subAccounts', 'calls(first: 1)'];
  while (path.length < depth - 1) path.push(path.length % 2 === 0 ? 'messages' : 'call');
  return `{ ${path.join(' { ')} { id }${' }'.repeat(path.length - 1)} }`;
}

describe('query limits', () => {
  it('refuses a query deeper than 10 fields, naming the limit, before running it', async () => {
    const response = await cp.graphql(agency.apiKey, nestedQuery(11));
    expect(response.data).toBeUndefined();
    expect(response.errors).toContainEqual(expect.objectContaining({ message: 'query depth 11 exceeds the limit of 10 nested fields' }));
  });

  it('does not count a query 10 fields deep as too deep', async () => {
    const response = await cp.graphql(agency.apiKey, nestedQuery(10));
    // Such a query is refused anyway: each call's messages multiply its cost.
    expect(response.errors?.map((error) => error.message)).toEqual([expect.stringMatching(/^query cost/)]);
  });

  it('refuses a query whose lists multiply past the cost budget', async () => {
    const response = await cp.graphql(agency.apiKey, '{ subAccounts { calls(first: 200) { messages { body } } } }');
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/^query cost \d+ exceeds the budget of 20000/);
  });

  it('counts fragments, and a variable `first` by the value it is given', async () => {
    const query = `query ($n: Int) { subAccounts { ...Activity } }
      fragment Activity on SubAccount { calls(first: $n) { messages(first: $n) { id body status } } }`;
    expect((await cp.graphql(agency.apiKey, query, { n: 200 })).errors?.[0]?.message).toMatch(/^query cost \d+ exceeds the budget of 20000/);
    expect((await cp.graphql(agency.apiKey, query, { n: 2 })).errors?.map((e) => e.message)).toBeUndefined();
  });

  it('prices a document of nested fragments in time linear in its size (refused, not hanging)', async () => {
    // Each fragment spreads the next one twice: 40 levels expand to 2^40 selections if walked naively.
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on SubAccount { id name }` : `fragment F${i} on SubAccount { a${i}: id ...F${i + 1} b${i}: name ...F${i + 1} }`,
    );
    const response = await cp.graphql(agency.apiKey, `{ subAccounts(first: 1) { ...F0 } } ${fragments.join(' ')}`);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/^query cost \d+ exceeds the budget/);
  });

  it('refuses a document too long to parse, before parsing it all', async () => {
    const fields = Array.from({ length: 3000 }, (_, i) => `f${i}: id`).join(' ');
    const response = await cp.graphql(agency.apiKey, `{ subAccounts(first: 1) { ${fields} } }`);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/token limit/i);
  });

  it('lets the same lists through with small pages', async () => {
    const response = await cp.graphql(agency.apiKey, '{ subAccounts(first: 20) { calls(first: 10) { messages(first: 5) { body } } messages(first: 10) { body } } }');
    expect(response.errors).toBeUndefined();
  });

  it('does not count introspection, so GraphiQL can load the schema', async () => {
    const response = await cp.graphql<{ __schema: { queryType: { name: string } } }>(agency.apiKey, getIntrospectionQuery());
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.queryType.name).toBe('Query');
  });
});
