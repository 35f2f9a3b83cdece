import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(input: string): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

/** The baseline: the least a Temporal workflow with one activity can cost on the same server. */
export async function bareWorkflow(input: string): Promise<string> {
  return noop(input);
}
