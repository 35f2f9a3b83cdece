import { AutomationStore, type ProvisionedSnapshot } from '@mctb/db';
import type { Workflow } from '@mctb/snapshots';
import type { ActivityDeps } from '../deps.js';
import { hasBeforeSendHooks } from '../prepare.js';
import type { PinnedRun } from './pinned-run.js';
import { reachableWorkflows, templatesUsedBy } from './reachable.js';

/** What every trigger knows once it decided a run opens. */
export interface RunOpening {
  runId: string;
  temporalWorkflowId: string;
  subAccountId: string;
  provisioned: ProvisionedSnapshot;
  workflow: Workflow;
  contact: PinnedRun['contact'];
  trigger: PinnedRun['trigger'];
  business: { name: string; smsProvider: string; timeZone: string; hasPlugins: boolean };
  /** The number the run's texts come from. */
  from: string;
  /** The workflow's clock (epoch ms). */
  asOf: number;
}

/** Records the run (once, whoever retries) and returns what it pins: the same for every trigger. */
export async function startPinnedRun(deps: ActivityDeps, opening: RunOpening): Promise<PinnedRun> {
  const { provisioned, workflow, trigger, business } = opening;
  const { definition } = provisioned;
  await new AutomationStore(deps.orm).startRun({
    id: opening.runId,
    subAccountId: opening.subAccountId,
    contactId: opening.contact.id,
    workflowKey: workflow.key,
    snapshotSlug: provisioned.slug,
    snapshotVersion: provisioned.version,
    triggerType: trigger.type,
    triggerRef: trigger.ref,
    temporalWorkflowId: opening.temporalWorkflowId,
    parentRunId: trigger.parentRunId,
    startedAt: new Date(opening.asOf),
  });
  const workflows = reachableWorkflows(definition, workflow.key);
  return {
    runId: opening.runId,
    subAccountId: opening.subAccountId,
    snapshot: { slug: provisioned.slug, version: provisioned.version },
    workflowKey: workflow.key,
    workflows,
    templates: templatesUsedBy(definition, Object.values(workflows)),
    customValues: provisioned.customValues,
    zone: definition.businessHours?.timeZone ?? business.timeZone,
    businessHours: definition.businessHours,
    quietHours: definition.quietHours,
    exclusions: definition.exclusions,
    contact: opening.contact,
    trigger,
    businessName: business.name,
    from: opening.from,
    provider: business.smsProvider,
    beforeSendHooks: business.hasPlugins && (await hasBeforeSendHooks(deps, opening.subAccountId)),
    startedAt: opening.asOf,
  };
}
