import type { ProvisioningStarter } from '@mctb/control';
import { provisioningWorkflowId, TEXT_BACK_TASK_QUEUE } from '@mctb/workflows';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';

/** Starts a provisioning run's workflow on the Temporal cluster; one per run, whoever asks again. */
export class TemporalProvisioningStarter implements ProvisioningStarter {
  constructor(private readonly client: Client) {}

  async start(run: { id: string; total: number; concurrency: number }): Promise<void> {
    try {
      await this.client.workflow.start('provisioningWorkflow', {
        taskQueue: TEXT_BACK_TASK_QUEUE,
        workflowId: provisioningWorkflowId(run.id),
        args: [{ runId: run.id, total: run.total, concurrency: run.concurrency }],
      });
    } catch (error) {
      // Started before (a resubmitted request, two submissions at once): that workflow is the run's.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }
}
