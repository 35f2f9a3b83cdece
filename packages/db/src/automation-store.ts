import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { AutomationRunView, ContactFacts, NewTask, RunProgress, RunStart, RunStatus, StepRecord, TaskView } from './automation-types.js';
import { driverQuery, toDate, type DriverQuery } from './driver.js';

/**
 * The automation interpreter's reads and writes (runs, steps, tasks, tags), as plain statements on
 * the ORM's pool. The worker's activities are the only writers, and Temporal retries them: every
 * write here may run twice and must leave the same rows.
 */
export class AutomationStore {
  private readonly query: DriverQuery;

  constructor(orm: MikroORM) {
    this.query = driverQuery(orm.em);
  }

  /** Stores the run once: a retried activity's insert finds it and does nothing. */
  async startRun(run: RunStart): Promise<void> {
    await this.query(
      `insert into automation_runs (id, sub_account_id, contact_id, workflow_key, snapshot_slug, snapshot_version, trigger_type, trigger_ref,
              temporal_workflow_id, parent_run_id, status, started_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'running', $11, $11) on conflict (id) do nothing`,
      [run.id, run.subAccountId, run.contactId, run.workflowKey, run.snapshotSlug, run.snapshotVersion, run.triggerType, run.triggerRef,
        run.temporalWorkflowId, run.parentRunId, run.startedAt],
    );
  }

  /**
   * Upserts the steps and moves the run on, in one statement. A step that is done or failed stays so
   * (a replayed "waiting" can't reopen it), and the first ending of a run stands: an ended run is not
   * changed again, so a late or retried report can't revive it. Nothing is written for a run that
   * no longer exists (its sub-account was deleted).
   */
  async recordProgress(runId: string, progress: RunProgress): Promise<void> {
    const steps = latestPerStep(progress.steps).map((step) => ({
      step_id: step.stepId, kind: step.kind, status: step.status, detail: step.detail, at: step.at.toISOString(),
    }));
    await this.query(
      `with run as (
         update automation_runs set status = $2::text, current_step = $3, reason = $4, updated_at = $5::timestamptz,
                ended_at = case when $2::text = 'running' then null else $5::timestamptz end
          where id = $1 and status = 'running'
       ), steps as (
         insert into automation_steps (run_id, step_id, kind, status, detail, at)
         select $1, s.step_id, s.kind, s.status, s.detail, s.at
           from jsonb_to_recordset($6::jsonb) as s(step_id text, kind text, status text, detail text, at timestamptz)
          where exists (select 1 from automation_runs where id = $1)
         on conflict (run_id, step_id) do update set status = excluded.status, detail = excluded.detail, at = excluded.at
          where not (automation_steps.status in ('done', 'failed') and excluded.status = 'waiting')
       )
       select 1`,
      [runId, progress.status, progress.currentStep, progress.reason, progress.at, JSON.stringify(steps)],
    );
  }

  /** Whether a run of this workflow started for the contact since `since` (a workflow's dedup window). */
  async ranSince(contactId: string, workflowKey: string, since: Date): Promise<boolean> {
    const [row] = await this.query(
      `select exists (select 1 from automation_runs where contact_id = $1 and workflow_key = $2 and started_at >= $3 and status <> 'excluded') as ran`,
      [contactId, workflowKey, since],
    );
    return row?.ran === true;
  }

  /** The contact's runs, newest first, each with its steps. */
  async runsOfContact(subAccountId: string, contactId: string): Promise<AutomationRunView[]> {
    const rows = await this.query(
      `select r.id, r.workflow_key, r.snapshot_slug, r.snapshot_version, r.trigger_type, r.trigger_ref, r.status, r.current_step, r.reason,
              r.started_at, r.updated_at, r.ended_at,
              coalesce((select json_agg(json_build_object('stepId', s.step_id, 'kind', s.kind, 'status', s.status, 'detail', s.detail, 'at', s.at)
                                        order by s.seq)
                          from automation_steps s where s.run_id = r.id), '[]') as steps
         from automation_runs r
        where r.sub_account_id = $1 and r.contact_id = $2
        order by r.started_at desc, r.id`,
      [subAccountId, contactId],
    );
    return rows.map((row) => ({
      id: row.id as string,
      workflowKey: row.workflow_key as string,
      snapshotSlug: row.snapshot_slug as string,
      snapshotVersion: row.snapshot_version as number,
      triggerType: row.trigger_type as string,
      triggerRef: row.trigger_ref as string | null,
      status: row.status as RunStatus,
      currentStep: row.current_step as string | null,
      reason: row.reason as string | null,
      startedAt: toDate(row.started_at) as Date,
      updatedAt: toDate(row.updated_at) as Date,
      endedAt: toDate(row.ended_at),
      steps: json<(Omit<StepRecord, 'at'> & { at: string })[]>(row.steps).map((step) => ({ ...step, at: new Date(step.at) })),
    }));
  }

  /** The task of this step of the run, created the first time only. */
  async createTask(task: NewTask): Promise<{ id: string; created: boolean }> {
    const [inserted] = await this.query(
      `insert into tasks (id, sub_account_id, contact_id, run_id, step_id, title, due_at, assignee) values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (run_id, step_id) do nothing returning id`,
      [randomUUID(), task.subAccountId, task.contactId, task.runId, task.stepId, task.title, task.dueAt, task.assignee],
    );
    if (inserted) return { id: inserted.id as string, created: true };
    const [existing] = await this.query('select id from tasks where run_id = $1 and step_id = $2', [task.runId, task.stepId]);
    if (!existing) throw new Error(`task of step ${task.stepId} of run ${task.runId} was neither created nor found`);
    return { id: existing.id as string, created: false };
  }

