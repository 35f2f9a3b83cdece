import { eventually } from '@mctb/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NUMBER, startScaleStack, type ScaleStack } from './scale-stack.js';

const WORKERS = 3;
const GATEWAYS = 2;
/** Distinct callers in the stream; every sixth one's dial result is delivered twice. */
const CALLS = 90;
/** Webhooks in flight at once, as calls arrive. */
const CONCURRENCY = 6;
/** Calls whose workflow start is lost (the gateway can't reach Temporal) in the sweeper's case. */
const LOST_CALLS = 20;

interface SweepRun {
  sweeper: string;
  resignalled: number;
  /** Started before the sweep before it (by start) had finished. */
  overlaps: boolean;
}

describe('scale: the platform on a Temporal cluster with 3 workers and 2 gateways', () => {
  let stack: ScaleStack;
  const pids: number[] = [];

  beforeAll(async () => {
    stack = await startScaleStack({
      workers: WORKERS,
      gateways: GATEWAYS,
      // Every worker sweeps every second; an outcome left unsignalled for 2 s is re-signalled.
      sweeper: { SWEEP_INTERVAL_SECONDS: '1', SWEEP_UNSIGNALLED_AFTER_SECONDS: '2', SWEEP_UNSETTLED_AFTER_SECONDS: '30' },
    });
  });
  afterAll(async () => {
    pids.push(...(stack?.pids() ?? []));
    await stack?.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  const caller = (series: number, i: number) => `+1737555${series}${String(i).padStart(3, '0')}`;

  /** Rings the business through a gateway and reports the forward unanswered, as Twilio would. */
  async function missedCall(callSid: string, from: string, gateway: number, duplicateResult: boolean): Promise<number[]> {
    const rang = await stack.webhook(gateway, '/twilio/voice/incoming', { CallSid: callSid, From: from, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
    const result = { CallSid: callSid, From: from, To: BUSINESS_NUMBER, CallStatus: 'in-progress', DialCallStatus: 'no-answer' };
    const path = '/twilio/voice/dial-result?accept=0&amd=1&min=0';
    const ended = await stack.webhook(gateway, path, result, `${callSid}-dial`);
    const statuses = [rang.status, ended.status];
    // Twilio delivers the same webhook again (same idempotency token), and the balancer may pick the other gateway.
    if (duplicateResult) statuses.push((await stack.webhook(gateway + 1, path, result, `${callSid}-dial`)).status);
    return statuses;
  }

  /** Waits until the platform recorded each call as texted, lets late duplicates show, then counts texts per caller. */
  async function textsPerCaller(callSidPrefix: string, callers: string[]): Promise<number[]> {
    await eventually(
      async () => {
        const rows = await stack.query<{ status: string | null }>(`select text_back_status as status from calls where call_sid like ? order by call_sid`, [`${callSidPrefix}%`]);
        expect(rows.map((row) => row.status)).toEqual(callers.map(() => 'sent'));
      },
      { timeoutMs: 150_000, intervalMs: 500 },
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const sent = stack.twilio.messages();
    return callers.map((number) => sent.filter((message) => message.to === number).length);
  }

  /** Every sweep recorded, with the database's clock readings taken inside the sweep lock. */
  const sweepRuns = () =>
    stack.query<SweepRun>(
      `select sweeper, resignalled, coalesce(started_at < lag(finished_at) over (order by started_at, id), false) as overlaps from sweep_runs order by started_at, id`,
    );

  it('texts every caller exactly once while a worker is SIGKILLed and a gateway stopped midway', async () => {
    const started = Date.now();
    const callers = Array.from({ length: CALLS }, (_, i) => caller(1, i));
    const sid = (i: number) => `CA-scale-stream-${String(i).padStart(4, '0')}`;
    let chaos: Promise<void> | undefined;
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < CALLS) {
          const i = next++;
          if (i === Math.floor(CALLS / 2)) {
            // Midway: a worker crashes and a gateway is taken out (its traffic goes to the other).
            const [worker, gateway] = [stack.workers[0]!, stack.gateways[0]!];
            pids.push(worker.service.process.pid, gateway.service.process.pid);
            chaos = Promise.all([
              worker.service.process.kill('SIGKILL').then(() => void (worker.down = true)),
              gateway.service.process.stop().then(() => void (gateway.down = true)),
            ]).then(() => undefined);
          }
          statuses.push(...(await missedCall(sid(i), callers[i]!, i % GATEWAYS, i % 6 === 0)));
        }
      }),
    );
    await chaos;
    // Every webhook was answered (TwiML), by one gateway or the other.
    expect(statuses.filter((status) => status !== 200)).toEqual([]);

    const texts = await textsPerCaller('CA-scale-stream-', callers);
    const duplicateWebhooks = Math.ceil(CALLS / 6);
    const textsOut = texts.reduce((sum, n) => sum + n, 0);
    const lost = texts.filter((n) => n === 0).length;
    const duplicates = texts.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    console.log(
      `[scale] ${CALLS} calls in (${duplicateWebhooks} dial results delivered twice) over ${GATEWAYS} gateways and ${WORKERS} workers, ` +
        `one worker SIGKILLed and one gateway stopped midway: ${textsOut} texts out, ${duplicates} duplicates, ${lost} lost, ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });
  }, 200_000);

  it('with the sweeper on every worker: one sweep at a time, and each lost call re-driven once', async () => {
    const started = Date.now();
    const resignalledBefore = (await sweepRuns()).reduce((sum, run) => sum + run.resignalled, 0);
    const callers = Array.from({ length: LOST_CALLS }, (_, i) => caller(2, i));
    const gateway = GATEWAYS - 1; // the one still up, whose link to Temporal is cut now
    await stack.lastGatewayTemporalLink.set('down');
    // Each caller still gets TwiML (voicemail); the outcome is stored, its workflow never started.
    const statuses = await Promise.all(callers.map((from, i) => missedCall(`CA-scale-lost-${String(i).padStart(4, '0')}`, from, gateway, false)));
    expect(statuses.flat().filter((status) => status !== 200)).toEqual([]);
    const texts = await textsPerCaller('CA-scale-lost-', callers);
    await stack.lastGatewayTemporalLink.set('open');

    const runs = await sweepRuns();
    const resignalled = runs.reduce((sum, run) => sum + run.resignalled, 0) - resignalledBefore;
    // Each sweep started after the one before it had finished.
    const overlaps = runs.filter((run) => run.overlaps);
    // Sweepers are named host/pid: tell which worker each is.
    const label = (sweeper: string) => stack.workers.find((worker) => sweeper.endsWith(`/${worker.service.process.pid}`))?.label ?? sweeper;
    const sweepsBy = new Map<string, number>();
    for (const run of runs) sweepsBy.set(label(run.sweeper), (sweepsBy.get(label(run.sweeper)) ?? 0) + 1);
    const metrics = await Promise.all(stack.workers.filter((worker) => !worker.down).map((worker) => stack.metrics(worker)));
    const lockedOut = metrics.reduce((sum, text) => sum + Number(/^mctb_sweeps_total\{result="locked"\} (\d+)$/m.exec(text)?.[1] ?? 0), 0);
    console.log(
      `[scale] sweeper: ${LOST_CALLS} calls whose workflow start was lost, ${resignalled} re-signalled by the sweeper, ` +
        `${texts.reduce((sum, n) => sum + n, 0)} texts out; ${runs.length} sweeps (${[...sweepsBy].sort().map(([name, n]) => `${name}: ${n}`).join(', ')}), ${overlaps.length} overlapping, ` +
        `${lockedOut} attempts found another worker sweeping; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(texts).toEqual(callers.map(() => 1));
    expect(resignalled).toBe(LOST_CALLS);
    expect(overlaps).toEqual([]);
    // The record is every worker's, not one worker's alone.
    expect(sweepsBy.size).toBeGreaterThanOrEqual(2);
  }, 200_000);
});
