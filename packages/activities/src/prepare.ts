import { Call, Contact, PhoneNumber, Provisioning } from '@mctb/db';
import { renderTemplate, TemplateRenderError, type MergeContext } from '@mctb/templates';
import type { ActivityDeps } from './deps.js';

export type PreparedTextBack =
  | { kind: 'ready'; contactId: string; callId: string; body: string; from: string; provider: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'failed'; reason: string };

/**
 * Everything before the send that needs the database: the contact (a new caller becomes a lead),
 * exclusions, and the provisioned template rendered for this caller.
 */
export async function prepareTextBack(
  deps: ActivityDeps,
  input: { subAccountId: string; callerPhone: string; triggerCallSid: string },
): Promise<PreparedTextBack> {
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
