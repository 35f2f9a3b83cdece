import type { Logger } from '@mctb/service-kit';
import type { CallSweeper } from '@mctb/telephony';

/**
 * Runs the call sweeper every `intervalSeconds` (on every worker; the sweeper's lock lets one at a
 * time do the work), so no missed call stays lost after a crash or an outage.
 */
export function startSweeper(sweeper: CallSweeper, intervalSeconds: number, log: Logger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = sweeper
      .sweep()
      .then((report) => {
        if (report && report.resignalled + report.redriven + report.settledFromProvider > 0) log.info(report, 'sweep re-drove calls');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'sweep failed; trying again next interval'))
      .finally(() => {
        busy = false;
      });
  }, intervalSeconds * 1000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
