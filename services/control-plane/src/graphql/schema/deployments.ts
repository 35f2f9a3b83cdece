import { appliedVersionsOf, deploymentsOf } from '@mctb/control';
import type { AppliedVersion } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap } from '../errors.js';
import { PAGE_DOC, pagedComplexity } from '../pagination.js';
import { ProvisioningRef } from './provisioning.js';
import { SnapshotVersionRef } from './snapshot.js';
import { SubAccountRef } from './sub-account.js';

const AppliedVersionRef = builder.objectRef<AppliedVersion>('AppliedVersion').implement({
  description: 'A snapshot version put into a sub-account: which, when, by which API key, through which provisioning run.',
  fields: (t) => ({
    snapshotVersion: t.field({ type: SnapshotVersionRef, resolve: (applied) => applied.snapshotVersion }),
    previousVersion: t.field({ type: SnapshotVersionRef, nullable: true, resolve: (applied) => applied.previousVersion }),
    appliedAt: t.expose('appliedAt', { type: 'DateTime' }),
    appliedBy: t.exposeString('appliedBy', { nullable: true, description: 'Id of the API key that asked.' }),
    provisioningRunId: t.id({ nullable: true, resolve: (applied) => applied.run?.id ?? null }),
  }),
});

builder.objectField(SubAccountRef, 'appliedVersions', (t) =>
  t.field({
    type: [AppliedVersionRef],
    description: `The versions applied to this sub-account, newest first (optionally of one snapshot). ${PAGE_DOC}`,
    args: { slug: t.arg.string(), first: t.arg.int() },
    complexity: pagedComplexity,
    resolve: (subAccount, args, { em, viewer }) => appliedVersionsOf(em, viewer, { subAccountId: subAccount.id, ...args }),
  }),
);

builder.queryField('deployments', (t) =>
  t.field({
    type: [ProvisioningRef],
    description: `Where a snapshot runs: the sub-accounts provisioned with it (one version, or any), most recently provisioned first; pass the last subAccount id as \`after\`. Empty for a sub-account key. ${PAGE_DOC}`,
    args: { slug: t.arg.string({ required: true }), version: t.arg.int(), first: t.arg.int(), after: t.arg.id() },
    complexity: pagedComplexity,
    resolve: async (_root, args, { em, viewer }) => unwrap(await deploymentsOf(em, viewer, args)),
  }),
);

builder.objectField(ProvisioningRef, 'subAccount', (t) => t.field({ type: SubAccountRef, resolve: (provisioning) => provisioning.subAccount }));
