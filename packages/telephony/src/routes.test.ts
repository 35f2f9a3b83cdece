import { setUpAccount } from '@mctb/control';
import { announceRoutingChange, createOrm, migrate, SubAccount, type Orm } from '@mctb/db';
import { eventually, repoRoot } from '@mctb/devstack';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createEmptyDatabase, startTcpProxy, type TcpProxy, type TestDatabase } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Routes } from './routes.js';
import { followRoutingChanges } from './routing-changes.js';

const NUMBER = '+15125550100';

describe('Routes: number routing cached for a few seconds, dropped on change, kept for outages', () => {
  let database: TestDatabase;
  let orm: Orm;
  let link: TcpProxy;
  let gatewayOrm: Orm;
  let subAccountId: string;

  beforeAll(async () => {
    database = await createEmptyDatabase('routes');
    orm = await createOrm(database.url);
    await migrate(orm);
    ({ subAccountId } = await setUpAccount(orm.em.fork(), firstPartyPlugins(), {
      agencyName: 'Acme',
      subAccount: { name: 'Greenfield', timeZone: 'UTC', twilioNumber: NUMBER, forwardingNumber: '+15125550199', incomingCallTimeout: 18 },
      snapshotYaml: await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8'),
      customValues: { booking_link: 'https://book.example' },
    }));
    // The gateway's side reaches PostgreSQL through a proxy the test can take away.
    link = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url).port) });
    const url = new URL(database.url);
    url.port = String(link.port);
    gatewayOrm = await createOrm(url.toString());
  });
  afterAll(async () => {
    await gatewayOrm?.close();
    await link?.stop();
    await orm?.close();
    await database?.drop();
  });

  const ringTimeout = async (routes: Routes) => {
    const found = await routes.lookup(NUMBER);
    if (found.kind !== 'found') throw new Error(`not routed: ${found.kind}`);
    return found.route.ringTimeoutSeconds;
  };
  const setTimeoutTo = (seconds: number) => orm.em.fork().nativeUpdate(SubAccount, { id: subAccountId }, { incomingCallTimeout: seconds });

  it('reuses an answer within its time to live, and drops it at once when the sub-account changes', async () => {
    const routes = new Routes({ orm: gatewayOrm, deadlineMs: 2_000, ttlMs: 60_000 });
    let listening: () => void = () => undefined;
    const listeningNow = new Promise<void>((resolve) => (listening = resolve));
    const stop = followRoutingChanges(new URL(database.url).toString(), routes, undefined, () => listening());
    try {
      // Once listening, the feed drops the cache for what it may have missed: only then is a cached answer kept.
      await listeningNow;
      await setTimeoutTo(18);
      expect(await ringTimeout(routes)).toBe(18);
      await setTimeoutTo(19);
      expect(await ringTimeout(routes)).toBe(18); // cached
      await eventually(async () => {
        await announceRoutingChange(orm.em.fork(), subAccountId);
        expect(await ringTimeout(routes)).toBe(19);
      });
    } finally {
      await stop();
    }
  });

  it('still routes a known number when PostgreSQL is down, even after the change feed broke', async () => {
    const routes = new Routes({ orm: gatewayOrm, deadlineMs: 1_000, ttlMs: 60_000 });
    await setTimeoutTo(17);
    expect(await ringTimeout(routes)).toBe(17);
    routes.expireAll(); // what losing the change feed does
    await link.set('down');
    try {
      const found = await routes.lookup(NUMBER);
      expect(found).toMatchObject({ kind: 'found', stale: true, route: { ringTimeoutSeconds: 17 } });
      expect(await routes.lookup('+15125559999')).toMatchObject({ kind: 'unavailable' });
    } finally {
      await link.set('open');
    }
  });
});
