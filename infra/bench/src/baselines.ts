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

/**
 * Each target's ingest, measured in alternating rounds (A, B, C, A, B, C, …) with the median round
 * per target: on a shared 2-core machine a single run swings by ±15% with whatever ran just before,
 * and whichever target went first would carry it.
 */
export async function interleavedIngest<K extends string>(
  targets: Record<K, { url: string; body: string; headers: Record<string, string> }>,
  secondsPerRound: number,
  rounds: number,
): Promise<Record<K, Ingest & { rounds: number[] }>> {
  const names = Object.keys(targets) as K[];
  const samples = new Map<K, Ingest[]>(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (const name of names) samples.get(name)!.push(await ingest(targets[name], secondsPerRound));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return Object.fromEntries(
    names.map((name) => {
      const runs = samples.get(name)!;
      return [
        name,
        {
          requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
          p99: median(runs.map((run) => run.p99)),
          errors: runs.reduce((sum, run) => sum + run.errors, 0),
          non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
          rounds: runs.map((run) => run.requestsPerSecond),
        },
      ];
    }),
  ) as Record<K, Ingest & { rounds: number[] }>;
}

/** Replays one request as fast as `connections` keep-alive connections allow, for `seconds`. */
export async function ingest(request: { url: string; body: string; headers: Record<string, string> }, seconds: number, connections = 20): Promise<Ingest> {
  const result = await autocannon({ url: request.url, method: 'POST', body: request.body, headers: request.headers, duration: seconds, connections });
  return { requestsPerSecond: result.requests.average, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}
