import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import type { BenchStack } from './bench-stack.js';
import { pool } from './stats.js';

/** The bare baseline: `count` workflows of one no-op activity, `concurrency` started at a time. */
export async function bareBurst(stack: BenchStack, count: number, concurrency: number, tag: string): Promise<{ perSecond: number; seconds: number }> {
  const start = performance.now();
  const done: Promise<unknown>[] = [];
  await pool(count, concurrency, async (i) => {
    const handle = await stack.temporal.workflow.start('bareWorkflow', { taskQueue: 'bare', workflowId: `bare-${tag}-${i}`, args: [`${i}`] });
    done.push(handle.result());
  });
  await Promise.all(done);
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: count / seconds, seconds };
}

export interface HistoryShape {
  events: number;
  workflowTasks: number;
  activities: number;
  localActivities: number;
}

/** What one run cost in Temporal: events, workflow tasks, activities (markers are local activities). */
export async function historyShape(stack: BenchStack, workflowId: string): Promise<HistoryShape> {
  const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  return {
    events: events.length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
    localActivities: events.filter((e) => e.markerRecordedEventAttributes).length,
  };
}

export interface Ingest {
  requestsPerSecond: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Replays one request as fast as `connections` keep-alive connections allow, for `seconds`. */
export async function ingest(request: { url: string; body: string; headers: Record<string, string> }, seconds: number, connections = 20): Promise<Ingest> {
  const result = await autocannon({ url: request.url, method: 'POST', body: request.body, headers: request.headers, duration: seconds, connections });
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}
