import { createOrm, type Orm } from '@mctb/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type Stack } from './stack.js';

const SLUG = 'e2e-push';
const snapshotYaml = (firstText: string, extraValues = '') => `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: ${SLUG}, name: Pushed to many }
# Texts go out whatever the hour the test runs at (the default quiet hours hold them for the morning).
quietHours: "off"
customValues:
  - { key: booking_link, name: Booking link, required: true }
${extraValues}
templates:
  first_text: "${firstText}"
workflows:
  - key: missed_call
    trigger: { type: call.missed }
    steps:
      - { id: first_text, send_sms: first_text }
`;
const V1 = snapshotYaml('Sorry we missed you at {{ location.name }}! Book: {{ custom_values.booking_link }}');
const V2 = snapshotYaml('{{ location.name }} in {{ custom_values.city }} here, sorry we missed you. Book: {{ custom_values.booking_link }}', '  - { key: city, name: City, required: true }');

const TARGETS = 200;
const BROKEN = 137;
const number = (i: number) => `+1737555${String(i).padStart(4, '0')}`;

interface Run {
  id: string;
  status: string;
  total: number;
  applied: number;
  unchanged: number;
  failed: number;
  pending: number;
}
const RUN_FIELDS = 'id status total applied unchanged failed pending';

describe('provisioning runs on the real stack (separate processes)', () => {
  let stack: Stack;
  let orm: Orm;
  let firstRun: Run;

  const targets = () =>
    Array.from({ length: TARGETS }, (_, i) => ({
      newSubAccount: {
        name: `Client ${i}`,
        timeZone: 'America/Chicago',
        twilioNumber: number(i),
        // One broken row: the rest must not care.
        forwardingNumber: i === BROKEN ? 'call me maybe' : '+15125550199',
        smsProvider: 'twilio',
      },
      customValues: [{ key: 'booking_link', value: `https://book.example/client-${i}` }],
    }));

  async function start(input: Record<string, unknown>): Promise<{ run: Run; created: boolean }> {
    const data = await stack.graphql<{ startProvisioning: { __typename: string; run?: Run; created?: boolean; issues?: unknown[] } }>(
      `mutation ($input: StartProvisioningInput!) { startProvisioning(input: $input) {
        __typename ... on StartProvisioningPayload { created run { ${RUN_FIELDS} } } ... on ValidationError { issues { path message } } } }`,
      { input },
    );
    expect(data.startProvisioning.__typename, JSON.stringify(data.startProvisioning.issues)).toBe('StartProvisioningPayload');
    return { run: data.startProvisioning.run!, created: data.startProvisioning.created! };
  }

  async function completed(id: string): Promise<Run> {
    let run: Run | undefined;
    await eventually(
      async () => {
        run = (await stack.graphql<{ provisioningRun: Run }>(`query ($id: ID!) { provisioningRun(id: $id) { ${RUN_FIELDS} } }`, { id })).provisioningRun;
        expect(run.status).toBe('COMPLETED');
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    return run!;
  }

  const count = async (sql: string, params: unknown[] = []) => Number(((await orm.em.fork().execute(sql, params)) as { n: string }[])[0]?.n);

  beforeAll(async () => {
    stack = await startStack();
    orm = await createOrm(stack.platform.databaseUrl, { poolSize: 1 });
    // The agency bought its numbers at Twilio (the stand-in): all but one can be claimed.
    for (let i = 0; i < TARGETS; i++) stack.twilio.addIncomingNumber({ phoneNumber: number(i) });
    const imported = await stack.graphql<{ importSnapshot: { __typename: string } }>(`mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { __typename } }`, { yaml: V1 });
    expect(imported.importSnapshot.__typename).toBe('ImportSnapshotPayload');
  }, 120_000);
  afterAll(async () => {
    await orm?.close();
    await stack?.stop();
  });

  it('applies a snapshot to 200 new sub-accounts, reports the one broken target, and points every number at the gateway', async () => {
    const { run, created } = await start({ idempotencyKey: 'spring-push', snapshot: { slug: SLUG }, targets: targets(), concurrency: 8 });
    expect(created).toBe(true);
    firstRun = await completed(run.id);
    expect(firstRun).toMatchObject({ total: TARGETS, applied: TARGETS - 1, unchanged: 0, failed: 1, pending: 0 });

    const failed = await stack.graphql<{ provisioningRun: { targets: { index: number; status: string; reason: string; issues: { path: string }[] }[] } }>(
      `query ($id: ID!) { provisioningRun(id: $id) { targets(status: FAILED) { index status reason issues { path } } } }`,
      { id: run.id },
    );
    expect(failed.provisioningRun.targets).toEqual([
      { index: BROKEN, status: 'FAILED', reason: expect.stringContaining('newSubAccount.forwardingNumber'), issues: [{ path: 'newSubAccount.forwardingNumber' }] },
    ]);

    const gateway = stack.platform.gatewayPublicUrl;
    const numbers = stack.twilio.incomingNumbers();
    const configured = numbers.filter((n) => n.voiceUrl === `${gateway}/twilio/voice/incoming` && n.statusCallback === `${gateway}/twilio/voice/status` && n.smsUrl === `${gateway}/twilio/sms/incoming`);
    expect(configured.map((n) => n.phoneNumber).sort()).toEqual(
      Array.from({ length: TARGETS }, (_, i) => i)
        .filter((i) => i !== BROKEN)
        .map(number),
    );
    expect(await count(`select count(*) as n from sub_accounts`)).toBe(TARGETS - 1);
  }, 180_000);

  it('changes nothing when the same request comes again, or the same push runs again under a new key', async () => {
    const applied = await count(`select count(*) as n from applied_versions`);
    const again = await start({ idempotencyKey: 'spring-push', snapshot: { slug: SLUG }, targets: targets(), concurrency: 8 });
    expect(again).toMatchObject({ created: false, run: { id: firstRun.id, status: 'COMPLETED', applied: TARGETS - 1 } });

    const rerun = await start({ idempotencyKey: 'spring-push-again', snapshot: { slug: SLUG }, targets: targets() });
    expect(rerun.created).toBe(true);
    expect(await completed(rerun.run.id)).toMatchObject({ applied: 0, unchanged: TARGETS - 1, failed: 1 });
    expect(await count(`select count(*) as n from sub_accounts`)).toBe(TARGETS - 1);
    expect(await count(`select count(*) as n from applied_versions`)).toBe(applied);

    // The same key with other content is refused, naming the key.
    const clash = await stack.graphql<{ startProvisioning: { __typename: string; issues: { path: string; message: string }[] } }>(
      `mutation ($input: StartProvisioningInput!) { startProvisioning(input: $input) { __typename ... on ValidationError { issues { path message } } } }`,
      { input: { idempotencyKey: 'spring-push', snapshot: { slug: SLUG }, targets: targets().slice(0, 3) } },
    );
    expect(clash.startProvisioning).toMatchObject({ __typename: 'ValidationError', issues: [{ path: 'idempotencyKey', message: expect.stringContaining('already used for a different request') }] });
  }, 180_000);

  it('previews and applies an upgrade that keeps each client’s values and local edits, failing only the target missing a new required value', async () => {
    const ids = await stack.graphql<{ provisioningRun: { targets: { subAccount: { id: string } }[] } }>(
      `query ($id: ID!) { provisioningRun(id: $id) { targets(first: 3) { subAccount { id } } } }`,
      { id: firstRun.id },
    );
    const [edited, missing, plain] = ids.provisioningRun.targets.map((target) => target.subAccount.id) as [string, string, string];
    const localText = 'Our own words, {{ location.name }}: {{ custom_values.booking_link }}';
    const edit = await stack.graphql<{ editLocalTemplate: { __typename: string } }>(
      `mutation ($id: ID!, $body: String!) { editLocalTemplate(subAccountId: $id, key: "first_text", body: $body) { __typename } }`,
      { id: edited, body: localText },
    );
    expect(edit.editLocalTemplate.__typename).toBe('Provisioning');
    const v2 = await stack.graphql<{ importSnapshot: { snapshotVersion: { version: number } } }>(
      `mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { ... on ImportSnapshotPayload { snapshotVersion { version } } } }`,
      { yaml: V2 },
    );
    expect(v2.importSnapshot.snapshotVersion.version).toBe(2);

    const upgradeTargets = [
      { subAccountId: edited, customValues: [{ key: 'city', value: 'Austin' }] },
      { subAccountId: missing, customValues: [] },
      { subAccountId: plain, customValues: [{ key: 'city', value: 'Round Rock' }] },
    ];
    const preview = await stack.graphql<{ previewProvisioning: { targets: { action: string; fromVersion: number; changes: { path: string; kind: string }[]; conflicts: { path: string }[]; issues: { path: string; message: string }[] }[] } }>(
      `query ($input: PreviewProvisioningInput!) { previewProvisioning(input: $input) { ... on ProvisioningPreview {
        targets { action fromVersion changes { path kind } conflicts { path } issues { path message } } } } }`,
      { input: { snapshot: { slug: SLUG, version: 2 }, targets: upgradeTargets } },
    );
    const [editedPreview, missingPreview, plainPreview] = preview.previewProvisioning.targets;
    expect(editedPreview).toMatchObject({ action: 'UPGRADE', fromVersion: 1, conflicts: [{ path: 'templates.first_text' }] });
    expect(editedPreview?.changes).toEqual(
      expect.arrayContaining([
        { path: 'customValues.city', kind: 'NEWLY_REQUIRED' },
        { path: 'templates.first_text', kind: 'CHANGED' },
      ]),
    );
    expect(missingPreview).toMatchObject({ action: 'FAIL', issues: [{ path: 'customValues.city', message: expect.stringContaining('no value for "city"') }] });
    expect(plainPreview).toMatchObject({ action: 'UPGRADE', conflicts: [] });
    // A preview changes nothing.
    expect(await count(`select count(*) as n from provisionings p join snapshot_versions v on v.id = p.snapshot_version_id where v.version = 2`)).toBe(0);

    const { run } = await start({ idempotencyKey: 'v2-pilot', snapshot: { slug: SLUG, version: 2 }, targets: upgradeTargets });
    expect(await completed(run.id)).toMatchObject({ applied: 2, failed: 1 });
    const result = await stack.graphql<{ provisioningRun: { targets: { status: string; reason: string | null; conflicts: { path: string; message: string }[] }[] } }>(
      `query ($id: ID!) { provisioningRun(id: $id) { targets { status reason conflicts { path message } } } }`,
      { id: run.id },
    );
    expect(result.provisioningRun.targets).toEqual([
      { status: 'APPLIED', reason: null, conflicts: [{ path: 'templates.first_text', message: expect.stringContaining('the local edit is kept') }] },
      { status: 'FAILED', reason: expect.stringContaining('customValues.city'), conflicts: [] },
      { status: 'APPLIED', reason: null, conflicts: [] },
    ]);

    const after = await stack.graphql<{ subAccount: { provisioning: { snapshotVersion: { version: number }; customValues: { key: string; value: string }[]; localEdits: { path: string; value: string }[] }; appliedVersions: { snapshotVersion: { version: number }; provisioningRunId: string }[] } }>(
      `query ($id: ID!) { subAccount(id: $id) { provisioning { snapshotVersion { version } customValues { key value } localEdits { path value } }
        appliedVersions { snapshotVersion { version } provisioningRunId } } }`,
      { id: edited },
    );
    expect(after.subAccount.provisioning).toEqual({
      snapshotVersion: { version: 2 },
      customValues: [
        { key: 'booking_link', value: 'https://book.example/client-0' },
        { key: 'city', value: 'Austin' },
      ],
      localEdits: [{ path: 'templates.first_text', value: localText }],
    });
    expect(after.subAccount.appliedVersions).toEqual([
      { snapshotVersion: { version: 2 }, provisioningRunId: run.id },
      { snapshotVersion: { version: 1 }, provisioningRunId: firstRun.id },
    ]);

    // What the client runs now says it in its own words: a missed call is texted with the local template.
    const caller = '+15125550301';
    await stack.webhook('/twilio/voice/incoming', { CallSid: 'CA-e2e-prov', From: caller, To: number(0), CallStatus: 'ringing' });
    await stack.webhook('/twilio/voice/dial-result', { CallSid: 'CA-e2e-prov', From: caller, To: number(0), CallStatus: 'in-progress', DialCallStatus: 'no-answer' });
    await eventually(async () => expect(stack.twilio.messages().filter((m) => m.to === caller).map((m) => m.body)).toEqual(['Our own words, Client 0: https://book.example/client-0']), {
      timeoutMs: 30_000,
    });

    const deployed = await stack.graphql<{ deployments: { subAccount: { id: string } }[] }>(`{ deployments(slug: "${SLUG}", version: 2) { subAccount { id } } }`);
    expect(deployed.deployments.map((row) => row.subAccount.id).sort()).toEqual([edited, plain].sort());
  }, 180_000);

  it('streams a run’s progress over server-sent events until it completes', async () => {
    const { run } = await start({ idempotencyKey: 'streamed', snapshot: { slug: SLUG, version: 1 }, targets: targets().slice(150, 170) });
    const response = await fetch(`${stack.platform.controlPlaneUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${stack.apiKey}` },
      body: JSON.stringify({ query: `subscription ($id: ID!) { provisioningProgress(id: $id) { status pending } }`, variables: { id: run.id } }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text())
      .split('\n')
      .filter((line) => line.startsWith('data: ') && line.length > 'data: '.length)
      .map((line) => JSON.parse(line.slice('data: '.length)) as { data?: { provisioningProgress: { status: string; pending: number } } })
      .flatMap((event) => (event.data ? [event.data.provisioningProgress] : []));
    expect(events.length).toBeGreaterThan(0);
    expect(events.at(-1)).toEqual({ status: 'COMPLETED', pending: 0 });
  }, 120_000);
});
