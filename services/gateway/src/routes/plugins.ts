import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { GatewayDeps } from '../context.js';

const STATUS = { not_found: 404, bad_request: 400, unauthorized: 401 } as const;

/** Webhooks of plugins' own services, e.g. `POST /plugins/voice-ai/webhooks/events`. */
export function pluginRoutes(deps: GatewayDeps): Hono {
  const app = new Hono();
  app.post('/:pluginId/webhooks/:name', async (c) => {
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const result = await deps.pluginWebhooks.handle(c.req.param('pluginId'), c.req.param('name'), { rawBody: await c.req.text(), headers });
    // PostgreSQL or Temporal is down: the plugin's service retries (a 4xx would make it give up).
    if (result.kind === 'unavailable') return c.json({ error: result.message }, 503, { 'Retry-After': String(result.retryAfterSeconds) });
    if (result.kind !== 'handled') throw new HTTPException(STATUS[result.kind], { message: result.message });
    return c.json({ ok: true });
  });
  return app;
}
