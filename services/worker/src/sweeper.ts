import type { CallIntake } from '@mctb/telephony';

/**
 * Re-drives missed calls that were stored but never signalled (a gateway died in between), so no
 * missed call is lost. Signals are idempotent, so overlapping sweeps on several workers are safe.
 */
export function startSweeper(calls: CallIntake, intervalSeconds: number): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = calls
      .sweep({ settledBefore: new Date(Date.now() - 30_000), limit: 200 })
      .then((count) => {
        if (count > 0) console.log(`[worker] sweep re-signalled ${count} missed call(s)`);
      })
      .catch((error: unknown) => console.error('[worker] sweep failed', error));
  }, intervalSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
