import type { StepResult } from '@mctb/plugin-sdk';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps.js';
import type { PinnedRun } from '../automation/pinned-run.js';
import { recordDelivery } from './delivery-log.js';
import { installedRelease } from './installed-releases.js';
import { callPlugin } from './plugin-call.js';
import { callViewOf, contactViewOf } from './plugin-views.js';

export interface PluginStepInput {
  pinned: PinnedRun;
  stepId: string;
  pluginId: string;
  step: string;
  settings: Record<string, unknown>;
  maxAttempts: number;
}

export type PluginStepOutcome = { kind: 'done'; summary: string } | { kind: 'failed'; reason: string };

/**
 * A snapshot workflow's `plugin` step: the plugin installed in the sub-account now runs it, with
 * the run and step as its delivery id (so a retry is the same delivery). Failures retry with the
 * step's retries; a refusal (StepFailure, HTTP 422) and the last failure end the step as failed.
 */
export async function runPluginStep(deps: ActivityDeps, input: PluginStepInput, attempt: number): Promise<PluginStepOutcome> {
  const { pinned } = input;
  const pinnedPlugin = pinned.plugins?.find((plugin) => plugin.pluginId === input.pluginId);
  const release = pinnedPlugin ? await installedRelease(deps, pinnedPlugin.installationId) : null;
  if (!release) return { kind: 'failed', reason: `plugin ${input.pluginId} is not installed (or is disabled) in this sub-account` };
  const declared = release.manifest.steps[input.step];
  if (!declared) return { kind: 'failed', reason: `plugin ${input.pluginId} ${release.version} has no step "${input.step}"` };
  const em = deps.orm.em.fork();
  const contact = await contactViewOf(em, pinned.contact.id, release.manifest);
  if (!contact) return { kind: 'failed', reason: 'the contact no longer exists' };
  const call = pinned.trigger.callSid ? await callViewOf(em, pinned.trigger.callSid) : null;
  const deliveryId = `${pinned.runId}/${input.stepId}`;
  const result = await callPlugin(
    deps,
    release,
    { type: 'step', name: input.step, input: { with: input.settings, contact, call, runId: pinned.runId, stepId: input.stepId } },
    { deliveryId, attempt, timeoutMs: declared.timeoutMs },
  );
  const record = { deliveryId, attempt, subAccountId: pinned.subAccountId, pluginId: release.pluginId, pluginVersion: release.version, kind: 'step' as const, name: input.step, callSid: pinned.trigger.callSid, httpStatus: result.httpStatus, latencyMs: result.latencyMs };
  if (result.ok) {
    const summary = (result.answer as StepResult | undefined)?.summary ?? `${input.pluginId}.${input.step} done`;
    await recordDelivery(deps, { ...record, outcome: 'ok', detail: summary });
    return { kind: 'done', summary };
  }
  const final = !result.retryable || attempt >= input.maxAttempts;
  await recordDelivery(deps, { ...record, outcome: final ? 'failed' : 'retrying', detail: result.reason });
  if (!final) throw ApplicationFailure.retryable(`plugin ${release.pluginId}: ${result.reason}`, 'PluginAttemptFailed');
  return { kind: 'failed', reason: `${input.pluginId}.${input.step}: ${result.reason}` };
}
