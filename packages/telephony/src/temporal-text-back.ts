import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { messageRunWorkflowId, textBackWorkflowId } from '@mctb/domain';
import {
  callAnsweredSignal,
  callerTextedSignal,
  missedCallSignal,
  optedOutSignal,
  pluginVerdictSignal,
  automationWorkflow,
  TEXT_BACK_TASK_QUEUE,
  textBackWorkflow,
  type MissedCall,
  type PluginVerdict,
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

  async openRunStartedAt(subAccountId: string, callerPhone: string): Promise<Date | null> {
    try {
      const run = await this.withDeadline(() => this.client.workflow.getHandle(textBackWorkflowId(subAccountId, callerPhone)).describe());
      return run.status.name === 'RUNNING' ? run.startTime : null;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  callAnswered(subAccountId: string, callerPhone: string, callSid: string): Promise<void> {
    return this.signalIfRunning(subAccountId, callerPhone, (handle) => handle.signal(callAnsweredSignal, { callSid }));
  }

  pluginVerdict(subAccountId: string, callerPhone: string, verdict: PluginVerdict): Promise<void> {
    return this.signalIfRunning(subAccountId, callerPhone, (handle) => handle.signal(pluginVerdictSignal, verdict));
  }

  callerTexted(subAccountId: string, callerPhone: string, messageSid: string): Promise<void> {
    return this.signalIfRunning(subAccountId, callerPhone, (handle) => handle.signal(callerTextedSignal, { messageSid }));
  }

  optedOut(subAccountId: string, callerPhone: string): Promise<void> {
    return this.signalIfRunning(subAccountId, callerPhone, (handle) => handle.signal(optedOutSignal));
  }

  async messageReceived(subAccountId: string, contactPhone: string, message: { messageSid: string; to: string }): Promise<void> {
    try {
      await this.withDeadline(() =>
        this.client.workflow.start(automationWorkflow, {
          taskQueue: TEXT_BACK_TASK_QUEUE,
          workflowId: messageRunWorkflowId(subAccountId, message.messageSid),
          args: [{ open: { subAccountId, contactPhone, trigger: { type: 'message.received', messageSid: message.messageSid, to: message.to } } }],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
    } catch (error) {
      // Twilio repeated the webhook: the run for this text exists (or ran) already.
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw error;
    }
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
