import { continueAsNew, setHandler } from '@temporalio/workflow';
import {
  callAnsweredSignal,
  callerTextedSignal,
  missedCallSignal,
  optedOutSignal,
  textBackStateQuery,
  type MissedCall,
  type TextBackInput,
  type TextBackState,
} from './textback-signals.js';
import type { textBackWorkflow } from './textback-workflow.js';

/** What every version of the text-back workflow shares: its state, its queue and its signal handlers. */
export interface TextBackRun {
  input: TextBackInput;
  state: TextBackState;
  /** Missed calls not answered for yet, in arrival order. */
  queue: MissedCall[];
  /** Arrivals intake could not store, still to be stored (the v1 steps store them one by one). */
  unstored: MissedCall[];
}

/** Sets up a run: state, the query, and the signals (another missed call, an answer, a text, STOP). */
export function beginRun(input: TextBackInput): TextBackRun {
  const run: TextBackRun = {
    input,
    state: { phase: 'starting', triggerCallSid: null, callSids: [], cancelledBecause: null, sentMessageId: null, dedupUntil: null },
    queue: [],
    unstored: [],
  };
  const { state } = run;
  const enqueue = (call: MissedCall) => {
    // Twilio repeats webhooks and the gateway signals each time; a call counts once.
    if (state.callSids.includes(call.callSid)) return;
    state.callSids.push(call.callSid);
    run.queue.push(call);
    if (call.unstored) run.unstored.push(call);
  };
  const cancel = (reason: string) => {
    if (state.phase === 'starting' || state.phase === 'delaying') state.cancelledBecause ??= reason;
  };
  for (const call of input.carriedCalls ?? []) enqueue(call);
  setHandler(missedCallSignal, enqueue);
  setHandler(callAnsweredSignal, () => cancel('answered: the caller got through on a later call'));
  setHandler(callerTextedSignal, () => cancel('the caller texted first'));
  setHandler(optedOutSignal, () => cancel('the caller opted out'));
  setHandler(textBackStateQuery, () => state);
  return run;
}

/** Takes every queued call. */
export function drain(queue: MissedCall[]): MissedCall[] {
  return queue.splice(0);
}

/** Calls that arrived while this run was ending start the next run instead of being lost. */
export async function finish(run: TextBackRun): Promise<TextBackState> {
  run.state.phase = 'done';
  if (run.queue.length > 0) {
    await continueAsNew<typeof textBackWorkflow>({ ...run.input, carriedCalls: run.queue.splice(0) });
  }
  return run.state;
}
