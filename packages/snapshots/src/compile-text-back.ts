import type { SnapshotTextBack } from './types.js';
import { TEXT_BACK_WORKFLOW_KEY } from './workflow-syntax.js';
import { MISSED_CALL_OUTCOMES, type Workflow, type WorkflowStep } from './workflow-types.js';

/**
 * The simple text-back settings as a workflow of the DSL, so one interpreter runs them too: on a
 * missed call, wait the delay, then send the template (or, with an after-hours template, the one
 * that fits the business hours), one run per contact per dedup window. The text goes out even in
 * quiet hours, as the built-in text-back always has: it answers a call the caller just made.
 */
export function compileTextBack(textBack: SnapshotTextBack): Workflow {
  const send = (id: string, template: string): WorkflowStep => ({ kind: 'send_sms', id, template, duringQuietHours: 'send' });
  const text: WorkflowStep =
    textBack.afterHoursTemplate === undefined
      ? send('text', textBack.template)
      : {
          kind: 'if',
          id: 'hours',
          condition: { type: 'business_hours', open: true },
          then: [send('text_in_hours', textBack.template)],
          else: [send('text_after_hours', textBack.afterHoursTemplate)],
        };
  return {
    key: TEXT_BACK_WORKFLOW_KEY,
    name: 'Missed-call text-back',
    enabled: textBack.enabled,
    trigger: { type: 'call.missed', outcomes: [...MISSED_CALL_OUTCOMES] },
    // A window of 0 texts every missed call; calls inside one pending delay still make one run.
    dedup: textBack.dedupWindowSeconds > 0 ? { per: 'contact', windowSeconds: textBack.dedupWindowSeconds } : null,
    steps: [{ kind: 'wait', id: 'delay', seconds: textBack.delaySeconds }, text],
  };
}
