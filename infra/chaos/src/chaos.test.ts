import { eventually } from '@mctb/devstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosStack, type ChaosStack } from './chaos-stack.js';

/** Missed calls per case. */
const CALLS = 5;
const CASE_TIMEOUT = 240_000;

describe('chaos: every missed call is texted exactly once while parts of the stack fail', () => {
  let stack: ChaosStack;
  const pids: number[] = [];

  beforeAll(async () => {
    stack = await startChaosStack();
  });
  afterAll(async () => {
    pids.push(...(stack?.pids() ?? []));
    await stack?.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });

  /** Callers for one case: distinct numbers, so each call is its own text-back. */
  const callers = (caseNumber: number) => Array.from({ length: CALLS }, (_, i) => `+1512555${caseNumber}${String(i).padStart(3, '0')}`);

  /**
   * Waits until the platform has recorded every call of the case as texted (its own bookkeeping, so
   * a send still being retried or reconciled is waited for), gives late duplicates time to show,
   * then counts what Twilio accepted per caller.
   */
  async function expectEachTextedOnce(name: string, numbers: string[], callSidPrefix: string): Promise<void> {
    await eventually(
      async () => {
        const rows = await stack.query<{ status: string | null }>(`select text_back_status as status from calls where call_sid like ?`, [`${callSidPrefix}%`]);
        expect(rows.map((row) => row.status)).toEqual(numbers.map(() => 'sent'));
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const counts = numbers.map((n) => stack.textsTo(n));
    const lost = counts.filter((c) => c === 0).length;
    const duplicates = counts.reduce((sum, c) => sum + Math.max(0, c - 1), 0);
    console.log(`[chaos] ${name}: ${numbers.length} missed calls, ${counts.reduce((a, b) => a + b, 0)} texts, ${lost} lost, ${duplicates} duplicates`);
    expect({ lost, duplicates }).toEqual({ lost: 0, duplicates: 0 });
  }

  it('the Twilio stand-in answers 500, 429 and times out for a while', async () => {
    const numbers = callers(1);
    stack.twilio.failNext({ status: 500 }, 2);
    stack.twilio.failNext({ status: 429 }, 2);
    stack.twilio.hangNext(1);
    stack.twilio.acceptThenFailNext(1, 'status-500');
    const statuses = await Promise.all(numbers.map((n, i) => stack.missedCall(`CA-chaos-twilio-${i}`, n)));
    expect(statuses.flat().every((s) => s === 200)).toBe(true);
    await expectEachTextedOnce('Twilio 500/429/timeouts', numbers, 'CA-chaos-twilio-');
  }, CASE_TIMEOUT);

  it('the worker is SIGKILLed mid-send (Twilio accepted the text, the worker never heard back)', async () => {
    const [first, ...rest] = callers(2);
    stack.twilio.acceptThenFailNext(1, 'hang');
    await stack.missedCall('CA-chaos-worker-0', first!);
    await eventually(async () => expect(stack.textsTo(first!)).toBe(1), { timeoutMs: 60_000 });
    pids.push(stack.service('worker').process.pid);
    await stack.service('worker').process.kill('SIGKILL');
    for (const [i, caller] of rest.entries()) await stack.missedCall(`CA-chaos-worker-${i + 1}`, caller);
    await stack.startServiceAgain('worker');
    await expectEachTextedOnce('worker SIGKILL mid-send', [first!, ...rest], 'CA-chaos-worker-');
  }, CASE_TIMEOUT);

  it('the Temporal server restarts (its state on file) while calls come in', async () => {
    const numbers = callers(3);
    await stack.missedCall('CA-chaos-temporal-0', numbers[0]!);
    await stack.restartTemporal(async () => {
      for (const [i, caller] of numbers.slice(1).entries()) {
        // The caller still gets TwiML (voicemail); the outcome is stored for the sweeper.
        expect(await stack.missedCall(`CA-chaos-temporal-${i + 1}`, caller)).toEqual([200, 200]);
      }
    });
    await expectEachTextedOnce('Temporal restart', numbers, 'CA-chaos-temporal-');
  }, CASE_TIMEOUT);

  it('PostgreSQL restarts while calls come in', async () => {
    const numbers = callers(4);
    await stack.missedCall('CA-chaos-postgres-0', numbers[0]!);
    await stack.restartPostgres(async () => {
      for (const [i, caller] of numbers.slice(1).entries()) {
        // A known number still rings the business; the missed call is kept in Temporal meanwhile.
        expect(await stack.missedCall(`CA-chaos-postgres-${i + 1}`, caller)).toEqual([200, 200]);
      }
    });
    await expectEachTextedOnce('PostgreSQL restart', numbers, 'CA-chaos-postgres-');
  }, CASE_TIMEOUT);

  it('the gateway dies between storing an outcome and signalling', async () => {
    const numbers = callers(5);
    await stack.gatewayTemporalLink.set('hang');
    const inFlight = numbers.map((caller, i) => stack.missedCall(`CA-chaos-gateway-${i}`, caller));
    await eventually(
      async () => {
        const stored = await stack.query<{ n: string }>(`select count(*) as n from calls where call_sid like 'CA-chaos-gateway-%' and outcome is not null`);
        expect(Number(stored[0]!.n)).toBe(numbers.length);
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    pids.push(stack.service('gateway').process.pid);
    await stack.service('gateway').process.kill('SIGKILL');
    await Promise.all(inFlight);
    const unsignalled = await stack.query<{ n: string }>(`select count(*) as n from calls where call_sid like 'CA-chaos-gateway-%' and signalled_at is null`);
    expect(Number(unsignalled[0]!.n)).toBe(numbers.length);
    await stack.gatewayTemporalLink.set('open');
    await stack.startServiceAgain('gateway');
    await expectEachTextedOnce('gateway died before signalling', numbers, 'CA-chaos-gateway-');
  }, CASE_TIMEOUT);

  it('the worker is SIGKILLed mid-provisioning: the run resumes and each target is applied once', async () => {
    const TARGETS = 300;
    const number = (i: number) => `+1737666${String(i).padStart(4, '0')}`;
    // The agency's numbers at Twilio; the business number too, so its texts still go out afterwards.
    stack.twilio.addIncomingNumber({ phoneNumber: '+15125550100' });
    for (let i = 0; i < TARGETS; i++) stack.twilio.addIncomingNumber({ phoneNumber: number(i) });
    const targets = Array.from({ length: TARGETS }, (_, i) => ({
      newSubAccount: { name: `Chaos client ${i}`, timeZone: 'America/Chicago', twilioNumber: number(i), forwardingNumber: '+15125550199' },
      customValues: [{ key: 'booking_link', value: `https://book.example/chaos-${i}` }],
    }));
    const started = await stack.graphql<{ startProvisioning: { run: { id: string } } }>(
      `mutation ($input: StartProvisioningInput!) { startProvisioning(input: $input) { ... on StartProvisioningPayload { run { id } } } }`,
      { input: { idempotencyKey: 'chaos-push', snapshot: { slug: 'missed-call-text-back' }, targets, concurrency: 4 } },
    );
    const runId = started.startProvisioning.run.id;
    const applied = async () => Number((await stack.query<{ n: string }>(`select count(*) as n from provisioning_targets where run_id = ? and status = 'applied'`, [runId]))[0]!.n);
    await eventually(async () => expect(await applied()).toBeGreaterThanOrEqual(30), { timeoutMs: 60_000, intervalMs: 100 });
    pids.push(stack.service('worker').process.pid);
    await stack.service('worker').process.kill('SIGKILL');
    const atKill = await applied();
    expect(atKill).toBeLessThan(TARGETS);
    await stack.startServiceAgain('worker');
    await eventually(
      async () => {
        const [run] = await stack.query<{ status: string }>(`select status from provisioning_runs where id = ?`, [runId]);
        expect(run?.status).toBe('completed');
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    );
    const counts = await stack.query<{ applied: string; versions: string; subs: string; numbers: string }>(
      `select (select count(*) from provisioning_targets where run_id = ? and status = 'applied') as applied,
              (select count(*) from applied_versions where run_id = ?) as versions,
              (select count(*) from sub_accounts where name like 'Chaos client %') as subs,
              (select count(*) from phone_numbers where e164 like '+1737666%') as numbers`,
      [runId, runId],
    );
    console.info(`provisioning, worker SIGKILLed at ${atKill}/${TARGETS} applied: ${JSON.stringify(counts[0])}`);
    expect(counts[0]).toEqual({ applied: String(TARGETS), versions: String(TARGETS), subs: String(TARGETS), numbers: String(TARGETS) });
  }, CASE_TIMEOUT);
});
