import {
  findProvisioningRun,
  listProvisioningRuns,
  MAX_PROVISIONING_CONCURRENCY,
  MAX_PROVISIONING_TARGETS,
  previewProvisioning,
  provisioningProgress,
  provisioningTargets,
  requestProvisioning,
  type ProvisioningProgress,
  type ProvisioningTargetRequest,
  type TargetPreview,
} from '@mctb/control';
import { MAX_PAGE, type ProvisioningRun, type ProvisioningTarget } from '@mctb/db';
import { setTimeout as sleep } from 'node:timers/promises';
import { builder } from '../builder.js';
import { unwrap, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { PAGE_DOC, pagedComplexity } from '../pagination.js';
import { ConflictRef, CustomValueInput, customValuesOf } from './provisioning.js';
import { SnapshotVersionRef } from './snapshot.js';
import { SnapshotChangeRef } from './snapshot-versions.js';
import { SubAccountRef } from './sub-account.js';

const RunStatus = builder.enumType('ProvisioningRunStatus', { values: { RUNNING: { value: 'running' }, COMPLETED: { value: 'completed' } } as const });
const TargetStatus = builder.enumType('ProvisioningTargetStatus', {
  values: {
    PENDING: { value: 'pending' },
    APPLIED: { value: 'applied', description: 'The version (or new values) was put in.' },
    UNCHANGED: { value: 'unchanged', description: 'It already ran this version with these values.' },
    FAILED: { value: 'failed', description: 'Nothing changed in it; reason and issues say why.' },
  } as const,
});

const IssueRef = builder.objectRef<{ path: string; message: string }>('ProvisioningIssue').implement({
  fields: (t) => ({ path: t.exposeString('path', { description: 'Inside the target, e.g. customValues.booking_link; empty for the target as a whole.' }), message: t.exposeString('message') }),
});

const TargetRef = builder.objectRef<ProvisioningTarget>('ProvisioningTarget').implement({
  description: 'One sub-account of a provisioning run and what happened to it.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Its position in the request, from 0.' }),
    label: t.exposeString('label', { description: "The sub-account id it named, or the new sub-account's name and number." }),
    subAccount: t.field({ type: SubAccountRef, nullable: true, description: 'Null until a new sub-account is created, or when the named one was not found.', resolve: (target) => target.subAccount }),
    status: t.field({ type: TargetStatus, resolve: (target) => target.status }),
    reason: t.exposeString('reason', { nullable: true }),
    issues: t.field({ type: [IssueRef], resolve: (target) => target.issues }),
    conflicts: t.field({ type: [ConflictRef], description: 'Local edits the version also changes: kept as the sub-account set them.', resolve: (target) => target.conflicts }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

const RunRef = builder.objectRef<ProvisioningRun>('ProvisioningRun').implement({
  description: 'One request applying a snapshot version to many sub-accounts, worked through by a Temporal workflow.',
  fields: (t) => {
    const counter = (key: Exclude<keyof ProvisioningProgress, 'total'>) => t.int({ resolve: async (run, _args, { em }) => (await progressOf(run, em))[key] });
    return {
      id: t.exposeID('id'),
      idempotencyKey: t.exposeString('idempotencyKey'),
      status: t.field({ type: RunStatus, resolve: (run) => run.status }),
      snapshotVersion: t.field({ type: SnapshotVersionRef, resolve: (run) => run.snapshotVersion }),
      concurrency: t.exposeInt('concurrency'),
      total: t.exposeInt('total'),
      pending: counter('pending'),
      applied: counter('applied'),
      unchanged: counter('unchanged'),
      failed: counter('failed'),
      createdAt: t.expose('createdAt', { type: 'DateTime' }),
      completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
      targets: t.field({
        type: [TargetRef],
        description: `In request order. At most ${MAX_PAGE} per page (default 50); pass the last index as \`after\` for the next page.`,
        args: { first: t.arg.int(), after: t.arg.int(), status: t.arg({ type: TargetStatus }) },
        complexity: pagedComplexity,
        resolve: (run, args, { em }) => provisioningTargets(em, run.id, args),
      }),
    };
  },
});

// Counted once per loaded run, whichever counters are selected (a subscription loads the run anew each time).
const counted = new WeakMap<ProvisioningRun, Promise<ProvisioningProgress>>();
function progressOf(run: ProvisioningRun, em: Parameters<typeof provisioningProgress>[0]): Promise<ProvisioningProgress> {
  let progress = counted.get(run);
  if (!progress) {
    progress = provisioningProgress(em, run.id);
    counted.set(run, progress);
  }
  return progress;
}

const NewSubAccountInput = builder.inputType('NewSubAccountInput', {
  description: 'A sub-account to create for this target (as createSubAccount). If this agency already holds the number, that sub-account is the target.',
  fields: (t) => ({
    name: t.string({ required: true }),
    timeZone: t.string({ required: true, description: 'IANA time zone, e.g. "America/New_York".' }),
    twilioNumber: t.string({ required: true, description: "The provider number callers dial; the agency's Twilio account must hold it." }),
    forwardingNumber: t.string({ required: true }),
    incomingCallTimeout: t.int(),
    smsProvider: t.string(),
  }),
});

const TargetInput = builder.inputType('ProvisioningTargetInput', {
  description: 'Either an existing sub-account (subAccountId) or one to create (newSubAccount), with its custom values.',
  fields: (t) => ({
    subAccountId: t.id(),
    newSubAccount: t.field({ type: NewSubAccountInput }),
    customValues: t.field({ type: [CustomValueInput], defaultValue: [], description: 'On an upgrade, the values it has fill the keys not given here.' }),
  }),
});

const SnapshotRefInput = builder.inputType('SnapshotRefInput', {
  fields: (t) => ({ slug: t.string({ required: true }), version: t.int({ description: 'Omitted: the latest version.' }) }),
});

const StartProvisioningInput = builder.inputType('StartProvisioningInput', {
  fields: (t) => ({
    idempotencyKey: t.string({ required: true, description: 'Yours to choose: the same key returns the same run, so a resubmitted request changes nothing.' }),
    snapshot: t.field({ type: SnapshotRefInput, required: true }),
    targets: t.field({ type: [TargetInput], required: true, description: `1 to ${MAX_PROVISIONING_TARGETS} targets.` }),
    concurrency: t.int({ description: `Targets applied at once (1-${MAX_PROVISIONING_CONCURRENCY}, default 8).` }),
  }),
});

const PreviewProvisioningInput = builder.inputType('PreviewProvisioningInput', {
  fields: (t) => ({
    snapshot: t.field({ type: SnapshotRefInput, required: true }),
    targets: t.field({ type: [TargetInput], required: true }),
  }),
});

type Nullable<T> = { [K in keyof T]: T[K] | null };
type TargetInputShape = {
  subAccountId?: string | null;
  newSubAccount?: Nullable<NonNullable<ProvisioningTargetRequest['newSubAccount']>> | null;
  customValues?: { key: string; value: string }[] | null;
};

function targetsOf(targets: readonly TargetInputShape[]): ProvisioningTargetRequest[] {
  return targets.map((target, index) => ({
    subAccountId: target.subAccountId ?? null,
    newSubAccount: target.newSubAccount ? definedOnly(target.newSubAccount) : null,
    customValues: customValuesOf(target.customValues ?? [], `targets[${index}].customValues`),
  }));
}

function definedOnly<T extends object>(value: Nullable<T>): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as T;
}

const StartProvisioningPayload = builder.objectRef<{ run: ProvisioningRun; created: boolean }>('StartProvisioningPayload').implement({
  fields: (t) => ({
    run: t.field({ type: RunRef, resolve: (payload) => payload.run }),
    created: t.exposeBoolean('created', { description: 'False when this idempotency key already started a run: that run is returned.' }),
  }),
});

const PreviewActionEnum = builder.enumType('ProvisioningAction', {
  values: {
    CREATE: { value: 'create', description: 'A new sub-account is created with the version.' },
    INSTALL: { value: 'install', description: 'The sub-account runs nothing yet.' },
    UPGRADE: { value: 'upgrade' },
    DOWNGRADE: { value: 'downgrade' },
    SWITCH: { value: 'switch', description: 'It runs another snapshot now.' },
    UPDATE_VALUES: { value: 'update_values', description: 'Same version, other custom values.' },
    UNCHANGED: { value: 'unchanged' },
    FAIL: { value: 'fail', description: 'It would fail: see issues.' },
  } as const,
});

const TargetPreviewRef = builder.objectRef<TargetPreview>('ProvisioningTargetPreview').implement({
  fields: (t) => ({
    index: t.exposeInt('index'),
    label: t.exposeString('label'),
    subAccountId: t.exposeID('subAccountId', { nullable: true }),
    subAccountName: t.exposeString('subAccountName', { nullable: true }),
    action: t.field({ type: PreviewActionEnum, resolve: (preview) => preview.action }),
    fromVersion: t.int({ nullable: true, resolve: (preview) => preview.from?.version ?? null }),
    fromSlug: t.string({ nullable: true, resolve: (preview) => preview.from?.slug ?? null }),
    changes: t.field({ type: [SnapshotChangeRef], resolve: (preview) => preview.changes }),
    conflicts: t.field({ type: [ConflictRef], resolve: (preview) => preview.conflicts }),
    issues: t.field({ type: [IssueRef], resolve: (preview) => preview.issues }),
  }),
});

const PreviewPayload = builder.objectRef<{ targets: TargetPreview[] }>('ProvisioningPreview').implement({
  fields: (t) => ({ targets: t.field({ type: [TargetPreviewRef], resolve: (preview) => preview.targets }) }),
});

builder.queryFields((t) => ({
  provisioningRun: t.field({
    type: RunRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, { em, viewer }) => findProvisioningRun(em, viewer, id),
  }),
  provisioningRuns: t.field({
    type: [RunRef],
    description: `The agency's provisioning runs, newest first. ${PAGE_DOC}`,
    args: { first: t.arg.int(), after: t.arg.id() },
    complexity: pagedComplexity,
    resolve: (_root, args, { em, viewer }) => listProvisioningRuns(em, viewer, args),
  }),
  previewProvisioning: t.field({
    type: PreviewPayload,
    description: 'What a provisioning request would do to each target (create, upgrade, unchanged, fail…), the snapshot changes it gets and the local edits it keeps, before anything changes.',
    errors: { types: [ValidationError, ForbiddenError] },
    args: { input: t.arg({ type: PreviewProvisioningInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer, plugins, providerAccounts }) => ({
      targets: unwrap(await previewProvisioning(em, viewer, { plugins, claims: providerAccounts }, { snapshot: input.snapshot, targets: targetsOf(input.targets) })),
    }),
  }),
}));

builder.mutationField('startProvisioning', (t) =>
  t.field({
    type: StartProvisioningPayload,
    description:
      'Applies a snapshot version to many sub-accounts (existing or created), each with its own custom values, as a Temporal workflow: bounded concurrency, a result per target, one failure stops no other. Agency keys only. Follow it with provisioningRun or the provisioningProgress subscription.',
    errors: { types: [ValidationError, NotFoundError, ForbiddenError] },
    args: { input: t.arg({ type: StartProvisioningInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer, provisioningRuns, plugins }) =>
      unwrap(
        await requestProvisioning(em, viewer, provisioningRuns, plugins, {
          idempotencyKey: input.idempotencyKey,
          snapshot: input.snapshot,
          targets: targetsOf(input.targets),
          concurrency: input.concurrency ?? null,
        }),
      ),
  }),
);

/** How often a subscribed run is read again. */
const PROGRESS_POLL_MS = 500;

builder.subscriptionType({});
builder.subscriptionField('provisioningProgress', (t) =>
  t.field({
    type: RunRef,
    description: 'The run now and each time its progress changes, until it completes (GraphQL over SSE: Accept: text/event-stream).',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_root, { id }, { em, viewer }) => progressEvents(em, viewer, id),
    resolve: (run) => run,
  }),
);

async function* progressEvents(em: Parameters<typeof findProvisioningRun>[0], viewer: Parameters<typeof findProvisioningRun>[1], id: string): AsyncGenerator<ProvisioningRun> {
  let last = '';
  for (;;) {
    // A fresh fork per look: the request's identity map would keep returning the first read.
    const fork = em.fork();
    const run = await findProvisioningRun(fork, viewer, id);
    if (!run) throw new NotFoundError(`provisioning run ${id} not found`);
    const seen = JSON.stringify([run.status, await provisioningProgress(fork, run.id)]);
    if (seen !== last) {
      last = seen;
      yield run;
    }
    if (run.status === 'completed') return;
    await sleep(PROGRESS_POLL_MS);
  }
}
