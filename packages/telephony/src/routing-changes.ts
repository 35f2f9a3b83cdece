import { ROUTING_CHANNEL } from '@mctb/db';
import { silentLogger, type Logger } from '@mctb/service-kit';
import pg from 'pg';
import type { Routes } from './routes.js';

/**
 * Listens for routing changes (control plane: call handling, plugins, provisioning) and drops the
 * affected numbers from the gateway's cache at once. While the connection is down nothing can be
 * heard, so every cached answer is re-read before reuse (kept as the fallback if PostgreSQL is down),
 * and the listener reconnects with a back-off.
 */
export function followRoutingChanges(
  databaseUrl: string,
  routes: Routes,
  log: Logger = silentLogger,
  /** Called each time the feed is listening again (after the cache was dropped for what it missed). */
  onListening: () => void = () => undefined,
): () => Promise<void> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let delayMs = 500;

  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on('notification', (message) => {
      if (message.channel === ROUTING_CHANNEL && message.payload) routes.forgetSubAccount(message.payload);
    });
    next.on('error', () => reconnect(next));
    next.on('end', () => reconnect(next));
    try {
      await next.connect();
      await next.query(`listen ${ROUTING_CHANNEL}`);
      client = next;
      delayMs = 500;
      // Changes made while we were not listening were missed.
      routes.expireAll();
      onListening();
    } catch (error) {
      log.warn({ err: error }, 'cannot listen for routing changes yet; retrying');
      reconnect(next);
    }
  };
  const reconnect = (broken: pg.Client) => {
    if (stopped || (client !== null && client !== broken)) return;
    client = null;
    routes.expireAll();
    void broken.end().catch(() => undefined);
    clearTimeout(retry);
    retry = setTimeout(() => void connect(), delayMs);
    retry.unref();
    delayMs = Math.min(delayMs * 2, 30_000);
  };

  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
