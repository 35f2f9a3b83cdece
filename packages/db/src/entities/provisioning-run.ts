import { EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Agency } from './agency.js';
import { SnapshotVersion } from './snapshot.js';
import { SubAccount } from './sub-account.js';

export type ProvisioningRunStatus = 'running' | 'completed';
export type ProvisioningTargetStatus = 'pending' | 'applied' | 'unchanged' | 'failed';

/** What a target asks to create when it names no existing sub-account (createSubAccount's input). */
export interface NewSubAccountDetails {
  name: string;
  timeZone: string;
  twilioNumber: string;
  forwardingNumber: string;
  incomingCallTimeout?: number;
  smsProvider?: string;
}

/** A problem found in one target, at a path inside it (e.g. `customValues.booking_link`). */
export interface TargetIssue {
  path: string;
  message: string;
}

/**
 * One request to apply a snapshot version to many sub-accounts. Its idempotency key is unique per
 * agency: submitting the same request again finds this run instead of starting another.
 */
export class ProvisioningRun {
  id: string = randomUUID();
  agency: Agency;
  idempotencyKey: string;
  /** A digest of what was asked (version, targets, values): the same key with other content is refused. */
  requestDigest: string;
  snapshotVersion: SnapshotVersion;
  concurrency: number;
  total: number;
  /** The API key that asked. */
  requestedBy: string | null;
  status: ProvisioningRunStatus = 'running';
  createdAt: Date = new Date();
  completedAt: Date | null = null;

  constructor(init: Pick<ProvisioningRun, 'agency' | 'idempotencyKey' | 'requestDigest' | 'snapshotVersion' | 'concurrency' | 'total' | 'requestedBy'>) {
    this.agency = init.agency;
    this.idempotencyKey = init.idempotencyKey;
    this.requestDigest = init.requestDigest;
    this.snapshotVersion = init.snapshotVersion;
    this.concurrency = init.concurrency;
    this.total = init.total;
    this.requestedBy = init.requestedBy;
  }
}

export const ProvisioningRunSchema = new EntitySchema<ProvisioningRun>({
  class: ProvisioningRun,
  tableName: 'provisioning_runs',
  uniques: [{ properties: ['agency', 'idempotencyKey'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    agency: { kind: 'm:1', entity: () => Agency, deleteRule: 'cascade' },
    idempotencyKey: { type: 'text' },
    requestDigest: { type: 'text' },
    snapshotVersion: { kind: 'm:1', entity: () => SnapshotVersion },
    concurrency: { type: 'integer' },
    total: { type: 'integer' },
    requestedBy: { type: 'text', nullable: true },
    status: { type: 'text' },
    createdAt: { type: 'datetime' },
    completedAt: { type: 'datetime', nullable: true },
  },
});

/** One sub-account of a provisioning run and what happened to it; only the run's worker writes it. */
export class ProvisioningTarget {
  run: ProvisioningRun;
  /** Position in the request, from 0. */
  index: number;
  /** How the request named it: the sub-account's id, or the new sub-account's name. */
  label: string;
  /** The sub-account named, or the one created for this target once it is. */
  subAccount: SubAccount | null;
  newSubAccount: NewSubAccountDetails | null;
  customValues: Record<string, string>;
  status: ProvisioningTargetStatus = 'pending';
  reason: string | null = null;
  issues: TargetIssue[] = [];
  /** Local edits of the sub-account that the newer version also changes: kept, and reported here. */
  conflicts: TargetIssue[] = [];
  finishedAt: Date | null = null;

  constructor(init: Pick<ProvisioningTarget, 'run' | 'index' | 'label' | 'subAccount' | 'newSubAccount' | 'customValues'>) {
    this.run = init.run;
    this.index = init.index;
    this.label = init.label;
    this.subAccount = init.subAccount;
    this.newSubAccount = init.newSubAccount;
    this.customValues = init.customValues;
  }
}

export const ProvisioningTargetSchema = new EntitySchema<ProvisioningTarget>({
  class: ProvisioningTarget,
  tableName: 'provisioning_targets',
  indexes: [{ properties: ['subAccount'] }],
  properties: {
    run: { kind: 'm:1', entity: () => ProvisioningRun, primary: true, deleteRule: 'cascade' },
    index: { type: 'integer', primary: true },
    label: { type: 'text' },
    subAccount: { kind: 'm:1', entity: () => SubAccount, nullable: true, deleteRule: 'set null' },
    newSubAccount: { type: 'json', nullable: true },
    customValues: { type: 'json' },
    status: { type: 'text' },
    reason: { type: 'text', nullable: true },
    issues: { type: 'json' },
    conflicts: { type: 'json' },
    finishedAt: { type: 'datetime', nullable: true },
  },
});

/** A version applied to a sub-account: its history, and who put it there through which request. */
export class AppliedVersion {
  id: string = randomUUID();
  subAccount: SubAccount;
  snapshotVersion: SnapshotVersion;
  /** The version it ran before, null on the first provisioning. */
  previousVersion: SnapshotVersion | null;
  run: ProvisioningRun | null;
  appliedBy: string | null;
  appliedAt: Date = new Date();

  constructor(init: Pick<AppliedVersion, 'subAccount' | 'snapshotVersion' | 'previousVersion' | 'run' | 'appliedBy'>) {
    this.subAccount = init.subAccount;
    this.snapshotVersion = init.snapshotVersion;
    this.previousVersion = init.previousVersion;
    this.run = init.run;
    this.appliedBy = init.appliedBy;
  }
}

export const AppliedVersionSchema = new EntitySchema<AppliedVersion>({
  class: AppliedVersion,
  tableName: 'applied_versions',
  indexes: [{ properties: ['subAccount', 'appliedAt'] }, { properties: ['snapshotVersion'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    subAccount: { kind: 'm:1', entity: () => SubAccount, deleteRule: 'cascade' },
    snapshotVersion: { kind: 'm:1', entity: () => SnapshotVersion },
    previousVersion: { kind: 'm:1', entity: () => SnapshotVersion, nullable: true },
    run: { kind: 'm:1', entity: () => ProvisioningRun, nullable: true, deleteRule: 'set null' },
    appliedBy: { type: 'text', nullable: true },
    appliedAt: { type: 'datetime' },
  },
});
