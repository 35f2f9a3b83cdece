export type {
  PluginConfigCheck,
  SnapshotCustomValue,
  SnapshotDefinition,
  SnapshotExclusions,
  SnapshotIssue,
  SnapshotMetadata,
  SnapshotPlugin,
  SnapshotPluginDescription,
  SnapshotPluginLookup,
  SnapshotTextBack,
} from './types.js';
export type {
  Condition,
  ContactField,
  CreateTaskStep,
  IfStep,
  MissedCallOutcome,
  NotifyStep,
  PluginStep,
  Recipient,
  SendSmsStep,
  StartWorkflowStep,
  TagStep,
  TriggerType,
  WaitForReplyStep,
  WaitStep,
  WaitUntilStep,
  WebhookStep,
  Workflow,
  WorkflowDedup,
  WorkflowStep,
  WorkflowTrigger,
} from './workflow-types.js';
export { CONTACT_FIELDS, MISSED_CALL_OUTCOMES, TRIGGER_TYPES } from './workflow-types.js';
export { MAX_SNAPSHOT_BYTES, parseSnapshot, type ParseSnapshotOptions, type ParseSnapshotResult } from './parse.js';
export { SNAPSHOT_API_VERSION, SNAPSHOT_API_VERSION_V2 } from './schema.js';
export { SNAPSHOT_JSON_SCHEMA_PATH, snapshotJsonSchema, snapshotJsonSchemaText } from './json-schema.js';
export { DEFAULT_ACTIVE_CONVERSATION_SECONDS, DEFAULT_DAILY_CAP, DEFAULT_QUIET_HOURS } from './schema-v2.js';
export { compileTextBack } from './compile-text-back.js';
export { currentDefinition } from './stored-definition.js';
export type { V1Definition } from './to-definition.js';
export { TRIGGER_MERGE_FIELDS } from './trigger-fields.js';
export { MAX_CONDITION_DEPTH, MAX_STEP_DEPTH, MAX_STEPS_PER_WORKFLOW, MAX_WORKFLOWS, TEXT_BACK_WORKFLOW_KEY } from './workflow-syntax.js';
export { diffSnapshots, type SnapshotChange, type SnapshotChangeKind } from './diff.js';
export { localEditConflicts, localTemplateProblems, withLocalEdits, type LocalEditConflict, type LocalEdits } from './local-edits.js';
export { resolveCustomValues, type ResolveCustomValuesResult } from './custom-values.js';
export { textBackPlanOf } from './text-back.js';
export { formatDuration, parseDuration, type DurationParse } from './duration.js';
