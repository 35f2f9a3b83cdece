import { MAX_PAUSE_DAYS, pauseAutomations, resumeAutomations } from '@mctb/control';
import type { SubAccount } from '@mctb/db';
import { builder } from '../builder.js';
import { unwrap, NotFoundError, ValidationError } from '../errors.js';
import { SubAccountRef } from './sub-account.js';

interface Pause {
  from: Date;
  until: Date;
  reason: string | null;
}

const AutomationsPauseRef = builder.objectRef<Pause>('AutomationsPause').implement({
  description: 'A downtime window: missed calls in it are recorded as skipped ("paused") and not texted back.',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    until: t.expose('until', { type: 'DateTime' }),
    reason: t.string({ nullable: true, resolve: (pause) => pause.reason }),
    active: t.boolean({ description: 'True while now is inside the window.', resolve: (pause) => pause.from.getTime() <= Date.now() && Date.now() < pause.until.getTime() }),
  }),
});

builder.objectField(SubAccountRef, 'automationsPause', (t) =>
  t.field({
    type: AutomationsPauseRef,
    nullable: true,
    description: 'The pause that is on or still to come; null when there is none (or it has ended).',
    resolve: (subAccount) => pauseOf(subAccount),
  }),
);

function pauseOf(subAccount: SubAccount): Pause | null {
  const { automationsPausedFrom: from, automationsPausedUntil: until } = subAccount;
  if (!from || !until || until.getTime() <= Date.now()) return null;
  return { from, until, reason: subAccount.automationsPausedReason };
}

const PauseAutomationsInput = builder.inputType('PauseAutomationsInput', {
  fields: (t) => ({
    subAccountId: t.id({ required: true }),
    from: t.field({ type: 'DateTime', description: 'When the pause starts; omitted: now.' }),
    until: t.field({ type: 'DateTime', required: true, description: `In the future, after \`from\`, at most ${MAX_PAUSE_DAYS} days after it.` }),
    reason: t.string({ description: 'At most 200 characters, one line, e.g. "closed for the holidays".' }),
  }),
});

const PauseAutomationsPayload = builder.objectRef<{ subAccount: SubAccount }>('AutomationsPausePayload').implement({
  fields: (t) => ({ subAccount: t.field({ type: SubAccountRef, resolve: (payload) => payload.subAccount }) }),
});

builder.mutationField('pauseAutomations', (t) =>
  t.field({
    type: PauseAutomationsPayload,
    description: "Pauses the sub-account's text-back for a downtime window, replacing any pause set before.",
    errors: { types: [ValidationError, NotFoundError] },
    args: { input: t.arg({ type: PauseAutomationsInput, required: true }) },
    resolve: async (_root, { input }, { em, viewer }) => ({ subAccount: unwrap(await pauseAutomations(em, viewer, input)) }),
  }),
);

builder.mutationField('resumeAutomations', (t) =>
  t.field({
    type: PauseAutomationsPayload,
    description: 'Ends or cancels the pause: missed calls are texted back again.',
    errors: { types: [NotFoundError] },
    args: { subAccountId: t.arg.id({ required: true }) },
    resolve: async (_root, { subAccountId }, { em, viewer }) => ({ subAccount: unwrap(await resumeAutomations(em, viewer, subAccountId)) }),
  }),
);
