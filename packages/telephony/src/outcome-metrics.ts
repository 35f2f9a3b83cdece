import type { MetricsRegistry } from '@mctb/service-kit';
import type { CallSettlement } from './call-settlement.js';

/**
 * Prometheus counters of the outcomes a settlement's calls store records: `mctb_calls_total` by
 * the outcome first recorded for a call, `mctb_call_outcome_changes_total` by from/to when a later
 * report refines it (a recording makes a no_answer a voicemail, a plugin says its AI answered).
 * Each is counted once however often the carrier repeats a webhook: the store reports only the
 * updates it won. Calls by final outcome: first outcomes + changes to it − changes from it.
 */
export function countCallOutcomes(registry: MetricsRegistry, settlement: CallSettlement): void {
  const calls = registry.counter('mctb_calls_total', 'Calls by the outcome first recorded for them');
  const changes = registry.counter('mctb_call_outcome_changes_total', 'Call outcomes refined after they were first recorded, by from and to');
  settlement.calls.onOutcomeChange = ({ outcome, previous }) => {
    if (previous === null) calls.inc({ outcome });
    else changes.inc({ from: previous, to: outcome });
  };
}
