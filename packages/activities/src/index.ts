import type { SendRequest } from '@mctb/sms';
import type { ActivityDeps } from './deps.js';
import { runBeforeSendHooks } from './hooks.js';
import { loadTextBackPlan } from './plan.js';
import { prepareTextBack } from './prepare.js';
import { openTextBack } from './open.js';
import { recordTextBackStatus, sendTextBack, settleCalls } from './send.js';
import { storeUnstoredCall } from './store-unstored-call.js';

export type { ActivityDeps } from './deps.js';
export type { HookVerdict } from './hooks.js';
export type { LoadedPlan } from './plan.js';
export type { PreparedTextBack, PrepareInput } from './prepare.js';
export type { OpenedTextBack, OpenTextBackInput } from './open.js';

/** The worker's activities, bound to their dependencies (`createActivities(deps)`). */
export function createActivities(deps: ActivityDeps) {
  return {
    openTextBack: (input: Parameters<typeof openTextBack>[1]) => openTextBack(deps, input),
    prepareTextBack: (input: Parameters<typeof prepareTextBack>[1]) => prepareTextBack(deps, input),
    runBeforeSendHooks: (input: Parameters<typeof runBeforeSendHooks>[1]) => runBeforeSendHooks(deps, input),
    sendTextBack: (input: SendRequest & { recordFor?: string }) => sendTextBack(deps, input),
    settleCalls: (input: Parameters<typeof settleCalls>[1]) => settleCalls(deps, input),
    // Still scheduled by runs that started before openTextBack and settleCalls (textback-workflow-v1.ts).
    loadTextBackPlan: (input: { subAccountId: string }) => loadTextBackPlan(deps, input),
    storeUnstoredCall: (input: Parameters<typeof storeUnstoredCall>[1]) => storeUnstoredCall(deps, input),
    recordTextBackStatus: (input: Parameters<typeof recordTextBackStatus>[1]) => recordTextBackStatus(deps, input),
  };
}

export type TextBackActivities = ReturnType<typeof createActivities>;
