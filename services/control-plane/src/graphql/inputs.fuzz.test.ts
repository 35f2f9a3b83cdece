import type { AccountSetup } from '@mctb/control';
import { Provisioning, SnapshotVersion, SubAccount } from '@mctb/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { starterSnapshotYaml, startControlPlane, type ControlPlaneHarness } from '../testing/harness.js';

const runs = inject('fuzzRuns');

let cp: ControlPlaneHarness;
let agency: AccountSetup;
let starter: string;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_fuzz');
  agency = await cp.seedAgency('Fuzz Agency', '+15125550170');
  starter = await starterSnapshotYaml();
});
afterAll(() => cp?.close());

/** Strings users type and strings nobody should: control characters, lone surrogates, long ones. */
const text = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '+15125550199', '+1 (512) 555-0177', 'America/Chicago', 'Mars/Base', 'twilio', 'outbox', '\uD800', 'x'.repeat(300)),
);
const int = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 5, 18, 20, 21, 60, 61, 2_147_483_647, -2_147_483_648));

/** What the use cases answer for refused input: every issue names the input field it is about. */
function expectNamedIssues(result: { __typename: string; issues?: { path: string; message: string }[] }, fields: RegExp): void {
  expect(result.__typename).toBe('ValidationError');
  expect(result.issues?.length).toBeGreaterThan(0);
  for (const issue of result.issues ?? []) {
    expect(issue.path).toMatch(fields);
    expect(issue.message.length).toBeGreaterThan(0);
  }
}