  /** Open tasks of the sub-account, soonest due first. */
  async openTasks(subAccountId: string): Promise<TaskView[]> {
    const rows = await this.query(
      `select id, contact_id, run_id, step_id, title, due_at, assignee, status, created_at, completed_at
         from tasks where sub_account_id = $1 and status = 'open' order by due_at, id`,
      [subAccountId],
    );
    return rows.map((row) => ({
      id: row.id as string,
      contactId: row.contact_id as string | null,
      runId: row.run_id as string | null,
      stepId: row.step_id as string | null,
      title: row.title as string,
      dueAt: toDate(row.due_at) as Date,
      assignee: row.assignee as string | null,
      status: row.status as TaskView['status'],
      createdAt: toDate(row.created_at) as Date,
      completedAt: toDate(row.completed_at),
    }));
  }

  /** True when this call completed an open task of the sub-account (false: no such task, or already done). */
  async completeTask(subAccountId: string, taskId: string, at: Date): Promise<boolean> {
    // Ids come from users too: one that isn't a uuid names no task (rather than failing the cast).
    if (!UUID.test(taskId)) return false;
    const [row] = await this.query(
      `update tasks set status = 'done', completed_at = $3 where id = $2 and sub_account_id = $1 and status = 'open' returning id`,
      [subAccountId, taskId, at],
    );
    return row !== undefined;
  }

  /**
   * Adds the tags it lacks (in the given order, after the existing ones) and then removes the others,
   * in one update (concurrent changes don't lose each other's tags). Returns the new tags; an empty
   * list when the contact no longer exists.
   */
  async changeTags(contactId: string, change: { add: string[]; remove: string[] }): Promise<string[]> {
    const [row] = await this.query(
      `update contacts c set tags = (
         select coalesce(jsonb_agg(t.tag order by t.first), '[]'::jsonb)
           from (select tag, min(array[src, n]) as first
                   from (select e.tag, 0 as src, e.n from jsonb_array_elements_text(c.tags) with ordinality as e(tag, n)
                         union all
                         select a.tag, 1, a.n from unnest($2::text[]) with ordinality as a(tag, n)) candidates
                  where tag <> all($3::text[])
                  group by tag) t)
        where c.id = $1 returning c.tags`,
      [contactId, change.add, change.remove],
    );
    return row ? json<string[]>(row.tags) : [];
  }

  /** The contact's facts an automation's conditions test, or null when there is no such contact. */
  async contactFacts(contactId: string): Promise<ContactFacts | null> {
    const [row] = await this.query(
      `select c.tags, c.first_name, c.last_name, c.phone, c.created_at, c.opted_out_at,
              (select max(m.created_at) from messages m where m.contact_id = c.id and m.direction = 'inbound') as last_inbound_at,
              (select max(m.created_at) from messages m where m.contact_id = c.id and m.direction = 'outbound') as last_outbound_at
         from contacts c where c.id = $1`,
      [contactId],
    );
    if (!row) return null;
    return {
      tags: json<string[]>(row.tags),
      firstName: row.first_name as string,
      lastName: row.last_name as string,
      phone: row.phone as string,
      createdAt: toDate(row.created_at) as Date,
      optedOutAt: toDate(row.opted_out_at),
      lastInboundAt: toDate(row.last_inbound_at),
      lastOutboundAt: toDate(row.last_outbound_at),
    };
  }

  /**
   * Takes one of the sub-account's automated texts for the local day, unless `cap` are taken: true
   * when this send may go. The day's counter row is bumped under its lock, so concurrent runs can't
   * all pass the cap; the intent's reservation makes a retried step count once.
   */
  async reserveAutomatedText(input: { subAccountId: string; day: string; intentId: string; cap: number }): Promise<boolean> {
    const [row] = await this.query(
      `with earlier as (select 1 from automated_text_reservations where intent_id = $3),
       bumped as (
         insert into automated_text_days as d (sub_account_id, day, texts) select $1, $2::date, 1 where not exists (select 1 from earlier)
         on conflict (sub_account_id, day) do update set texts = d.texts + 1 where d.texts < $4
         returning d.texts),
       reserved as (insert into automated_text_reservations (intent_id, sub_account_id, day) select $3, $1, $2::date from bumped on conflict do nothing)
       select exists (select 1 from earlier) or exists (select 1 from bumped) as allowed`,
      [input.subAccountId, input.day, input.intentId, input.cap],
    );
    return row?.allowed === true;
  }

  /** Texts the automations (anything with an intent id) sent for the sub-account since `since`, failed ones aside. */
  async automatedTextsSince(subAccountId: string, since: Date): Promise<number> {
    const [row] = await this.query(
      `select count(*)::int as texts from messages
        where sub_account_id = $1 and direction = 'outbound' and intent_id is not null and created_at >= $2 and status <> 'failed'`,
      [subAccountId, since],
    );
    return (row?.texts as number | undefined) ?? 0;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One record per step (an upsert can't touch a row twice), the later one winning as the database would let it. */
function latestPerStep(steps: readonly StepRecord[]): StepRecord[] {
  const byId = new Map<string, StepRecord>();
  for (const step of steps) {
    const earlier = byId.get(step.stepId);
    if (earlier && (earlier.status === 'done' || earlier.status === 'failed') && step.status === 'waiting') continue;
    byId.set(step.stepId, step);
  }
  return [...byId.values()];
}

/** json/jsonb as the driver returns it (parsed, or text). */
function json<T>(value: unknown): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : (value as T);
}
