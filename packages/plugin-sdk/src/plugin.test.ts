import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { definePlugin } from './plugin.js';
import { PluginRegistry } from './registry.js';
import { signPayload, verifySignedPayload } from './signed-payload.js';

const manifest = {
  id: 'demo-plugin',
  name: 'Demo',
  version: '1.2.3',
  description: 'A plugin for tests',
  author: 'mctb',
  permissions: [],
  configSchema: z.object({}),
  failurePolicy: 'open',
} as const;

describe('definePlugin', () => {
  it('refuses a malformed manifest at load time, naming the fields', () => {
    expect(() => definePlugin({ manifest: { ...manifest, id: 'Bad Id', version: 'one' }, hooks: {} })).toThrow(
      'plugin "Bad Id": id "Bad Id" must be lowercase words joined by dashes; version "one" is not a semantic version',
    );
    expect(definePlugin({ manifest, hooks: {} }).manifest.id).toBe('demo-plugin');
  });

  it('keeps one plugin per id in a registry', () => {
    const plugin = definePlugin({ manifest, hooks: {} });
    expect(() => new PluginRegistry([plugin, plugin])).toThrow('plugin "demo-plugin" is registered twice');
    expect(new PluginRegistry([plugin]).get('demo-plugin')).toBe(plugin);
  });
});

describe('signed plugin payloads', () => {
  it('verifies body, secret and freshness', () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const t = Math.floor(now.getTime() / 1000);
    const signature = signPayload('s3cret', t, '{"a":1}');
    const check = (overrides: Partial<Parameters<typeof verifySignedPayload>[0]>) =>
      verifySignedPayload({ secret: 's3cret', timestamp: String(t), signature, rawBody: '{"a":1}', now, ...overrides });
    expect(check({})).toBe(true);
    expect(check({ rawBody: '{"a":2}' })).toBe(false);
    expect(check({ secret: 'other' })).toBe(false);
    expect(check({ now: new Date(now.getTime() + 301_000) })).toBe(false);
    expect(check({ timestamp: 'yesterday' })).toBe(false);
    expect(check({ signature: 'zz' })).toBe(false);
  });
});
