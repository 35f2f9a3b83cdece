import { daysInRange, MetricsStore, MISSED_OUTCOMES, REPLY_WINDOW_DAYS, type MetricsDay, type MetricsFigures, type MetricsRange } from '@mctb/db';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { ValidationError } from '../errors.js';
import { SubAccountRef } from './sub-account.js';

/** The longest range one metrics query covers, in days (a leap year). */
export const MAX_METRICS_DAYS = 366;

const OutcomeCountRef = builder.objectRef<{ outcome: string; count: number }>('OutcomeCount').implement({
  fields: (t) => ({ outcome: t.exposeString('outcome', { description: `One of ${MISSED_OUTCOMES.join(', ')}.` }), count: t.exposeInt('count') }),
});

const SkipReasonCountRef = builder.objectRef<{ reason: string; count: number }>('SkipReasonCount').implement({
  fields: (t) => ({ reason: t.exposeString('reason', { description: 'As recorded on the call, e.g. "excluded: opted out".' }), count: t.exposeInt('count') }),
});

/** The figures a day and a whole range share; each missed call counts on the local day it came in. */
const MetricsFiguresRef = builder.interfaceRef<MetricsFigures>('MetricsFigures').implement({
  description: 'Missed-call text-back figures.',
  fields: (t) => ({
    missedCalls: t.exposeInt('missedCalls', { description: 'Calls no person answered (every outcome but answered; an AI answer counts).' }),
    byOutcome: t.field({
      type: [OutcomeCountRef],
      description: 'Missed calls by outcome, every outcome listed.',
      resolve: (figures) => MISSED_OUTCOMES.map((outcome) => ({ outcome, count: figures.byOutcome[outcome] })),
    }),
    textsSent: t.exposeInt('textsSent', { description: "Texts about these missed calls the provider accepted (the text-back and its run's follow-ups)." }),
    textsDelivered: t.exposeInt('textsDelivered', { description: 'Of those, reported delivered.' }),
    textsFailed: t.exposeInt('textsFailed', { description: 'Refused (by us, e.g. opted out, or by the provider) or undelivered.' }),
    textsSkipped: t.exposeInt('textsSkipped', { description: 'Missed calls whose text-back was skipped.' }),
    skippedByReason: t.field({ type: [SkipReasonCountRef], description: 'The skipped ones by reason, most frequent first.', resolve: (figures) => figures.skippedByReason }),
    textedCalls: t.exposeInt('textedCalls', { description: 'Missed calls that got a text.' }),
    replies: t.exposeInt('replies', { description: `Texted missed calls whose caller texted back within ${REPLY_WINDOW_DAYS} days of the text.` }),
    replyRate: t.exposeFloat('replyRate', { nullable: true, description: 'replies / textedCalls; null when nothing was texted.' }),
    secondsToTextMedian: t.exposeFloat('secondsToTextMedian', { nullable: true, description: "Median seconds from the call's end to its first text." }),
    secondsToTextP90: t.exposeFloat('secondsToTextP90', { nullable: true, description: '90th percentile of the same.' }),
    secondsToFirstHumanResponseMedian: t.exposeFloat('secondsToFirstHumanResponseMedian', {
      nullable: true,
      description: "Median seconds from a caller's first reply to the first text a team member sent them after it.",
    }),
    optOuts: t.exposeInt('optOuts', { description: 'Contacts who opted out (counted on the local day they did).' }),
    recoveredLeads: t.exposeInt('recoveredLeads', { description: "Missed calls whose caller replied, or whose run's callback task was completed." }),
  }),
});

const MetricsTotalsRef = builder.objectRef<MetricsFigures>('MetricsTotals').implement({
  description: 'The figures of a whole range; its medians are over all its calls, not medians of the days.',
  interfaces: [MetricsFiguresRef],
  isTypeOf: (value) => !('date' in (value as object)),
});

export const MetricsDayRef = builder.objectRef<MetricsDay>('MetricsDay').implement({
  description: "One local day's figures (the sub-account's own time zone; for an agency, each sub-account's).",
  interfaces: [MetricsFiguresRef],
  isTypeOf: (value) => 'date' in (value as object),
  fields: (t) => ({ date: t.expose('date', { type: 'Date' }) }),
});

const MetricsRef = builder.objectRef<MetricsRange>('Metrics').implement({
  description: 'Figures day by day from `from` to `to` (inclusive, every day listed) and over the whole range.',
  fields: (t) => ({
    from: t.expose('from', { type: 'Date' }),
    to: t.expose('to', { type: 'Date' }),
    days: t.field({ type: [MetricsDayRef], resolve: (range) => range.days }),
    totals: t.field({ type: MetricsTotalsRef, resolve: (range) => range.totals }),
  }),
});

/** from ≤ to, at most MAX_METRICS_DAYS days; each problem names its argument. */
function checkRange(from: string, to: string): void {
  if (to < from) throw new ValidationError([{ path: 'to', message: `must be on or after from (${from})` }]);
  if (daysInRange(from, to) > MAX_METRICS_DAYS) throw new ValidationError([{ path: 'to', message: `at most ${MAX_METRICS_DAYS} days from from (${from})` }]);
}

/** One loader per request and range: sub-accounts listed together are measured in one statement. */
const rangeLoaders = createContextCache(() => new Map<string, DataLoader<string, MetricsRange>>());
function rangeLoader(context: GraphQLContext, from: string, to: string): DataLoader<string, MetricsRange> {
  const loaders = rangeLoaders(context);
  let loader = loaders.get(`${from}/${to}`);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const ranges = await new MetricsStore(context.em).forSubAccounts(ids, from, to);
      return ids.map((id) => ranges.get(id)!);
    });
    loaders.set(`${from}/${to}`, loader);
  }
  return loader;
}

builder.objectField(SubAccountRef, 'metrics', (t) =>
  t.field({
    type: MetricsRef,
    description: `The sub-account's figures by local day (its own time zone), from \`from\` to \`to\` inclusive, at most ${MAX_METRICS_DAYS} days.`,
    errors: { types: [ValidationError], union: { name: 'SubAccountMetricsResult' } },
    args: { from: t.arg({ type: 'Date', required: true }), to: t.arg({ type: 'Date', required: true }) },
    resolve: (subAccount, { from, to }, context) => {
      checkRange(from, to);
      return rangeLoader(context, from, to).load(subAccount.id);
    },
  }),
);

builder.objectField(SubAccountRef, 'todayMetrics', (t) =>
  t.loadable({
    type: MetricsDayRef,
    description: "Today's figures, today being the sub-account's local date. Listing many sub-accounts measures them all in one statement.",
    load: async (ids: string[], { em }) => {
      const today = await new MetricsStore(em).today(ids);
      return ids.map((id) => today.get(id)!);
    },
    resolve: (subAccount) => subAccount.id,
  }),
);

builder.queryField('metrics', (t) =>
  t.field({
    type: MetricsRef,
    description: `The agency's figures by day, each day summing its sub-accounts' figures for that local date (each in its own time zone), from \`from\` to \`to\` inclusive, at most ${MAX_METRICS_DAYS} days. A sub-account key sees its own sub-account's.`,
    errors: { types: [ValidationError] },
    args: { from: t.arg({ type: 'Date', required: true }), to: t.arg({ type: 'Date', required: true }) },
    resolve: (_root, { from, to }, { em, viewer }) => {
      checkRange(from, to);
      return new MetricsStore(em).forAgency(viewer, from, to);
    },
  }),
);
