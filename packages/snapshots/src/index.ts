export type {
  SnapshotCustomValue,
  SnapshotDefinition,
  SnapshotIssue,
  SnapshotMetadata,
  SnapshotPlugin,
  SnapshotPluginLookup,
  SnapshotTextBack,
} from './types.js';
export { MAX_SNAPSHOT_BYTES, parseSnapshot, type ParseSnapshotOptions, type ParseSnapshotResult } from './parse.js';
export { SNAPSHOT_API_VERSION } from './schema.js';
export { resolveCustomValues, type ResolveCustomValuesResult } from './custom-values.js';
export { textBackPlanOf } from './text-back.js';
export { formatDuration, parseDuration, type DurationParse } from './duration.js';