describe('GraphQL inputs, fuzzed (fast-check)', () => {
  const count = async () => {
    const em = cp.orm.em.fork();
    return { subAccounts: await em.count(SubAccount, {}), versions: await em.count(SnapshotVersion, {}), provisionings: await em.count(Provisioning, {}) };
  };

  it('createSubAccount answers a payload or a ValidationError naming the field, never an internal error; refused input writes nothing', async () => {
    const CREATE = `mutation ($input: CreateSubAccountInput!) { createSubAccount(input: $input) {
      __typename ... on ValidationError { issues { path message } } } }`;
    await fc.assert(
      fc.asyncProperty(
        // A valid input with some fields replaced, so every field is reached by the use case.
        fc.record({
          name: fc.oneof(fc.constant('Greenfield Plumbing'), text),
          timeZone: fc.oneof(fc.constant('America/Chicago'), text),
          twilioNumber: fc.oneof(fc.integer({ min: 1000, max: 9999 }).map((n) => `+1737555${n}`), text),
          forwardingNumber: fc.oneof(fc.constant('+15125550199'), text),
          incomingCallTimeout: fc.option(int, { nil: undefined }),
          smsProvider: fc.option(fc.oneof(fc.constant('outbox'), text), { nil: undefined }),
          screening: fc.option(fc.record({ pressOneToAccept: fc.option(fc.boolean()), machineDetection: fc.option(fc.boolean()), minAnsweredSeconds: fc.option(int) }), { nil: undefined }),
        }),
        async (input) => {
          const before = await count();
          const response = await cp.graphql<{ createSubAccount: { __typename: string; issues?: { path: string; message: string }[] } }>(agency.apiKey, CREATE, { input });
          expect(response.status).toBe(200);
          expect(response.errors).toBeUndefined();
          const result = response.data!.createSubAccount;
          if (result.__typename === 'ValidationError') {
            expectNamedIssues(result, /^(name|timeZone|twilioNumber|forwardingNumber|incomingCallTimeout|smsProvider|screening\.minAnsweredSeconds)$/);
            expect(await count()).toEqual(before);
          } else {
            expect(result.__typename).toBe('CreateSubAccountPayload');
          }
        },
      ),
      {
        numRuns: runs,
        // Always tried: a name PostgreSQL can't store, a name with control characters, an overlong one.
        examples: [
          [{ name: 'a\u0000b', timeZone: 'America/Chicago', twilioNumber: '+17375550001', forwardingNumber: '+15125550199', incomingCallTimeout: undefined, smsProvider: undefined, screening: undefined }],
          [{ name: 'tab\u0007bell', timeZone: 'America/Chicago', twilioNumber: '+17375550002', forwardingNumber: '+15125550199', incomingCallTimeout: undefined, smsProvider: undefined, screening: undefined }],
          [{ name: 'x'.repeat(300), timeZone: 'America/Chicago', twilioNumber: '+17375550003', forwardingNumber: '+15125550199', incomingCallTimeout: undefined, smsProvider: undefined, screening: undefined }],
        ],
      },
    );
  }, 600_000);

  it('importSnapshot answers a payload or a ValidationError with paths, never an internal error; refused YAML stores nothing', async () => {
    const IMPORT = `mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { __typename ... on ValidationError { issues { path message } } } }`;
    // The starter with one value replaced: by a number, by any text as a double-quoted YAML string
    // (where "\0" and "\uD800" are escapes YAML accepts), or by raw text.
    const replacement = fc.oneof(int.map(String), text.map((value) => JSON.stringify(value)), fc.constantFrom('"\\0"', '"a\\u0000b"', '"\\uD800"', '3000000000', '-5', '1e400'), text);
    const yaml = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc
        .tuple(fc.constantFrom('version: 1', 'slug: missed-call-text-back', 'delay: 60s', 'required: true', 'template: missed_call', 'name: Online booking link', 'default: "The team"'), replacement)
        .map(([line, value]) => starter.replace(line, `${line.split(':')[0]}: ${value}`)),
    );
    await fc.assert(
      fc.asyncProperty(yaml, async (source) => {
        const before = await count();
        const response = await cp.graphql<{ importSnapshot: { __typename: string; issues?: { path: string; message: string }[] } }>(agency.apiKey, IMPORT, { yaml: source });
        expect(response.errors).toBeUndefined();
        const result = response.data!.importSnapshot;
        if (result.__typename === 'ValidationError') {
          expectNamedIssues(result, /^$|^[a-zA-Z]/);
          expect((await count()).versions).toBe(before.versions);
        } else {
          expect(result.__typename).toBe('ImportSnapshotPayload');
        }
      }),
      {
        numRuns: runs,
        // Always tried: YAML's NUL escape in a name and a template, a version PostgreSQL can't hold.
        examples: [
          [starter.replace('name: Online booking link', 'name: "a\\0b"')],
          [starter.replace('default: "The team"', 'default: "x\\u0000y"')],
          [starter.replace('version: 1', 'version: 3000000000')],
        ],
      },
    );
  }, 600_000);

  it('provisionSnapshot with any custom values answers typed results and leaves a refused provisioning untouched', async () => {
    const PROVISION = `mutation ($input: ProvisionSnapshotInput!) { provisionSnapshot(input: $input) {
      __typename ... on ValidationError { issues { path message } } } }`;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ key: text, value: text }), { maxLength: 4 }), fc.oneof(fc.constant(agency.subAccountId), text), async (customValues, subAccountId) => {
        const before = await cp.orm.em.fork().findOne(Provisioning, { subAccount: agency.subAccountId });
        const response = await cp.graphql<{ provisionSnapshot: { __typename: string; issues?: { path: string; message: string }[] } }>(agency.apiKey, PROVISION, {
          input: { subAccountId, snapshotVersionId: agency.snapshotVersionId, customValues },
        });
        expect(response.errors).toBeUndefined();
        const result = response.data!.provisionSnapshot;
        expect(['ProvisionSnapshotPayload', 'ValidationError', 'NotFoundError']).toContain(result.__typename);
        if (result.__typename === 'ValidationError') {
          expectNamedIssues(result, /^customValues\./);
          const after = await cp.orm.em.fork().findOne(Provisioning, { subAccount: agency.subAccountId });
          expect(after?.customValues).toEqual(before?.customValues);
        }
      }),
      { numRuns: runs, examples: [[[{ key: 'booking_link', value: 'https://x\u0000.example' }], agency.subAccountId]] },
    );
  }, 600_000);
});
