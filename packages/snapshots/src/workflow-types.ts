import type { DayInterval, Weekday } from '@mctb/business-hours';
import type { CallOutcome } from '@mctb/domain';

/**
 * A snapshot's automations as data (DESIGN §4a): what the interpreter walks. Plain JSON (no classes,
 * no functions, no undefined values), so a run's input and history can hold it; durations in seconds.
 */

export const TRIGGER_TYPES = ['call.missed', 'message.received', 'contact.tagged'] as const;
export type TriggerType = (typeof TRIGGER_TYPES)[number];

/** Outcomes of a call nobody answered: the answered ones (by a person or an AI) never trigger call.missed. */
export const MISSED_CALL_OUTCOMES = ['no_answer', 'declined', 'voicemail', 'failed', 'abandoned'] as const satisfies readonly CallOutcome[];
export type MissedCallOutcome = (typeof MISSED_CALL_OUTCOMES)[number];

export type WorkflowTrigger =
  | { type: 'call.missed'; outcomes: MissedCallOutcome[] }
  | { type: 'message.received' }
  | { type: 'contact.tagged'; tag: string };

/** A trigger for the same contact inside the window starts no new run. */
export interface WorkflowDedup {
  per: 'contact';
  windowSeconds: number;
}

export interface Workflow {
  key: string;
  name: string | null;
  /** False: the trigger starts no run (and no workflow may start this one). */
  enabled: boolean;
  /** Null: only `start_workflow` runs this workflow. */
  trigger: WorkflowTrigger | null;
  dedup: WorkflowDedup | null;
  steps: WorkflowStep[];
}

/**
 * Who a notification or task goes to. `owner` is the sub-account's owner contact; a custom value
 * holds a per-client address; a literal is the same address in every client.
 */
export type Recipient = { type: 'owner' } | { type: 'custom_value'; key: string } | { type: 'literal'; value: string };

export interface WaitStep {
  kind: 'wait';
  id: string;
  seconds: number;
}
export interface WaitUntilStep {
  kind: 'wait_until';
  id: string;
  until: 'business_hours_open';
}
export interface IfStep {
  kind: 'if';
  id: string;
  condition: Condition;
  then: WorkflowStep[];
  else: WorkflowStep[];
}
export interface SendSmsStep {
  kind: 'send_sms';
  id: string;
  /** Key into the snapshot's templates. */
  template: string;
  /** Inside quiet hours: `wait` for the window to end (the default) or `send` at once. */
  duringQuietHours: 'wait' | 'send';
}
export interface WaitForReplyStep {
  kind: 'wait_for_reply';
  id: string;
  timeoutSeconds: number;
  replied: WorkflowStep[];
  noReply: WorkflowStep[];
}
export interface TagStep {
  kind: 'add_tag' | 'remove_tag';
  id: string;
  tag: string;
}
export interface CreateTaskStep {
  kind: 'create_task';
  id: string;
  /** Liquid source, rendered with the run's merge fields. */
  title: string;
  dueSeconds: number;
  /** Null: unassigned. */
  assignee: Recipient | null;
}
export interface NotifyStep {
  kind: 'notify';
  id: string;
  channel: 'sms' | 'email' | 'webhook';
  to: Recipient;
  /** Key into the snapshot's templates. */
  template: string;
}
export interface WebhookStep {
  kind: 'webhook';
  id: string;
  url: Recipient;
  timeoutSeconds: number;
  retries: number;
}
export interface StartWorkflowStep {
  kind: 'start_workflow';
  id: string;
  /** Key of another workflow of the same snapshot. */
  workflow: string;
}
export interface PluginStep {
  kind: 'plugin';
  id: string;
  plugin: string;
  step: string;
  config: Record<string, unknown>;
}

export type WorkflowStep =
  | WaitStep
  | WaitUntilStep
  | IfStep
  | SendSmsStep
  | WaitForReplyStep
  | TagStep
  | CreateTaskStep
  | NotifyStep
  | WebhookStep
  | StartWorkflowStep
  | PluginStep;

/** Contact fields a condition can compare, as the merge fields name them. */
export const CONTACT_FIELDS = ['first_name', 'last_name', 'phone'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Hours, days and times are the business's (its hours' zone, else the sub-account's). */
export type Condition =
  | { type: 'business_hours'; open: boolean }
  | { type: 'call_outcome'; in: MissedCallOutcome[] }
  | { type: 'has_tag'; tag: string }
  | { type: 'new_contact' }
  | { type: 'conversation_active_within'; seconds: number }
  | { type: 'custom_value_equals'; key: string; value: string }
  | { type: 'contact_field_equals'; field: ContactField; value: string }
  | { type: 'day_of_week'; days: Weekday[] }
  | { type: 'time_of_day'; window: DayInterval }
  | { type: 'all'; conditions: Condition[] }
  | { type: 'any'; conditions: Condition[] }
  | { type: 'not'; condition: Condition };
