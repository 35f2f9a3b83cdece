import type { SendRequest } from '@mctb/sms';
import { Context } from '@temporalio/activity';
import type { ActivityDeps } from './deps.js';
import { runBeforeSendHooks } from './hooks.js';
import { loadTextBackPlan } from './plan.js';
import { prepareTextBack } from './prepare.js';
import { openTextBack } from './open.js';
import { recordTextBackStatus, sendTextBack, settleCalls } from './send.js';
import { storeUnstoredCall } from './store-unstored-call.js';
import { changeContactTags, loadContactFacts, repliedSince } from './automation/contact-steps.js';
import { createCallbackTask } from './automation/create-task.js';
import { openMissedCallRun } from './automation/open-run.js';
import { openTriggeredRun } from './automation/open-triggered-run.js';
import { prepareAutomatedSms } from './automation/prepare-sms.js';
import { recordChildRun, recordRunProgress } from './automation/run-progress.js';
import { startAutomation } from './automation/start-workflow.js';
import { sendNotification } from './automation/notify.js';
import { deliverWebhook } from './automation/webhook-delivery.js';
import { finishProvisioning, provisionTargets } from './provisioning/provision-targets.js';
import { announcePluginEvent, deliverPluginEvent, preparePluginEvent } from './plugins/plugin-events.js';
import { callBeforeSendHook, callCallCompletedHook } from './plugins/plugin-hooks.js';
import { runPluginStep } from './plugins/plugin-steps.js';

export type { ActivityDeps } from './deps.js';
export type { HookVerdict } from './hooks.js';
export type { LoadedPlan } from './plan.js';
export type { PreparedTextBack, PrepareInput } from './prepare.js';
export type { OpenedTextBack, OpenTextBackInput } from './open.js';
export type { ContactFactsView, TagChange } from './automation/contact-steps.js';
export type { CreatedTask, CreateTaskInput } from './automation/create-task.js';
export type { OpenRunInput } from './automation/open-run.js';
export type { OpenTriggeredRunInput, RunTrigger } from './automation/open-triggered-run.js';
export type { OpenedRun, PinnedRun } from './automation/pinned-run.js';
export type { PreparedSms, PrepareSmsInput } from './automation/prepare-sms.js';
export type { RunProgress, StepEntry } from './automation/run-progress.js';
export type { NotifyInput, NotifyOutcome } from './automation/notify.js';
export type { WebhookInput } from './automation/webhook-delivery.js';
export type { ProvisionedCounts, ProvisionTargetsInput } from './provisioning/provision-targets.js';
export { createSmtpMailer, MailRefusedError, type MailReceipt, type Mailer, type OutgoingMail, type SmtpMailerOptions } from './mailer.js';
export { isPrivateAddress } from '@mctb/plugin-sdk';
export { MAX_RESPONSE_BYTES, postWebhook, WebhookRefusedError, type PostOptions, type WebhookResponse } from './automation/webhook-http.js';
export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  signWebhook,
  verifyWebhookSignature,
  type SignatureCheck,
  type VerifyOptions,
} from '@mctb/plugin-sdk';

export type { PinnedPlugin } from './plugins/installed-releases.js';
export type { BeforeSendVerdict, CallCompletedResult, DecisionHookInput } from './plugins/plugin-hooks.js';
export type { DeliverEventInput, EventHook, EventSubject, PluginEventInput } from './plugins/plugin-events.js';
export type { PluginStepInput, PluginStepOutcome } from './plugins/plugin-steps.js';

/** The worker's activities, bound to their dependencies (`createActivities(deps)`). */
export function createActivities(deps: ActivityDeps) {
  return {
    openTextBack: (input: Parameters<typeof openTextBack>[1]) => openTextBack(deps, input),
    prepareTextBack: (input: Parameters<typeof prepareTextBack>[1]) => prepareTextBack(deps, input),
    runBeforeSendHooks: (input: Parameters<typeof runBeforeSendHooks>[1]) => runBeforeSendHooks(deps, input),
    sendTextBack: (input: SendRequest & { recordFor?: string }) => sendTextBack(deps, input),
    settleCalls: (input: Parameters<typeof settleCalls>[1]) => settleCalls(deps, input),
    // The automation interpreter's steps (packages/workflows/src/automation).
    openMissedCallRun: (input: Parameters<typeof openMissedCallRun>[1]) => openMissedCallRun(deps, input),
    openTriggeredRun: (input: Parameters<typeof openTriggeredRun>[1]) => openTriggeredRun(deps, input),
    prepareAutomatedSms: (input: Parameters<typeof prepareAutomatedSms>[1]) => prepareAutomatedSms(deps, input),
    loadContactFacts: (input: Parameters<typeof loadContactFacts>[1]) => loadContactFacts(deps, input),
    repliedSince: (input: Parameters<typeof repliedSince>[1]) => repliedSince(deps, input),
    changeContactTags: (input: Parameters<typeof changeContactTags>[1]) => changeContactTags(deps, input),
    createCallbackTask: (input: Parameters<typeof createCallbackTask>[1]) => createCallbackTask(deps, input),
    recordRunProgress: (input: Parameters<typeof recordRunProgress>[1]) => recordRunProgress(deps, input),
    startAutomation: (input: Parameters<typeof startAutomation>[1]) => startAutomation(deps, input),
    recordChildRun: (input: Parameters<typeof recordChildRun>[1]) => recordChildRun(deps, input),
    sendNotification: (input: Parameters<typeof sendNotification>[1]) => sendNotification(deps, input),
    // The attempt number decides whether a failure is the last one (the step's retries + 1).
    deliverWebhook: (input: Parameters<typeof deliverWebhook>[1]) => deliverWebhook(deps, input, Context.current().info.attempt),
    // Plugins (packages/workflows/src/plugins): each call is one attempt; the last applies the plugin's failure policy.
    callBeforeSendHook: (input: Parameters<typeof callBeforeSendHook>[1]) => callBeforeSendHook(deps, input, Context.current().info.attempt),
    callCallCompletedHook: (input: Parameters<typeof callCallCompletedHook>[1]) => callCallCompletedHook(deps, input, Context.current().info.attempt),
    runPluginStep: (input: Parameters<typeof runPluginStep>[1]) => runPluginStep(deps, input, Context.current().info.attempt),
    deliverPluginEvent: (input: Parameters<typeof deliverPluginEvent>[1]) => deliverPluginEvent(deps, input, Context.current().info.attempt),
    announcePluginEvent: (input: Parameters<typeof announcePluginEvent>[1]) => announcePluginEvent(deps, input),
    preparePluginEvent: (input: Parameters<typeof preparePluginEvent>[1]) => preparePluginEvent(deps, input),
    // Provisioning runs (packages/workflows/src/provisioning).
    provisionTargets: (input: Parameters<typeof provisionTargets>[1]) => provisionTargets(deps, input),
    finishProvisioning: (input: Parameters<typeof finishProvisioning>[1]) => finishProvisioning(deps, input),
    // Still scheduled by runs that started before openTextBack and settleCalls (textback-workflow-v1.ts).
    loadTextBackPlan: (input: { subAccountId: string }) => loadTextBackPlan(deps, input),
    storeUnstoredCall: (input: Parameters<typeof storeUnstoredCall>[1]) => storeUnstoredCall(deps, input),
    recordTextBackStatus: (input: Parameters<typeof recordTextBackStatus>[1]) => recordTextBackStatus(deps, input),
  };
}

export type TextBackActivities = ReturnType<typeof createActivities>;
