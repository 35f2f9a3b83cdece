import type { ProviderAccounts } from '@mctb/control';
import type { Orm } from '@mctb/db';
import type { PluginRegistry } from '@mctb/plugin-sdk';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlPlaneApp } from './app.js';

// Static files only: nothing here reaches the database, plugins or Twilio.
const deps = { orm: {} as Orm, plugins: {} as PluginRegistry, providerAccounts: {} as ProviderAccounts };

describe('the dashboard’s static files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mctb-dashboard-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>mctb dashboard</title>');
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('serves index.html at /dashboard/ (never cached) and leads / and /dashboard there', async () => {
    const app = createControlPlaneApp({ ...deps, dashboardDir: dir });
    const index = await app.request('/dashboard/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('mctb dashboard');
    for (const path of ['/', '/dashboard']) {
      const redirect = await app.request(path);
      expect(redirect.status, path).toBe(302);
      expect(redirect.headers.get('location'), path).toBe('/dashboard/');
    }
  });

  it('serves hashed assets as immutable, and nothing outside the folder', async () => {
    const app = createControlPlaneApp({ ...deps, dashboardDir: dir });
    const asset = await app.request('/dashboard/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await app.request('/dashboard/missing.js')).status).toBe(404);
    expect((await app.request('/dashboard/..%2f..%2fpackage.json')).status).toBe(404);
  });

  it('serves no dashboard when it isn’t built', async () => {
    const app = createControlPlaneApp({ ...deps, dashboardDir: join(dir, 'absent') });
    expect((await app.request('/dashboard/')).status).toBe(404);
    expect((await app.request('/')).status).toBe(404);
  });
});
