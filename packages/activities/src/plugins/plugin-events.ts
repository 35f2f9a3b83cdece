import { Contact, Message, SubAccount } from '@mctb/db';
import { pluginEventWorkflowId, TEXT_BACK_TASK_QUEUE } from '@mctb/domain';
import type { HookEvents, HookName } from '@mctb/plugin-sdk';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from '../deps.js';
import { recordDelivery } from './delivery-log.js';
import { installedRelease, installedReleases, pinnedPlugin, type PinnedPlugin } from './installed-releases.js';
import { callPlugin } from './plugin-call.js';
import { callViewOf, contactViewOf } from './plugin-views.js';

/** Hooks that only tell a plugin what happened: delivered by their own workflow, off every text's path. */
export type EventHook = Extract<HookName, 'textback.sent' | 'message.received' | 'subaccount.provisioned'>;

/** What happened, as ids: the event's data is read when the event workflow starts. */
export type EventSubject =
  | { hook: 'textback.sent'; callSid: string; contactId: string; body: string; messageId: string }
  | { hook: 'message.received'; contactPhone: string; messageSid: string; body: string | null; receivedAt: number }
  | { hook: 'subaccount.provisioned'; snapshot: { slug: string; version: number } };

export interface PluginEventInput {
  subAccountId: string;
  /** Names the event for good (a MessageSid, a send's id, a provisioning target): one workflow per event. */
  eventKey: string;
  subject: EventSubject;
}

/**
 * Starts the event's delivery workflow when an enabled installation has the hook; a retried
 * announcement finds it started. Touches only our own infrastructure: it retries until it succeeds.
 */
export async function announcePluginEvent(deps: ActivityDeps, input: PluginEventInput): Promise<{ started: boolean }> {
  const releases = await installedReleases(deps, input.subAccountId);
  if (!releases.some((release) => release.manifest.hooks[input.subject.hook] !== undefined)) return { started: false };
  try {
    await deps.temporal.workflow.start('pluginEventWorkflow', {
      taskQueue: TEXT_BACK_TASK_QUEUE,
      workflowId: pluginEventWorkflowId(input.subAccountId, input.subject.hook, input.eventKey),
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return { started: true };
}

/** The event as plugins receive it, and who receives it; null when what it is about is gone. */
export async function preparePluginEvent(deps: ActivityDeps, input: PluginEventInput): Promise<{ event: object; targets: PinnedPlugin[] } | null> {
  const releases = (await installedReleases(deps, input.subAccountId)).filter((release) => release.manifest.hooks[input.subject.hook] !== undefined);
  if (releases.length === 0) return null;
  const em = deps.orm.em.fork();
  const { subject } = input;
  let event: HookEvents[EventHook];
  if (subject.hook === 'subaccount.provisioned') {
    const subAccount = await em.findOne(SubAccount, input.subAccountId);
    if (!subAccount) return null;
    event = { subAccountId: subAccount.id, name: subAccount.name, snapshot: subject.snapshot };
  } else if (subject.hook === 'textback.sent') {
    const call = await callViewOf(em, subject.callSid);
    if (!call) return null;
    // Contact fields follow each plugin's permissions; the fullest view is cut per plugin at delivery.
    const message = await em.findOne(Message, { id: subject.messageId }, { fields: ['providerMessageId'] });
    event = {
      call,
      contact: { id: subject.contactId, phone: call.from ?? '', firstName: '', lastName: '', tags: [] },
      body: subject.body,
      messageId: subject.messageId,
      providerMessageId: message?.providerMessageId ?? null,
    };
  } else {
    const contact = await em.findOne(Contact, { subAccount: input.subAccountId, phone: subject.contactPhone });
    if (!contact) return null;
    // The text itself is stored by intake; the announcement carries only its id.
    const stored = subject.body === null ? await em.findOne(Message, { providerMessageId: subject.messageSid }, { fields: ['body'] }) : null;
    event = {
      subAccountId: input.subAccountId,
      contact: { id: contact.id, phone: contact.phone, firstName: '', lastName: '', tags: [] },
      body: subject.body ?? stored?.body ?? '',
      messageSid: subject.messageSid,
      receivedAt: new Date(subject.receivedAt).toISOString(),
    };
  }
  return { event, targets: releases.map(pinnedPlugin) };
}

export interface DeliverEventInput {
  plugin: PinnedPlugin;
  subAccountId: string;
  hook: EventHook;
  event: object;
  deliveryId: string;
  maxAttempts: number;
}

/**
 * Delivers one event to one plugin. A failed attempt throws (Temporal retries it with backoff and
 * the same delivery id) until the plugin's retries are spent; the last failure is recorded and ends it.
 */
export async function deliverPluginEvent(deps: ActivityDeps, input: DeliverEventInput, attempt: number): Promise<{ delivered: boolean; detail: string }> {
  const release = await installedRelease(deps, input.plugin.installationId);
  const policy = input.plugin.hooks[input.hook];
  if (!release || !policy) return { delivered: false, detail: 'the plugin was uninstalled or disabled' };
  const event = await withPermittedContact(deps, input.event, release.manifest);
  const result = await callPlugin(deps, release, { type: 'hook', name: input.hook, event }, { deliveryId: input.deliveryId, attempt, timeoutMs: policy.timeoutMs });
  const callSid = 'call' in input.event ? ((input.event as { call: { callSid: string } }).call.callSid ?? null) : null;
  const record = { deliveryId: input.deliveryId, attempt, subAccountId: input.subAccountId, pluginId: release.pluginId, pluginVersion: release.version, kind: 'hook' as const, name: input.hook, callSid, httpStatus: result.httpStatus, latencyMs: result.latencyMs };
  if (result.ok) {
    await recordDelivery(deps, { ...record, outcome: 'ok', detail: 'delivered' });
    return { delivered: true, detail: 'delivered' };
  }
  const final = !result.retryable || attempt >= input.maxAttempts;
  await recordDelivery(deps, { ...record, outcome: final ? 'failed' : 'retrying', detail: result.reason });
  if (!final) throw ApplicationFailure.retryable(`plugin ${release.pluginId}: ${result.reason}`, 'PluginAttemptFailed');
  return { delivered: false, detail: result.reason };
}

/** Fills the event's contact as far as the plugin may see it. */
async function withPermittedContact(deps: ActivityDeps, event: object, manifest: Parameters<typeof contactViewOf>[2]): Promise<object> {
  const contact = (event as { contact?: { id: string } }).contact;
  if (!contact) return event;
  const view = await contactViewOf(deps.orm.em.fork(), contact.id, manifest);
  return view ? { ...event, contact: view } : event;
}
