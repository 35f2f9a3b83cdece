import type { AccountSetup } from '@mctb/control';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { starterSnapshotYaml, startControlPlane, type ControlPlaneHarness } from '../../testing/harness.js';

let cp: ControlPlaneHarness;
let agency: AccountSetup;
let starter: string;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_snapshots');
  agency = await cp.seedAgency('Acme Agency', '+15125550160');
  starter = await starterSnapshotYaml();
});
afterAll(() => cp?.close());

const IMPORT = `mutation ($yaml: String!) {
  importSnapshot(yaml: $yaml) {
    __typename
    ... on ImportSnapshotPayload { created snapshotVersion { id slug name version customValues { key required default } textBack { delaySeconds template } } }
    ... on ValidationError { message issues { path message line column } }
  }
}`;

const PROVISION = `mutation ($input: ProvisionSnapshotInput!) {
  provisionSnapshot(input: $input) {
    __typename
    ... on ProvisionSnapshotPayload { changed provisioning { snapshotVersion { version } customValues { key value } } }
    ... on ValidationError { issues { path message } }
  }
}`;

type ImportResult = { importSnapshot: { __typename: string; created?: boolean; snapshotVersion?: { id: string }; issues?: unknown[] } };
type ProvisionResult = { provisionSnapshot: { __typename: string; changed?: boolean; issues?: unknown[] } };

describe('importSnapshot', () => {
  it('lists every problem of a broken YAML with its path and position', async () => {
    const broken = starter
      .replace('slug: missed-call-text-back', 'slug: Not A Slug')
      .replace('delay: 60s', 'delay: 3 weeks')
      .replace('{{ location.name }}', '{{ location.nmae }}');
    const { data } = await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml: broken });
    expect(data?.importSnapshot.__typename).toBe('ValidationError');
    expect(data?.importSnapshot.issues).toEqual([
      { path: 'metadata.slug', message: expect.stringContaining('lowercase'), line: 5, column: 3 },
      { path: 'textBack.delay', message: expect.any(String), line: 18, column: 3 },
      { path: 'templates.missed_call', message: expect.stringContaining('unknown merge field "location.nmae"'), line: 22, column: 3 },
    ]);
  });

  it('names a version too large to store (above 2147483647) instead of failing inside', async () => {
    const { data } = await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml: starter.replace(/version: 1\b/, 'version: 3000000000') });
    expect(data?.importSnapshot).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: 'metadata.version', message: 'must be at most 2147483647', line: 7 }],
    });
  });

  it('reports a YAML syntax error at its line', async () => {
    const { data } = await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml: 'metadata: [unclosed\n' });
    expect(data?.importSnapshot).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: '', message: expect.stringMatching(/^YAML syntax error/), line: expect.any(Number) }],
    });
  });

  it('stores a new version once; the same YAML again is not created twice', async () => {
    const v2 = starter.replace(/version: 1\b/, 'version: 2').replace('delay: 60s', 'delay: 2m');
    const first = await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml: v2 });
    expect(first.data?.importSnapshot).toMatchObject({
      __typename: 'ImportSnapshotPayload',
      created: true,
      snapshotVersion: {
        slug: 'missed-call-text-back',
        version: 2,
        customValues: [
          { key: 'booking_link', required: true, default: null },
          { key: 'sign_off', required: false, default: 'The team' },
        ],
        textBack: { delaySeconds: 120, template: 'missed_call' },
      },
    });
    const again = await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml: v2 });
    expect(again.data?.importSnapshot).toMatchObject({ created: false, snapshotVersion: { id: first.data?.importSnapshot.snapshotVersion?.id } });

    const { data } = await cp.graphql<{ snapshotVersions: { version: number }[] }>(agency.apiKey, '{ snapshotVersions { version } }');
    expect(data?.snapshotVersions).toEqual([{ version: 2 }, { version: 1 }]);
  });

  it('takes the same YAML again as the same version when an earlier release stored it in an older shape', async () => {
    const v3 = starter.replace(/version: 1\b/, 'version: 3');
    const first = await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml: v3 });
    expect(first.data?.importSnapshot).toMatchObject({ created: true });
    // What a release before the v2 format stored: the v1 parts only.
    await cp.orm.em.fork().execute(
      `update snapshot_versions set definition = definition - 'apiVersion' - 'businessHours' - 'quietHours' - 'exclusions' - 'workflows' where id = ?`,
      [first.data?.importSnapshot.snapshotVersion?.id],
    );
    const again = await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml: `# re-exported by a newer tool\n${v3}` });
    expect(again.data?.importSnapshot).toMatchObject({ created: false, snapshotVersion: { id: first.data?.importSnapshot.snapshotVersion?.id } });
  });

  it('refuses different content under a version that already exists', async () => {
    const changed = starter.replace('delay: 60s', 'delay: 5m');
    const { data } = await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml: changed });
    expect(data?.importSnapshot).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'metadata.version', message: expect.stringContaining('bump the version') }] });
  });
});

