import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A webhook request as a receiver saw it. */
export interface ReceivedWebhook {
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
}

/** A local HTTP server recording every POST it gets and answering 204; for tests of outgoing webhooks. */
export async function startWebhookReceiver(): Promise<{
  origin: string;
  received: ReceivedWebhook[];
  stop(): Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const app = new Hono();
  app.post('*', async (c) => {
    received.push({
      url: c.req.url,
      headers: c.req.header(),
      params: Object.fromEntries(new URLSearchParams(await c.req.text())),
    });
    return c.body(null, 204);
  });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started as Server));
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    stop: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
