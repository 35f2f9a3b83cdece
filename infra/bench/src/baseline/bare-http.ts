/**
 * The baseline web service, a process of its own like the gateway: a Hono hello-world, and a Hono
 * handler doing the single durable write a webhook needs (one INSERT … ON CONFLICT) through a plain
 * pg pool. Port from BENCH_HTTP_PORT, database from BENCH_DATABASE_URL.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 20 });
await pool.query('create table if not exists bench_calls (call_sid text primary key, from_number text not null, created_at timestamptz not null default now())');
const app = new Hono();
app.post('/hello', (c) => c.text('hello'));
app.post('/write', async (c) => {
  const form = new URLSearchParams(await c.req.text());
  await pool.query('insert into bench_calls (call_sid, from_number) values ($1, $2) on conflict (call_sid) do nothing', [form.get('CallSid'), form.get('From')]);
  return c.text('<Response/>', 200, { 'content-type': 'text/xml' });
});
serve({ fetch: app.fetch, port: Number(process.env.BENCH_HTTP_PORT), hostname: '127.0.0.1' }, () => console.log('bare http ready'));
process.once('SIGTERM', () => void pool.end().then(() => process.exit(0)));
