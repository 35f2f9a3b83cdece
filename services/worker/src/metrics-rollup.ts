import type { MetricsRollup } from '@mctb/db';
import type { Logger } from '@mctb/service-kit';

/**
 * Rolls the metrics up by day every `intervalSeconds`, starting now (on every worker; the rollup's
 * lock lets one at a time do it). An agency's figures are at most one interval behind.
 */
export function startMetricsRollup(rollup: MetricsRollup, intervalSeconds: number, log: Logger): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    const started = Date.now();
    running = rollup
      .run()
      .then((report) => {
        if (report && report.daysMeasured > 0) log.debug({ ...report, ms: Date.now() - started }, 'metrics rolled up');
      })
      .catch((error: unknown) => log.warn({ err: error }, 'metrics rollup failed; trying again next interval'))
      .finally(() => {
        busy = false;
      });
  };
  const timer = setInterval(tick, intervalSeconds * 1000);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
