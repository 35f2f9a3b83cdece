import type { Logger, MetricsRegistry } from '@mctb/service-kit';
import type { CallSweeper } from '@mctb/telephony';

/**
 * Runs the call sweeper every `intervalSeconds` (on every worker; the sweeper's lock lets one at a
 * time do the work), so no missed call stays lost after a crash or an outage. Counts each attempt
 * by what became of it: swept, locked (another worker was sweeping) or failed.
 */
export function startSweeper(sweeper: CallSweeper, intervalSeconds: number, log: Logger, metrics: MetricsRegistry): () => Promise<void> {
  const attempts = metrics.counter('mctb_sweeps_total', "The call sweeper's attempts on this worker, by result: swept, locked (another worker held the sweep lock) or failed");
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = sweeper
      .sweep()
      .then((report) => {
        attempts.inc({ result: report ? 'swept' : 'locked' });
        if (report && report.resignalled + report.redriven + report.settledFromProvider > 0) log.info(report, 'sweep re-drove calls');
      })
      .catch((error: unknown) => {
        attempts.inc({ result: 'failed' });
        log.warn({ err: error }, 'sweep failed; trying again next interval');
      })
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
