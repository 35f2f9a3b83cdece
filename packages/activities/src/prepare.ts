import { Call, Contact, Message, PhoneNumber, Provisioning, type EntityManager } from '@mctb/db';
import { formatWindow } from '@mctb/domain';
import { renderTemplate, TemplateRenderError, type MergeContext } from '@mctb/templates';
import type { ActivityDeps } from './deps.js';

export type PreparedTextBack =
  | { kind: 'ready'; contactId: string; callId: string; body: string; from: string; provider: string }
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
 * Everything before the send that needs the database: the contact (a new caller becomes a lead),
 * exclusions, and the provisioned template rendered for this caller.
 */
export async function prepareTextBack(deps: ActivityDeps, input: PrepareInput): Promise<PreparedTextBack> {
  const em = deps.orm.em.fork();
  const call = await em.findOne(Call, { callSid: input.triggerCallSid, subAccount: input.subAccountId });
  if (!call) return { kind: 'failed', reason: `call ${input.triggerCallSid} is not stored` };
  const provisioning = await em.getRepository(Provisioning).forSubAccount(input.subAccountId);
  if (!provisioning) return { kind: 'skip', reason: 'not provisioned: no snapshot runs in this sub-account' };

  const number = await em.findOne(PhoneNumber, { e164: call.toNumber });
  if (!number?.smsCapable) return { kind: 'failed', reason: `the number ${call.toNumber} cannot send SMS` };

  const { contact } = await em.getRepository(Contact).findOrCreateByPhone(input.subAccountId, input.callerPhone, 'missed_call');
  if (!call.contact) await em.nativeUpdate(Call, { id: call.id }, { contact: contact.id });
  if (contact.optedOutAt) return { kind: 'skip', reason: 'excluded: the contact has opted out of texts' };
  const recent = await recentConversation(em, contact.id, call.id, input);
  if (recent) return { kind: 'skip', reason: recent };

  const { definition } = provisioning.snapshotVersion;
  const template = definition.templates[definition.textBack.template];
  if (template === undefined) return { kind: 'failed', reason: `template "${definition.textBack.template}" is missing` };
  const context: MergeContext = {
    contact: { first_name: contact.firstName, last_name: contact.lastName, phone: contact.phone },
    location: {
      name: provisioning.subAccount.name,
      phone: call.toNumber,
      booking_link: provisioning.customValues.booking_link ?? '',
    },
    custom_values: provisioning.customValues,
    call: { outcome: call.outcome ?? '' },
  };
  try {
    const body = await renderTemplate(template, context);
    return { kind: 'ready', contactId: contact.id, callId: call.id, body, from: call.toNumber, provider: provisioning.subAccount.smsProvider };
  } catch (error) {
    if (error instanceof TemplateRenderError) return { kind: 'failed', reason: `template: ${error.message}` };
    throw error;
  }
}

/**
 * Inside the dedup window a canned text is wrong when the caller already texted us (the
 * conversation is under way) or got a text-back from an earlier run (one per window, even when a
 * workflow was lost and re-driven). Returns the skip reason, or null.
 */
async function recentConversation(em: EntityManager, contactId: string, triggerCallId: string, input: PrepareInput): Promise<string | null> {
  if (input.dedupWindowSeconds <= 0) return null;
  const since = new Date(input.asOf - input.dedupWindowSeconds * 1000);
  const window = formatWindow(input.dedupWindowSeconds);
  const texted = await em.count(Message, { contact: contactId, direction: 'inbound', createdAt: { $gte: since } });
  if (texted > 0) return `conversation: the caller texted within the last ${window}`;
  const textedBack = await em.count(Message, {
    contact: contactId,
    direction: 'outbound',
    call: { $ne: null, $nin: [triggerCallId] },
    createdAt: { $gte: since },
  });
  if (textedBack > 0) return `dedup: already texted within the ${window} window`;
  return null;
}
