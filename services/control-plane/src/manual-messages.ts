import type { ManualMessageOutcome, ManualMessageRequest, ManualMessageSender } from '@mctb/control';
import { TEXT_BACK_TASK_QUEUE, type ManualMessageInput, type ManualMessageResult } from '@mctb/workflows';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';

/** How long a request waits for its text to go out before answering "pending" (the send keeps retrying). */
export const MANUAL_MESSAGE_WAIT_MS = 10_000;

/**
 * Runs a person's text (a test message, a team reply) as a manualMessageWorkflow on the Temporal
 * cluster. The workflow id comes from the sub-account and the client's idempotency key and is
 * never reused, so the same request posted twice (or at once) joins the first run.
 */
export class TemporalManualMessages implements ManualMessageSender {
  constructor(
    private readonly client: Client,
    private readonly waitMs = MANUAL_MESSAGE_WAIT_MS,
  ) {}

  async send(request: ManualMessageRequest): Promise<ManualMessageOutcome> {
    const { workflowId, ...rest } = request;
    const input: ManualMessageInput = rest;
    let handle: WorkflowHandle;
    try {
      handle = await this.client.workflow.start('manualMessageWorkflow', {
        taskQueue: TEXT_BACK_TASK_QUEUE,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      // A resubmitted request: that run is this message's.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      handle = this.client.workflow.getHandle(workflowId);
    }
    const result = handle.result() as Promise<ManualMessageResult>;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'pending'>((resolve) => {
      timer = setTimeout(() => resolve('pending'), this.waitMs);
    });
    try {
      const outcome = await Promise.race([result, waited]);
      if (outcome === 'pending') {
        // The run goes on; its result is read from the message later.
        result.catch(() => undefined);
        return { kind: 'pending' };
      }
      return outcome;
    } finally {
      clearTimeout(timer);
    }
  }
}
