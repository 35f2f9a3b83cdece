import { issueApiKey, revokeApiKey } from '@mctb/control';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@mctb/service-kit';
import { errorHandler } from './error-handler.js';
import { startControlPlane, type ControlPlaneHarness } from './testing/harness.js';

let cp: ControlPlaneHarness;
let token: string;
let agencyId: string;

beforeAll(async () => {
  cp = await startControlPlane('control_plane_http');
  ({ apiKey: token, agencyId } = await cp.seedAgency('Acme Agency', '+15125550100'));
});
afterAll(() => cp?.close());

const VIEWER = '{ viewer { agency { name } subAccountScoped } }';

describe('authentication', () => {
  it('answers a valid agency key', async () => {
    const response = await cp.graphql(token, VIEWER);
    expect(response).toMatchObject({ status: 200, data: { viewer: { agency: { name: 'Acme Agency' }, subAccountScoped: false } } });
  });

  it('refuses a request without a key with 401 and says what is missing', async () => {
    const response = await cp.graphql(null, VIEWER);
    expect(response.status).toBe(401);
    expect(response.errors).toEqual([{ message: 'missing Authorization: Bearer <api key>', extensions: { code: 'UNAUTHENTICATED' } }]);
    expect(response.data).toBeUndefined();
  });

  it('refuses a non-bearer Authorization header as missing', async () => {
    const response = await cp.app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      body: JSON.stringify({ query: VIEWER }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toMatchObject({ errors: [{ message: 'missing Authorization: Bearer <api key>' }] });
  });

  it('refuses garbled and unknown keys with 401', async () => {
    const unknown = token.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    for (const bad of ['not-a-key', 'mctb_short_x', unknown]) {
      const response = await cp.graphql(bad, VIEWER);
      expect(response.status, bad).toBe(401);
      expect(response.errors?.[0]?.message).toBe('invalid or revoked API key');
    }
  });

  it('refuses a revoked key with 401, also over GET', async () => {
    const em = cp.orm.em.fork();
    const issued = await issueApiKey(em, { agencyId, name: 'to revoke' });
    expect((await cp.graphql(issued.token, VIEWER)).status).toBe(200);
    expect(await revokeApiKey(em, { agencyId, subAccountId: null }, issued.key.id)).toBe(true);

    const response = await cp.app.request(`/graphql?query=${encodeURIComponent(VIEWER)}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${issued.token}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ errors: [{ message: 'invalid or revoked API key' }] });
  });

  it('answers GET requests with a key', async () => {
    const response = await cp.app.request(`/graphql?query=${encodeURIComponent(VIEWER)}`, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ data: { viewer: { agency: { name: 'Acme Agency' } } } });
  });

  it('serves the GraphiQL page to a browser without a key', async () => {
    const response = await cp.app.request('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('GraphiQL');
  });
});

describe('operations endpoints', () => {
  it('/healthz says the process is up', async () => {
    const response = await cp.app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('/readyz checks the database', async () => {
    const response = await cp.app.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('/metrics counts requests by route in Prometheus format', async () => {
    await cp.graphql(token, VIEWER);
    const response = await cp.app.request('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toMatch(/^http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+$/m);
  });
});

describe('request size', () => {
  it('refuses a body over 4 MB with 413 before reading it', async () => {
    const response = await cp.app.request('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { apiKeyId } }', padding: 'x'.repeat(4 * 1024 * 1024 + 1) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ errors: [{ message: 'request body is larger than 4194304 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });
});

describe('unexpected errors', () => {
  it('become a JSON 500 that reveals nothing about the cause, and the log holds no SQL parameters', async () => {
    const lines: string[] = [];
    const log = createLogger('control-plane', 'info', { write: (line: string) => lines.push(line) });
    const app = new Hono();
    app.get('/boom', () => {
      // What a PostgreSQL driver error looks like: the statement with its parameters inlined.
      const error = new Error("insert into contacts (phone) values ('+15125550123') - connection to db-7.internal:5432 refused");
      error.name = 'DriverException';
      throw error;
    });
    app.onError(errorHandler(log));
    const response = await app.request('/boom');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ errors: [{ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    expect(text).not.toContain('db-7');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', err: 'DriverException: database operation failed', path: '/boom' });
    expect(lines[0]).not.toContain('5550123');
  });
});
