/** How a sub-account's text-back behaves; pinned into each workflow run when it starts (DESIGN §4). */
export interface TextBackPlan {
  enabled: boolean;
  /** Wait before texting, so the business can call back first. */
  delaySeconds: number;
  /** One text per contact per window; 0 means "every missed call" (calls inside one delay still collapse). */
  dedupWindowSeconds: number;
}

export const TEXT_BACK_LIMITS = {
  maxDelaySeconds: 24 * 60 * 60,
  maxDedupWindowSeconds: 30 * 24 * 60 * 60,
} as const;

export const DEFAULT_TEXT_BACK_PLAN: TextBackPlan = {
  enabled: true,
  delaySeconds: 60,
  dedupWindowSeconds: 24 * 60 * 60,
};

/** Incoming call timeout: carriers' voicemail may answer above 20 s and report the call as completed. */
export const CALL_TIMEOUT = { min: 5, max: 60, recommendedMin: 15, recommendedMax: 20, default: 18 } as const;

export function callTimeoutWarning(seconds: number): string | null {
  if (seconds > CALL_TIMEOUT.recommendedMax) {
    return `incomingCallTimeout of ${seconds}s is above ${CALL_TIMEOUT.recommendedMax}s: the carrier's voicemail may answer and the call would count as answered`;
  }
  if (seconds < CALL_TIMEOUT.recommendedMin) {
    return `incomingCallTimeout of ${seconds}s is below ${CALL_TIMEOUT.recommendedMin}s: the team may not have time to answer`;
  }
  return null;
}

/** One text-back conversation per (sub-account, caller): the id makes signalWithStart dedupe for free. */
export function textBackWorkflowId(subAccountId: string, callerE164: string): string {
  return `textback/${subAccountId}/${callerE164}`;
}

/** Deterministic id of one send (DESIGN §4 "send intent"): the call that triggered it plus the step. */
export function sendIntentId(subAccountId: string, triggerCallSid: string, step: string): string {
  return `${subAccountId}/${triggerCallSid}/${step}`;
}
