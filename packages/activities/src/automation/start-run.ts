import type { ProvisionedSnapshot } from '@mctb/db';
import type { Workflow } from '@mctb/snapshots';
import type { ActivityDeps } from '../deps.js';
import { installedReleases, pinnedPlugin } from '../plugins/installed-releases.js';
import type { PinnedRun } from './pinned-run.js';
import { reachableWorkflows, templatesUsedBy } from './reachable.js';
import { recordRunStart } from './run-progress.js';

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
  const { provisioned, workflow, business } = opening;
  const { definition } = provisioned;
  const workflows = reachableWorkflows(definition, workflow.key);
  const plugins = business.hasPlugins ? (await installedReleases(deps, opening.subAccountId)).map(pinnedPlugin) : [];
  const pinned: PinnedRun = {
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
    trigger: opening.trigger,
    businessName: business.name,
    from: opening.from,
    provider: business.smsProvider,
    beforeSendHooks: plugins.some((plugin) => plugin.hooks['textback.beforeSend'] !== undefined),
    plugins,
    startedAt: opening.asOf,
  };
  await recordRunStart(deps, pinned, opening.temporalWorkflowId);
  return pinned;
}