describe('snapshot versions', () => {
  const unversioned = (text: string) =>
    starter.replace('slug: missed-call-text-back', 'slug: versioned').replace(/\n\s*version: 1\b/, '').replace('sorry we missed your call', text);
  const push = async (yaml: string) => (await cp.graphql<ImportResult>(agency.apiKey, IMPORT, { yaml })).data?.importSnapshot;

  it('adds the next version when a slug is imported again with other content, and returns the existing one for the same content', async () => {
    expect(unversioned('x')).not.toContain('version:');
    const first = await push(unversioned('Sorry we missed your call'));
    expect(first).toMatchObject({ created: true, snapshotVersion: { slug: 'versioned', version: 1 } });
    const again = await push(unversioned('Sorry we missed your call'));
    expect(again).toMatchObject({ created: false, snapshotVersion: { id: first?.snapshotVersion?.id, version: 1 } });
    const edited = await push(unversioned('So sorry we missed your call'));
    expect(edited).toMatchObject({ created: true, snapshotVersion: { version: 2 } });
    // The same content as v2 again, and as v1 again (a revert is a new version: the latest is v2).
    expect(await push(unversioned('So sorry we missed your call'))).toMatchObject({ created: false, snapshotVersion: { version: 2 } });
    expect(await push(unversioned('Sorry we missed your call'))).toMatchObject({ created: true, snapshotVersion: { version: 3 } });
  });

  it('refuses a named version older than the latest, or a used one with other content', async () => {
    const named = (version: number, text: string) => unversioned(text).replace('name: ', `version: ${version}\n  name: `);
    expect(await push(named(2, 'Other words'))).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'metadata.version', message: expect.stringContaining('already exists with different content') }] });
    expect(await push(named(3, 'Sorry we missed your call'))).toMatchObject({ created: false, snapshotVersion: { version: 3 } });
    const gap = await push(named(10, 'Ten'));
    expect(gap).toMatchObject({ created: true, snapshotVersion: { version: 10 } });
    expect(await push(named(7, 'Seven'))).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'metadata.version', message: 'version 7 is older than the latest version 10 of "versioned"; leave it out to get the next one' }] });
  });

  it('diffs two versions by path, and knows where each runs', async () => {
    const { data } = await cp.graphql<{ snapshotDiff: { changes: { path: string; kind: string }[] } }>(
      agency.apiKey,
      `{ snapshotDiff(slug: "versioned", from: 1, to: 2) { ... on SnapshotDiff { changes { path kind } } } }`,
    );
    expect(data?.snapshotDiff.changes).toEqual([{ path: 'templates.missed_call', kind: 'CHANGED' }]);
    const missing = await cp.graphql<{ snapshotDiff: { __typename: string; message: string } }>(
      agency.apiKey,
      `{ snapshotDiff(slug: "versioned", from: 1, to: 99) { __typename ... on NotFoundError { message } } }`,
    );
    expect(missing.data?.snapshotDiff).toEqual({ __typename: 'NotFoundError', message: 'snapshot "versioned" has no version 99 (latest: 10)' });
  });
});

describe('provisionSnapshot', () => {
  it('names a missing required custom value', async () => {
    const created = await cp.graphql<{ createSubAccount: { subAccount: { id: string } } }>(
      agency.apiKey,
      `mutation { createSubAccount(input: { name: "Fresh", timeZone: "America/Chicago", twilioNumber: "+15125550168", forwardingNumber: "+15125550199" }) { ... on CreateSubAccountPayload { subAccount { id } } } }`,
    );
    const { data } = await cp.graphql<ProvisionResult>(agency.apiKey, PROVISION, {
      input: { subAccountId: created.data?.createSubAccount.subAccount.id, snapshotVersionId: agency.snapshotVersionId, customValues: [{ key: 'sign_off', value: 'Cheers' }] },
    });
    expect(data?.provisionSnapshot).toEqual({
      __typename: 'ValidationError',
      issues: [{ path: 'customValues.booking_link', message: expect.stringMatching(/^"Online booking link" is required by missed-call-text-back v1 and this sub-account has no value for "booking_link"/) }],
    });
  });

  it('keeps the values a provisioned sub-account has when a re-provisioning leaves them out', async () => {
    const { data } = await cp.graphql<ProvisionResult>(agency.apiKey, PROVISION, {
      input: { subAccountId: agency.subAccountId, snapshotVersionId: agency.snapshotVersionId, customValues: [{ key: 'sign_off', value: 'Cheers' }] },
    });
    expect(data?.provisionSnapshot).toMatchObject({
      __typename: 'ProvisionSnapshotPayload',
      changed: true,
      provisioning: { customValues: [{ key: 'booking_link', value: 'https://book.example/acme-agency' }, { key: 'sign_off', value: 'Cheers' }] },
    });
  });

  it('changes nothing when the same request runs twice', async () => {
    const input = {
      subAccountId: agency.subAccountId,
      snapshotVersionId: agency.snapshotVersionId,
      customValues: [
        { key: 'booking_link', value: 'https://book.example/new' },
        { key: 'sign_off', value: 'Cheers, Sam' },
      ],
    };
    const first = await cp.graphql<ProvisionResult>(agency.apiKey, PROVISION, { input });
    expect(first.data?.provisionSnapshot).toEqual({
      __typename: 'ProvisionSnapshotPayload',
      changed: true,
      provisioning: { snapshotVersion: { version: 1 }, customValues: input.customValues },
    });
    const second = await cp.graphql<ProvisionResult>(agency.apiKey, PROVISION, { input });
    expect(second.data?.provisionSnapshot).toMatchObject({ __typename: 'ProvisionSnapshotPayload', changed: false });
  });

  it('refuses a custom value given twice', async () => {
    const { data } = await cp.graphql<ProvisionResult>(agency.apiKey, PROVISION, {
      input: {
        subAccountId: agency.subAccountId,
        snapshotVersionId: agency.snapshotVersionId,
        customValues: [
          { key: 'booking_link', value: 'https://a.example' },
          { key: 'booking_link', value: 'https://b.example' },
        ],
      },
    });
    expect(data?.provisionSnapshot).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'customValues.booking_link' }] });
  });
});
