import { describeOpening, isOpenAt, localDate, nextOpening } from '@mctb/business-hours';
import { AutomationStore, TextBackStore } from '@mctb/db';
import { renderTemplate, TemplateRenderError, type MergeContext } from '@mctb/templates';
import type { ActivityDeps } from '../deps.js';
import type { PinnedRun } from './pinned-run.js';

export interface PrepareSmsInput {
  pinned: PinnedRun;
  /** Key into the pinned templates. */
  template: string;
  /** The send's id (run and step): the daily cap counts it once, however often this is retried. */
  intentId: string;
  /** The run's first text for its missed call: a text from the caller since the run began cancels it. */
  firstText: boolean;
  /** The workflow's clock (epoch ms). */
  asOf: number;
}

/** A skip that `stopsRun` ends the automation (the contact opted out, or started the conversation). */
/** The contact as the run's opening found it (checked for opt-out and conversation then). */
export type OpenedContact = { firstName: string; lastName: string; phone: string };

export type PreparedSms = { kind: 'ready'; body: string } | { kind: 'skip'; reason: string; stopsRun: boolean } | { kind: 'failed'; reason: string };

/**
 * Right before an automated text: the checks that can change while a run waits (opt-out, the
 * automations turned off, the caller texting first, the daily cap) and the text rendered for this contact now, from the pinned
 * template and custom values. Business hours merge fields are computed at the workflow's time.
 */
export async function prepareAutomatedSms(deps: ActivityDeps, input: PrepareSmsInput, openedWith?: OpenedContact): Promise<PreparedSms> {
  const { pinned, asOf } = input;
  const store = new AutomationStore(deps.orm);
  // Opening the run just read the contact and the snapshot; a text prepared later reads them again.
  let contact: OpenedContact | null = openedWith ?? null;
  if (!contact) {
    const facts = await store.contactFacts(pinned.contact.id);
    if (!facts) return { kind: 'failed', reason: 'the contact was deleted' };
    if (facts.optedOutAt) return { kind: 'skip', reason: 'excluded: the contact has opted out of texts', stopsRun: true };
    const off = await new TextBackStore(deps.orm).automationOff(pinned.subAccountId, pinned.trigger.origin);
    if (off) return { kind: 'skip', reason: off, stopsRun: true };
    if (input.firstText && facts.lastInboundAt && facts.lastInboundAt.getTime() >= pinned.startedAt) {
      return { kind: 'skip', reason: 'the caller texted first', stopsRun: true };
    }
    contact = facts;
  }
  const cap = pinned.exclusions.dailyCap;
  const day = localDate(pinned.zone, new Date(asOf));
  if (cap !== null && !(await store.reserveAutomatedText({ subAccountId: pinned.subAccountId, day, intentId: input.intentId, cap }))) return { kind: 'skip', reason: `excluded: the daily cap of ${cap} automated texts for this sub-account is reached`, stopsRun: false };

  const source = pinned.templates[input.template];
  if (source === undefined) return { kind: 'failed', reason: `template "${input.template}" is missing` };
  try {
    return { kind: 'ready', body: await renderTemplate(source, mergeContextOf(pinned, contact, asOf)) };
  } catch (error) {
    if (error instanceof TemplateRenderError) return { kind: 'failed', reason: `template: ${error.message}` };
    throw error;
  }
}

/** The merge fields of a run at a moment: the contact as it is now, the pinned values, the hours then. */
export function mergeContextOf(pinned: PinnedRun, contact: { firstName: string; lastName: string; phone: string }, asOf: number): MergeContext {
  const now = new Date(asOf);
  const merge: MergeContext = {
    contact: { first_name: contact.firstName, last_name: contact.lastName, phone: contact.phone },
    location: { name: pinned.businessName, phone: pinned.from, booking_link: pinned.customValues.booking_link ?? '' },
    custom_values: pinned.customValues,
    call: { outcome: pinned.trigger.outcome ?? '' },
    ...(pinned.trigger.messageBody !== undefined ? { message: { body: pinned.trigger.messageBody } } : {}),
  };
  const hours = pinned.businessHours;
  if (hours) {
    const opening = nextOpening(hours, pinned.zone, now);
    merge.business_hours = {
      is_open: String(isOpenAt(hours, pinned.zone, now)),
      next_open: opening === null ? '' : describeOpening(opening, now, pinned.zone),
    };
  }
  return merge;
}
