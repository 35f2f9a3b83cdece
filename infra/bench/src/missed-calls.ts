import { performance } from 'node:perf_hooks';
import { caller, HOT_NUMBER, type BenchStack } from './bench-stack.js';
import { percentiles, pool, quantile, sleep, type Percentiles } from './stats.js';

/** Callers are numbered across the whole run so every call of every scenario is a new caller. */
let nextCaller = 0;
export function takeCallers(count: number): number[] {
  const first = nextCaller;
  nextCaller += count;
  return Array.from({ length: count }, (_, i) => first + i);
}

/** Plays one unanswered call to `number` the way Twilio does; returns when the dial result was posted (ms). */
export async function missedCall(stack: BenchStack, index: number, number = HOT_NUMBER): Promise<{ postedAt: number; ok: boolean }> {
  const params = { CallSid: `CA-bench-${index}`, From: caller(index), To: number };
  const rang = await stack.webhook('/twilio/voice/incoming', { ...params, CallStatus: 'ringing' });
  const postedAt = performance.now();
  const ended = await stack.webhook('/twilio/voice/dial-result?accept=0&amd=1&min=0', { ...params, CallStatus: 'in-progress', DialCallStatus: 'no-answer' });
  return { postedAt, ok: rang === 200 && ended === 200 };
}

export interface Delivery {
  /** Missed call → provider send, ms, per call (in call order); NaN when never sent. */
  latencies: number[];
  lost: number;
  duplicates: number;
}

/** Waits (up to `timeoutMs` after the last call) for every caller's text, then counts. */
export async function delivery(stack: BenchStack, calls: number[], postedAt: Map<number, number>, timeoutMs: number): Promise<Delivery> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && calls.some((i) => !stack.sentAt.has(caller(i)))) await sleep(100);
  await sleep(1_000); // a late duplicate would show by now
  const latencies = calls.map((i) => (stack.sentAt.get(caller(i)) ?? Number.NaN) - (postedAt.get(i) ?? Number.NaN));
  return {
    latencies,
    lost: calls.filter((i) => !stack.sentAt.has(caller(i))).length,
    duplicates: calls.reduce((sum, i) => sum + Math.max(0, (stack.textsTo.get(caller(i)) ?? 0) - 1), 0),
  };
}

export interface OpenLoopResult extends Delivery {
  rate: number;
  calls: number;
  latency: Percentiles;
  /** p50 of the first and the last third of the run: a backlog shows as growth. */
  firstThirdP50: number;
  lastThirdP50: number;
  holds: boolean;
}

/** Calls arrive at a fixed rate whatever the platform does (open loop), for `seconds`. */
export async function openLoop(stack: BenchStack, rate: number, seconds: number, number = HOT_NUMBER): Promise<OpenLoopResult> {
  const calls = takeCallers(Math.round(rate * seconds));
  const postedAt = new Map<number, number>();
  const start = performance.now();
  await Promise.all(
    calls.map(async (index, n) => {
      const due = start + (n * 1000) / rate;
      await sleep(Math.max(0, due - performance.now()));
      const { postedAt: at } = await missedCall(stack, index, number);
      postedAt.set(index, at);
    }),
  );
  const result = await delivery(stack, calls, postedAt, 60_000);
  const third = Math.max(1, Math.floor(calls.length / 3));
  const sent = (values: number[]) => values.filter((v) => Number.isFinite(v));
  const firstThirdP50 = quantile(sent(result.latencies.slice(0, third)), 0.5);
  const lastThirdP50 = quantile(sent(result.latencies.slice(-third)), 0.5);
  const latency = percentiles(sent(result.latencies));
  const holds = result.lost === 0 && result.duplicates === 0 && latency.p99 < 1_000 && lastThirdP50 <= firstThirdP50 + 250;
  return { ...result, rate, calls: calls.length, latency, firstThirdP50, lastThirdP50, holds };
}

/** Raises the rate step by step; the highest that still holds (p99 under 1 s, no growing backlog). */
export async function highestRate(stack: BenchStack, rates: number[], seconds: number, log: (line: string) => void): Promise<{ highest: number; steps: OpenLoopResult[] }> {
  const steps: OpenLoopResult[] = [];
  let highest = 0;
  for (const rate of rates) {
    const step = await openLoop(stack, rate, seconds);
    steps.push(step);
    log(`  ${rate}/s for ${seconds}s: p50 ${Math.round(step.latency.p50)} ms, p99 ${Math.round(step.latency.p99)} ms, ${step.lost} lost → ${step.holds ? 'holds' : 'does not hold'}`);
    if (!step.holds) break;
    highest = rate;
  }
  // Let any backlog drain before the next measurement.
  await sleep(2_000);
  return { highest, steps };
}

/** As many calls as the platform takes, `concurrency` in flight: texts per second until the last one. */
export async function burst(stack: BenchStack, count: number, concurrency: number): Promise<Delivery & { perSecond: number; seconds: number; lastCaller: string }> {
  const calls = takeCallers(count);
  const postedAt = new Map<number, number>();
  const start = performance.now();
  await pool(calls.length, concurrency, async (n) => {
    const index = calls[n]!;
    postedAt.set(index, (await missedCall(stack, index)).postedAt);
  });
  const result = await delivery(stack, calls, postedAt, 300_000);
  const last = Math.max(...calls.map((i) => stack.sentAt.get(caller(i)) ?? 0));
  const seconds = (last - start) / 1000;
  return { ...result, seconds, perSecond: (count - result.lost) / seconds, lastCaller: caller(calls.at(-1)!) };
}
