/**
 * The call and sub-account a workflow or activity is about, read from its input, so traces can
 * name them on every span (see tracing-interceptors.ts and the worker's activity interceptor).
 * Pure: bundled into the workflow sandbox and used by the worker alike.
 */
export interface Correlation {
  subAccountId?: string;
  callSid?: string;
}

/** The activity header carrying a run's correlation to its activities (JSON payload). */
export const CORRELATION_HEADER = 'mctb-correlation';

/** Field names that hold the CallSid a step is about, in the inputs of our workflows, signals and activities. */
const CALL_SID_FIELDS = ['callSid', 'triggerCallSid', 'recordFor'] as const;
/** Nested objects where inputs keep them (an automation's opening, its trigger, a call). */
const NESTED_FIELDS = ['open', 'trigger', 'call', 'missedCall'] as const;

/** The sub-account and call an input names, looking at most two objects deep; absent when it names none. */
export function correlationOf(value: unknown, depth = 0): Correlation {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const record = value as Record<string, unknown>;
  const found: Correlation = {};
  if (typeof record.subAccountId === 'string') found.subAccountId = record.subAccountId;
  for (const name of CALL_SID_FIELDS) {
    const sid = record[name];
    if (typeof sid === 'string' && sid !== '') {
      found.callSid = sid;
      break;
    }
  }
  if (depth < 2 && (found.subAccountId === undefined || found.callSid === undefined)) {
    for (const name of NESTED_FIELDS) {
      const inner = correlationOf(record[name], depth + 1);
      found.subAccountId ??= inner.subAccountId;
      found.callSid ??= inner.callSid;
      if (found.subAccountId === undefined) delete found.subAccountId;
      if (found.callSid === undefined) delete found.callSid;
    }
  }
  return found;
}
