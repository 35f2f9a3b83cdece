import type { Call } from '@mctb/db';
import type { CallView } from '@mctb/plugin-sdk';

/** What plugins are shown of a stored call. */
export function callView(call: Call): CallView {
  return {
    callSid: call.callSid,
    subAccountId: call.subAccount.id,
    from: call.callerPhone,
    to: call.toNumber,
    outcome: call.outcome,
    outcomeSource: call.outcomeSource,
  };
}
