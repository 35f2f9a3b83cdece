/** A dependency did not answer in time; the caller is not kept waiting (Twilio gives up at 15 s). */
export class DeadlineExceededError extends Error {
  constructor(what: string, ms: number) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Settles like `work`, or rejects after `ms`. The work itself may still finish later; every step
 * this guards is idempotent, so a late finish is harmless. Written as one promise rather than a
 * race of two: it runs several times per webhook, and every promise costs while async hooks are on.
 */
export function withDeadline<T>(what: string, ms: number, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms);
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      clearTimeout(timer);
      throw error;
    }
    running.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
