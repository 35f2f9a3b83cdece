import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { textBackWorkflowId } from '@mctb/domain';
import {
  callAnsweredSignal,
  callerTextedSignal,
  missedCallSignal,
  optedOutSignal,
  TEXT_BACK_TASK_QUEUE,
  textBackWorkflow,
  type MissedCall,
} from '@mctb/workflows';
import type { TextBackPort } from './text-back-port.js';

/**
 * TextBackPort on a Temporal cluster: signalWithStart for missed calls, plain signals otherwise.
 * Every call has a deadline, so an unreachable server fails fast instead of holding a webhook.
 */
export class TemporalTextBack implements TextBackPort {
  constructor(
    private readonly client: Client,
    private readonly options: { deadlineMs?: number } = {},
  ) {}

  async missedCall(subAccountId: string, callerPhone: string, call: MissedCall): Promise<void> {
    await this.withDeadline(() =>
      this.client.workflow.signalWithStart(textBackWorkflow, {
        taskQueue: TEXT_BACK_TASK_QUEUE,
        workflowId: textBackWorkflowId(subAccountId, callerPhone),
        args: [{ subAccountId, callerPhone }],
        signal: missedCallSignal,
        signalArgs: [call],
      }),
    );
  }

  callAnswered(subAccountId: string, callerPhone: string, callSid: string): Promise<void> {
    return this.signalIfRunning(subAccountId, callerPhone, (handle) => handle.signal(callAnsweredSignal, { callSid }));
  }

  callerTexted(subAccountId: string, callerPhone: string, messageSid: string): Promise<void> {
    return this.signalIfRunning(subAccountId, callerPhone, (handle) => handle.signal(callerTextedSignal, { messageSid }));
  }

  optedOut(subAccountId: string, callerPhone: string): Promise<void> {
    return this.signalIfRunning(subAccountId, callerPhone, (handle) => handle.signal(optedOutSignal));
  }

  private async signalIfRunning(
    subAccountId: string,
    callerPhone: string,
    send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<void>,
  ): Promise<void> {
    try {
      await this.withDeadline(() => send(this.client.workflow.getHandle(textBackWorkflowId(subAccountId, callerPhone))));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return;
      throw error;
    }
  }

  private withDeadline<T>(fn: () => Promise<T>): Promise<T> {
    const ms = this.options.deadlineMs;
    return ms === undefined ? fn() : this.client.connection.withDeadline(Date.now() + ms, fn);
  }
}
