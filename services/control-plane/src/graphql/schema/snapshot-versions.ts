import { findSnapshotBySlug, snapshotDiff, versionsOf, type SnapshotDiff } from '@mctb/control';
import type { Snapshot, SnapshotVersion } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, NotFoundError } from '../errors.js';
import { SnapshotVersionRef } from './snapshot.js';

type SnapshotChange = SnapshotDiff['changes'][number];

const SnapshotChangeKind = builder.enumType('SnapshotChangeKind', {
  values: {
    ADDED: { value: 'added' },
    REMOVED: { value: 'removed' },
    CHANGED: { value: 'changed' },
    NEWLY_REQUIRED: { value: 'newly_required', description: 'A custom value every sub-account must now give (added as required, or made required).' },
  } as const,
});

export const SnapshotChangeRef = builder.objectRef<SnapshotChange>('SnapshotChange').implement({
  description: 'One difference between two versions of a snapshot.',
  fields: (t) => ({
    section: t.exposeString('section', { description: 'metadata, customValues, templates, workflows, textBack, businessHours, quietHours, exclusions or plugins.' }),
    path: t.exposeString('path', { description: 'e.g. templates.first_text, workflows.missed_call.steps.follow_up, customValues.booking_link.' }),
    kind: t.field({ type: SnapshotChangeKind, resolve: (change) => change.kind }),
    summary: t.exposeString('summary'),
    before: t.field({ type: 'JSON', nullable: true, resolve: (change) => change.before ?? null }),
    after: t.field({ type: 'JSON', nullable: true, resolve: (change) => change.after ?? null }),
  }),
});

const SnapshotDiffRef = builder.objectRef<SnapshotDiff>('SnapshotDiff').implement({
  fields: (t) => ({
    slug: t.exposeString('slug'),
    from: t.exposeInt('from'),
    to: t.exposeInt('to'),
    changes: t.field({ type: [SnapshotChangeRef], resolve: (diff) => diff.changes }),
  }),
});

export const SnapshotRef = builder.objectRef<Snapshot>('Snapshot').implement({
  description: 'A named snapshot of the agency and its immutable versions.',
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name', { description: 'As its latest version names it.' }),
    versions: t.field({ type: [SnapshotVersionRef], description: 'Newest first.', resolve: (snapshot, _args, { em }) => versionsOf(em, snapshot) }),
    latestVersion: t.field({
      type: SnapshotVersionRef,
      resolve: async (snapshot, _args, { em }) => (await versionsOf(em, snapshot))[0] as SnapshotVersion,
    }),
    version: t.field({
      type: SnapshotVersionRef,
      nullable: true,
      args: { number: t.arg.int({ required: true }) },
      resolve: async (snapshot, { number }, { em }) => (await versionsOf(em, snapshot)).find((version) => version.version === number) ?? null,
    }),
  }),
});

builder.queryFields((t) => ({
  snapshot: t.field({
    type: SnapshotRef,
    nullable: true,
    description: "The agency's snapshot with this slug.",
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, { slug }, { em, viewer }) => findSnapshotBySlug(em, viewer, slug),
  }),
  snapshotDiff: t.field({
    type: SnapshotDiffRef,
    description: 'What changes from one version of a snapshot to another: templates, workflow steps, hours, custom values, plugin requirements.',
    errors: { types: [NotFoundError] },
    args: { slug: t.arg.string({ required: true }), from: t.arg.int({ required: true }), to: t.arg.int({ required: true }) },
    resolve: async (_root, args, { em, viewer }) => unwrap(await snapshotDiff(em, viewer, args)),
  }),
}));
