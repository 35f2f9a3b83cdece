import { proxyActivities } from '@temporalio/workflow';

const { greet } = proxyActivities<{ greet(name: string): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

/** The smallest real workflow for temporal-cluster.test.ts: one activity on the test's worker. */
export async function greeting(name: string): Promise<string> {
  return greet(name);
}
