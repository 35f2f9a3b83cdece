import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261122140906 } from './Migration20261122140906.js';
import { Migration20261122142824 } from './Migration20261122142824.js';
import { Migration20261201200000 } from './Migration20261201200000.js';
import { Migration20261202000000 } from './Migration20261202000000.js';
import { Migration20261202030000 } from './Migration20261202030000.js';
import { Migration20261202040000 } from './Migration20261202040000.js';
import { Migration20261202050000 } from './Migration20261202050000.js';
import { Migration20261202010000 } from './Migration20261202010000.js';
import { Migration20261202020000 } from './Migration20261202020000.js';
import { Migration20261203000000 } from './Migration20261203000000.js';
import { Migration20261203100000 } from './Migration20261203100000.js';
import { Migration20261204000000 } from './Migration20261204000000.js';
import { Migration20261205100000 } from './Migration20261205100000.js';
import { Migration20261205200000 } from './Migration20261205200000.js';
import { Migration20261206100000 } from './Migration20261206100000.js';
import { Migration20261207100000 } from './Migration20261207100000.js';

/** Committed migrations, in order. New ones come from `pnpm --filter @mctb/db migration:create`. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261122140906', class: Migration20261122140906 },
  // messages.send_lease_until: one attempt at a time may call the provider for a send.
  { name: 'Migration20261122142824', class: Migration20261122142824 },
  // calls: one writer per column group, sweeper indexes; sub_accounts: call screening.
  { name: 'Migration20261201200000', class: Migration20261201200000 },
  // automation_runs, automation_steps, tasks: what the automation interpreter did and the tasks it made.
  { name: 'Migration20261202000000', class: Migration20261202000000 },
  // blocked_numbers; sub_accounts.automations_paused_{from,until,reason}: the block list and the text-back pause.
  { name: 'Migration20261202010000', class: Migration20261202010000 },
  // sub_accounts.owner_email, owner_phone, webhook_signing_secret; notifications: the notify and webhook steps.
  { name: 'Migration20261202020000', class: Migration20261202020000 },
  // automated_text_days, automated_text_reservations: the daily cap of automated texts, exact under concurrency.
  { name: 'Migration20261202030000', class: Migration20261202030000 },
  // automation_steps.seq: steps list in the order they ran.
  { name: 'Migration20261202040000', class: Migration20261202040000 },
  // provisioning_runs, provisioning_targets, applied_versions, provisionings.local_edits: provisioning at agency scale.
  { name: 'Migration20261202050000', class: Migration20261202050000 },
  // twilio_accounts; phone_numbers.account_sid: agencies' own Twilio accounts (tokens sealed) and which holds each number.
  { name: 'Migration20261203000000', class: Migration20261203000000 },
  // plugins, plugin_versions, plugin_deliveries: the plugin marketplace and what each plugin call did.
  { name: 'Migration20261203100000', class: Migration20261203100000 },
  // calls.handed_to_plugin: the plugin (Voice AI) an unanswered caller was handed to; its text waits for the verdict.
  { name: 'Migration20261204000000', class: Migration20261204000000 },
  // messages by call, contacts by opt-out: the metrics' indexes.
  { name: 'Migration20261205100000', class: Migration20261205100000 },
  // conversation_reads; calls by contact: the inbox's read state and a contact's thread.
  { name: 'Migration20261205200000', class: Migration20261205200000 },
  // metrics_days, metrics_rollups, agency_metrics_days: the metrics' daily rollup.
  { name: 'Migration20261206100000', class: Migration20261206100000 },
  // sweep_runs: each sweep the call sweeper ran (who, when, what it re-drove).
  { name: 'Migration20261207100000', class: Migration20261207100000 },
];
