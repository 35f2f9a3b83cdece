import { CallStore } from '@mctb/db';
import type { CallOutcome } from '@mctb/domain';
import type { BeforeSendDecision, CallCompletedDecision } from '@mctb/plugin-sdk';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps.js';
import { recordDelivery } from './delivery-log.js';
import { installedRelease, type PinnedPlugin } from './installed-releases.js';
import { callPlugin } from './plugin-call.js';
import { callViewOf, contactViewOf } from './plugin-views.js';

export interface DecisionHookInput {
  plugin: PinnedPlugin;
  subAccountId: string;
  callSid: string;
  /** The same on every attempt: the plugin dedupes on it. */
  deliveryId: string;
  /** The hook's retries + 1: the attempt that reaches it applies the failure policy. */
  maxAttempts: number;
}

export type BeforeSendVerdict = { veto: false } | { veto: true; reason: string; pluginId: string };

/**
 * Asks one plugin whether the text may go out. A failure (timeout, error, garbage answer) is
 * retried while attempts remain, then counts as "no opinion" or as a veto, as the plugin declares;
 * every attempt is recorded in plugin_deliveries.
 */
export async function callBeforeSendHook(
  deps: ActivityDeps,
  input: DecisionHookInput & { contactId: string; body: string },
  attempt: number,
): Promise<BeforeSendVerdict> {
  const release = await installedRelease(deps, input.plugin.installationId);
  const policy = input.plugin.hooks['textback.beforeSend'];
  // Uninstalled or disabled since the run began: it has no say any more.
  if (!release || !policy) return { veto: false };
  const em = deps.orm.em.fork();
  const [call, contact] = await Promise.all([callViewOf(em, input.callSid), contactViewOf(em, input.contactId, release.manifest)]);
  if (!call || !contact) return { veto: false };
  const result = await callPlugin(deps, release, { type: 'hook', name: 'textback.beforeSend', event: { call, contact, body: input.body } }, { deliveryId: input.deliveryId, attempt, timeoutMs: policy.timeoutMs });
  const record = { deliveryId: input.deliveryId, attempt, subAccountId: input.subAccountId, pluginId: release.pluginId, pluginVersion: release.version, kind: 'hook' as const, name: 'textback.beforeSend', callSid: input.callSid };
  if (result.ok) {
    const decision = result.answer as BeforeSendDecision;
    await recordDelivery(deps, { ...record, httpStatus: result.httpStatus, latencyMs: result.latencyMs, outcome: decision.veto ? 'vetoed' : 'ok', detail: decision.veto ? decision.reason : 'no objection' });
    return decision.veto ? { veto: true, reason: decision.reason, pluginId: release.pluginId } : { veto: false };
  }
  if (result.retryable && attempt < input.maxAttempts) {
    await recordDelivery(deps, { ...record, httpStatus: result.httpStatus, latencyMs: result.latencyMs, outcome: 'retrying', detail: result.reason });
    throw ApplicationFailure.retryable(`plugin ${release.pluginId}: ${result.reason}`, 'PluginAttemptFailed');
  }
  const closed = policy.failurePolicy === 'closed';
  await recordDelivery(deps, { ...record, httpStatus: result.httpStatus, latencyMs: result.latencyMs, outcome: closed ? 'failed_closed' : 'failed_open', detail: result.reason });
  return closed ? { veto: true, reason: `plugin ${release.pluginId} failed closed: ${result.reason}`, pluginId: release.pluginId } : { veto: false };
}

/** `outcome`: the call's outcome after the plugin reclassified it; null when it did not change it. */
export type CallCompletedResult = { outcome: CallOutcome | null; pluginId: string };

/**
 * Shows one plugin the completed call; with the "calls:classify" permission its answer may
 * reclassify the outcome (recorded as reported by `plugin:<id>`). A failure changes nothing.
 */
export async function callCallCompletedHook(deps: ActivityDeps, input: DecisionHookInput, attempt: number): Promise<CallCompletedResult> {
  const release = await installedRelease(deps, input.plugin.installationId);
  const policy = input.plugin.hooks['call.completed'];
  const unchanged = { outcome: null, pluginId: input.plugin.pluginId };
  if (!release || !policy) return unchanged;
  const call = await callViewOf(deps.orm.em.fork(), input.callSid);
  if (!call) return unchanged;
  const result = await callPlugin(deps, release, { type: 'hook', name: 'call.completed', event: { call } }, { deliveryId: input.deliveryId, attempt, timeoutMs: policy.timeoutMs });
  const record = { deliveryId: input.deliveryId, attempt, subAccountId: input.subAccountId, pluginId: release.pluginId, pluginVersion: release.version, kind: 'hook' as const, name: 'call.completed', callSid: input.callSid };
  if (!result.ok) {
    const final = !result.retryable || attempt >= input.maxAttempts;
    await recordDelivery(deps, { ...record, httpStatus: result.httpStatus, latencyMs: result.latencyMs, outcome: final ? 'failed_open' : 'retrying', detail: result.reason });
    if (!final) throw ApplicationFailure.retryable(`plugin ${release.pluginId}: ${result.reason}`, 'PluginAttemptFailed');
    return unchanged;
  }
  const wanted = (result.answer as CallCompletedDecision | undefined)?.outcome;
  const base = { httpStatus: result.httpStatus, latencyMs: result.latencyMs };
  if (!wanted || wanted === call.outcome) {
    await recordDelivery(deps, { ...base, ...record, outcome: 'ok', detail: 'no change' });
    return unchanged;
  }
  if (!release.manifest.permissions.includes('calls:classify')) {
    await recordDelivery(deps, { ...base, ...record, outcome: 'ok', detail: `asked to reclassify the call as ${wanted} without the calls:classify permission; ignored` });
    return unchanged;
  }
  const change = await new CallStore(deps.orm).recordOutcome(input.callSid, { outcome: wanted, source: `plugin:${release.pluginId}` });
  const detail = change.changed ? `reclassified ${call.outcome ?? 'unknown'} → ${change.call.outcome}` : `asked for ${wanted}; ${call.outcome ?? 'unknown'} stands (a stronger outcome was already known)`;
  await recordDelivery(deps, { ...base, ...record, outcome: change.changed ? 'reclassified' : 'ok', detail });
  return change.changed ? { outcome: change.call.outcome, pluginId: release.pluginId } : unchanged;
}
