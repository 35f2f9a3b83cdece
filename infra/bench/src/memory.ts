import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { WAITING_NUMBER, type BenchStack } from './bench-stack.js';
import { missedCall, takeCallers } from './missed-calls.js';
import { pool, sleep } from './stats.js';

/** Resident memory of a process, MB (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/**
 * `count` text-backs waiting out an hour's delay in the worker: its resident memory once they all
 * sit there (settled: three readings in a row within 2%).
 */
export async function waitingRunsMemory(stack: BenchStack, count: number, log: (line: string) => void): Promise<{ waiting: number; rssMb: number; idleRssMb: number }> {
  const pid = stack.worker.process.pid;
  const idleRssMb = await rssMb(pid);
  const calls = takeCallers(count);
  await pool(calls.length, 50, async (n) => {
    await missedCall(stack, calls[n]!, WAITING_NUMBER);
  });
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    // Every run has started once intake has signalled all calls; then wait for the worker to take
    // them in: each run records itself as it opens (so no backlog is left for what comes next).
    for (;;) {
      const { rows } = await db.query<{ n: string }>('select count(*) as n from calls where to_number = $1 and signalled_at is not null', [WAITING_NUMBER]);
      if (Number(rows[0]!.n) >= count) break;
      await sleep(500);
    }
    for (;;) {
      const { rows } = await db.query<{ n: string }>(
        'select count(*) as n from automation_runs where sub_account_id = (select sub_account_id from phone_numbers where e164 = $1)',
        [WAITING_NUMBER],
      );
      if (Number(rows[0]!.n) >= count) break;
      await sleep(500);
    }
  } finally {
    await db.end();
  }
  const readings: number[] = [];
  for (;;) {
    await sleep(2_000);
    readings.push(await rssMb(pid));
    const last = readings.slice(-3);
    if (last.length === 3 && Math.max(...last) - Math.min(...last) <= 0.02 * Math.max(...last)) break;
    if (readings.length > 120) break;
  }
  const rss = readings.at(-1)!;
  log(`  ${count} waiting runs: worker RSS ${Math.round(rss)} MB (idle ${Math.round(idleRssMb)} MB)`);
  return { waiting: count, rssMb: rss, idleRssMb };
}
