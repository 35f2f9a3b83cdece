import { PluginInstallation, TextBackStore, type TextBackContext } from '@mctb/db';
import { formatWindow } from '@mctb/domain';
import { renderTemplate, TemplateRenderError, type MergeContext } from '@mctb/templates';
import type { ActivityDeps } from './deps.js';

export type PreparedTextBack =
  /** `hooks`: an installed plugin wants to see the text before it goes (textback.beforeSend). */
  | { kind: 'ready'; contactId: string; callId: string; body: string; from: string; provider: string; hooks: boolean }
  | { kind: 'skip'; reason: string }
  | { kind: 'failed'; reason: string };

export interface PrepareInput {
  subAccountId: string;
  callerPhone: string;
  triggerCallSid: string;
  /** The plan's dedup window; 0 for "every missed call". */
  dedupWindowSeconds: number;
  /** The workflow's clock (epoch ms): windows are measured in workflow time. */
  asOf: number;
}

/**
 * Everything before the send that needs the database, in three round trips: the call with its
 * number, business and snapshot; the contact (a new caller becomes a lead); exclusions; and the
 * provisioned template rendered for this caller.
 */
export async function prepareTextBack(deps: ActivityDeps, input: PrepareInput, known?: TextBackContext | null): Promise<PreparedTextBack> {
  const store = new TextBackStore(deps.orm);
  const context = known ?? (await store.context(input.subAccountId, input.triggerCallSid));
  if (!context) return { kind: 'failed', reason: `call ${input.triggerCallSid} is not stored` };
  const { call, provisioned } = context;
  if (!provisioned) return { kind: 'skip', reason: 'not provisioned: no snapshot runs in this sub-account' };
  if (!context.smsCapable) return { kind: 'failed', reason: `the number ${call.toNumber} cannot send SMS` };

  const contact = await store.contact(input.subAccountId, input.callerPhone, 'missed_call');
  const window = input.dedupWindowSeconds;
  const recent = await store.linkAndLookBack(call.id, contact.id, new Date(input.asOf - window * 1000));
  if (contact.optedOutAt) return { kind: 'skip', reason: 'excluded: the contact has opted out of texts' };
  // Inside the dedup window a canned text is wrong when the caller already texted us (the
  // conversation is under way) or got a text-back from an earlier run (one per window, even when a
  // workflow was lost and re-driven).
  if (window > 0 && recent.texted) return { kind: 'skip', reason: `conversation: the caller texted within the last ${formatWindow(window)}` };
  if (window > 0 && recent.textedBack) return { kind: 'skip', reason: `dedup: already texted within the ${formatWindow(window)} window` };

  const { definition, customValues } = provisioned;
  const template = definition.templates[definition.textBack.template];
  if (template === undefined) return { kind: 'failed', reason: `template "${definition.textBack.template}" is missing` };
  const merge: MergeContext = {
    contact: { first_name: contact.firstName, last_name: contact.lastName, phone: contact.phone },
    location: { name: context.business.name, phone: call.toNumber, booking_link: customValues.booking_link ?? '' },
    custom_values: customValues,
    call: { outcome: call.outcome ?? '' },
  };
  try {
    const body = await renderTemplate(template, merge);
    const hooks = context.hasPlugins && (await hasBeforeSendHooks(deps, input.subAccountId));
    return { kind: 'ready', contactId: contact.id, callId: call.id, body, from: call.toNumber, provider: context.business.smsProvider, hooks };
  } catch (error) {
    if (error instanceof TemplateRenderError) return { kind: 'failed', reason: `template: ${error.message}` };
    throw error;
  }
}

/** Whether an installed plugin has a textback.beforeSend hook (asked only when plugins are installed). */
export async function hasBeforeSendHooks(deps: ActivityDeps, subAccountId: string): Promise<boolean> {
  const installed = await deps.orm.em.fork().find(PluginInstallation, { subAccount: subAccountId, enabled: true }, { fields: ['pluginId'] });
  return installed.some((installation) => deps.plugins.get(installation.pluginId)?.hooks['textback.beforeSend'] !== undefined);
}
