import { CallStore } from '@mctb/db';
import { classifyCallerId, type MissedCall, type UnstoredCall } from '@mctb/domain';
import type { ActivityDeps } from './deps.js';

/**
 * Stores a missed call that intake handed over without storing (PostgreSQL was down): the call,
 * its outcome, and that its workflow has it. Idempotent, like intake's own writes it reuses.
 */
export async function storeUnstoredCall(
  deps: ActivityDeps,
  input: { subAccountId: string; call: MissedCall & { unstored: UnstoredCall } },
): Promise<void> {
  const { call } = input;
  const facts = call.unstored;
  const calls = new CallStore(deps.orm);
  const callerId = classifyCallerId(facts.fromRaw);
  await calls.recordIncoming({
    subAccountId: input.subAccountId,
    callSid: call.callSid,
    fromRaw: facts.fromRaw,
    callerPhone: callerId.kind === 'textable' ? callerId.e164 : null,
    untextableReason: callerId.kind === 'untextable' ? callerId.reason : null,
    toNumber: facts.toNumber,
    startedAt: new Date(facts.startedAt),
  });
  await calls.recordOutcome(call.callSid, {
    outcome: call.outcome,
    source: facts.source,
    endedAt: new Date(call.at),
    ...(facts.dialCallStatus !== undefined ? { dialCallStatus: facts.dialCallStatus } : {}),
    ...(facts.ringSeconds !== undefined ? { ringSeconds: facts.ringSeconds } : {}),
    ...(facts.connectedSeconds !== undefined ? { connectedSeconds: facts.connectedSeconds } : {}),
    ...(facts.detail !== undefined ? { detail: facts.detail } : {}),
    ...(facts.recordingUrl !== undefined ? { recordingUrl: facts.recordingUrl } : {}),
    ...(call.handedToPlugin !== undefined ? { handedToPlugin: call.handedToPlugin } : {}),
  });
  await calls.markSignalled(call.callSid);
}

/** Stores every call intake handed over unstored; the others are already stored. */
export async function storeUnstoredCalls(deps: ActivityDeps, subAccountId: string, calls: readonly MissedCall[]): Promise<void> {
  for (const call of calls) if (call.unstored) await storeUnstoredCall(deps, { subAccountId, call: { ...call, unstored: call.unstored } });
}
