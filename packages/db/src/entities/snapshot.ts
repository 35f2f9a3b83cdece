import { EntitySchema } from '@mikro-orm/core';
import type { SnapshotDefinition } from '@mctb/snapshots';
import { randomUUID } from 'node:crypto';
import { Agency } from './agency.js';

/** A named snapshot of an agency; its content lives in immutable versions. */
export class Snapshot {
  id: string = randomUUID();
  agency: Agency;
  slug: string;
  name: string;
  createdAt: Date = new Date();

  constructor(agency: Agency, slug: string, name: string) {
    this.agency = agency;
    this.slug = slug;
    this.name = name;
  }
}

export const SnapshotSchema = new EntitySchema<Snapshot>({
  class: Snapshot,
  tableName: 'snapshots',
  uniques: [{ properties: ['agency', 'slug'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    agency: { kind: 'm:1', entity: () => Agency, deleteRule: 'cascade' },
    slug: { type: 'text' },
    name: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});

/** One immutable version of a snapshot: the validated definition and the YAML it came from. */
export class SnapshotVersion {
  id: string = randomUUID();
  snapshot: Snapshot;
  version: number;
  definition: SnapshotDefinition;
  sourceYaml: string;
  createdAt: Date = new Date();

  constructor(snapshot: Snapshot, version: number, definition: SnapshotDefinition, sourceYaml: string) {
    this.snapshot = snapshot;
    this.version = version;
    this.definition = definition;
    this.sourceYaml = sourceYaml;
  }
}

export const SnapshotVersionSchema = new EntitySchema<SnapshotVersion>({
  class: SnapshotVersion,
  tableName: 'snapshot_versions',
  uniques: [{ properties: ['snapshot', 'version'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    snapshot: { kind: 'm:1', entity: () => Snapshot, deleteRule: 'cascade' },
    version: { type: 'integer' },
    definition: { type: 'json' },
    sourceYaml: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});
