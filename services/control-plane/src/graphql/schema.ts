import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
// Each module adds its types and the root fields beside them; importing it registers them.
import './schema/scalars.js';
import './schema/errors.js';
import './schema/viewer.js';
import './schema/sub-account.js';
import './schema/snapshot.js';
import './schema/provisioning.js';
import './schema/snapshot-versions.js';
import './schema/provisioning-runs.js';
import './schema/deployments.js';
import './schema/local-edits.js';
import './schema/plugin-marketplace.js';
import './schema/plugin.js';
import './schema/activity.js';
import './schema/api-key.js';
import './schema/contact.js';
import './schema/conversation.js';
import './schema/task.js';
import './schema/block-list.js';
import './schema/automations-pause.js';
import './schema/owner.js';
import './schema/twilio-account.js';
import './schema/manual-messages.js';
import './schema/metrics.js';

let built: GraphQLSchema | undefined;

/** The control plane's schema; the builder can only turn into a schema once per process. */
export function controlPlaneSchema(): GraphQLSchema {
  built ??= builder.toSchema();
  return built;
}

/** The schema as SDL, sorted so the committed schema.graphql diffs cleanly. */
export function schemaSdl(): string {
  return `${printSchema(lexicographicSortSchema(controlPlaneSchema()))}\n`;
}
