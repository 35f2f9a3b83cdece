import { SingleBar } from 'cli-progress';
import type { Io } from './io.js';

export interface RunCounts {
  total: number;
  applied: number;
  unchanged: number;
  failed: number;
}

export interface ProgressView {
  update(counts: RunCounts): void;
  stop(): void;
}

/**
 * A live bar on a terminal (done = applied + unchanged + failed); elsewhere (a pipe, CI) one plain
 * line each time the counts change, so logs stay readable.
 */
export function progressView(io: Io): ProgressView {
  if (!io.errIsTTY) {
    let last = '';
    return {
      update(counts) {
        const line = `progress: ${describeCounts(counts)}`;
        if (line !== last) io.err(line);
        last = line;
      },
      stop() {},
    };
  }
  const bar = new SingleBar({
    stream: io.errStream,
    format: 'provisioning [{bar}] {value}/{total} | applied {applied}, unchanged {unchanged}, failed {failed}',
    barCompleteChar: '#',
    barIncompleteChar: '.',
    hideCursor: true,
  });
  let started = false;
  return {
    update(counts) {
      const done = counts.applied + counts.unchanged + counts.failed;
      const payload = { applied: counts.applied, unchanged: counts.unchanged, failed: counts.failed };
      if (!started) bar.start(counts.total, done, payload);
      else bar.update(done, payload);
      started = true;
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function describeCounts(counts: RunCounts): string {
  const done = counts.applied + counts.unchanged + counts.failed;
  return `${done}/${counts.total} done (applied ${counts.applied}, unchanged ${counts.unchanged}, failed ${counts.failed})`;
}
