import { createEmptyDatabase, type TestDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockedNumbersOf, removeBlockedNumber, storeBlockedNumber } from './block-list.js';
import { Agency, Contact, SubAccount } from './entities/index.js';
import { createOrm, migrate, type Orm } from './orm.js';

describe('block list, pause columns and contact pages', () => {
  let database: TestDatabase;
  let orm: Orm;
  let mine: SubAccount;
  let other: SubAccount;

  beforeAll(async () => {
    database = await createEmptyDatabase('db_block_list');
    orm = await createOrm(database.url);
    await migrate(orm);
    const agency = new Agency('Acme');
    const subAccount = (name: string) => new SubAccount({ agency, name, timeZone: 'UTC', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
    [mine, other] = [subAccount('Greenfield'), subAccount('Other')];
    await orm.em.fork().persist([mine, other]).flush();
  });
  afterAll(async () => {
    await orm?.close();
    await database?.drop();
  });

  it('blocks per sub-account, replaces the reason on a second block, pages by number and unblocks', async () => {
    const em = orm.em.fork();
    const first = await storeBlockedNumber(em, mine.id, '+15125550177', 'spam');
    const again = await storeBlockedNumber(em, mine.id, '+15125550177', null);
    expect(again).toEqual({ ...first, reason: null });
    await storeBlockedNumber(em, mine.id, '+15125550133', null);
    await storeBlockedNumber(em, other.id, '+15125550177', 'theirs');

    const pages = await blockedNumbersOf(em, [mine.id, other.id], { first: 1 });
    expect(pages.map((page) => page.map((blocked) => blocked.e164))).toEqual([['+15125550133'], ['+15125550177']]);
    expect((await blockedNumbersOf(em, [mine.id], { after: '+15125550133' }))[0]?.map((blocked) => blocked.e164)).toEqual(['+15125550177']);

    expect(await removeBlockedNumber(em, mine.id, '+15125550177')).toBe(true);
    expect(await removeBlockedNumber(em, mine.id, '+15125550177')).toBe(false);
    expect((await blockedNumbersOf(em, [other.id], {}))[0]).toEqual([expect.objectContaining({ e164: '+15125550177', reason: 'theirs' })]);
  });

  it('stores the pause in the columns the worker reads', async () => {
    const em = orm.em.fork();
    const subAccount = await em.findOneOrFail(SubAccount, mine.id);
    subAccount.automationsPausedFrom = new Date('2026-12-24T00:00:00Z');
    subAccount.automationsPausedUntil = new Date('2026-12-27T00:00:00Z');
    subAccount.automationsPausedReason = 'holidays';
    await em.flush();
    const [row] = await em.execute('select automations_paused_from, automations_paused_until, automations_paused_reason from sub_accounts where id = ?', [mine.id]);
    expect(new Date(row!.automations_paused_from as string).toISOString()).toBe('2026-12-24T00:00:00.000Z');
    expect(new Date(row!.automations_paused_until as string).toISOString()).toBe('2026-12-27T00:00:00.000Z');
    expect(row!.automations_paused_reason).toBe('holidays');
  });

  it('pages contacts newest first per sub-account, filtered by phone digits', async () => {
    const em = orm.em.fork();
    const contacts = em.getRepository(Contact);
    for (const phone of ['+15125550101', '+15125550102', '+15125550203']) await contacts.findOrCreateByPhone(mine.id, phone, 'missed_call');
    await contacts.findOrCreateByPhone(other.id, '+15125550104', 'missed_call');
    const phones = (pages: Contact[][]) => pages.map((page) => page.map((contact) => contact.phone));

    const [page] = await contacts.pagePerSubAccount([mine.id], { first: 2 });
    expect(phones([page!])).toEqual([['+15125550203', '+15125550102']]);
    expect(phones(await contacts.pagePerSubAccount([mine.id, other.id], { after: page![1]!.id }))).toEqual([['+15125550101'], []]);
    expect(phones(await contacts.pagePerSubAccount([mine.id, other.id], { phoneDigits: '55501' }))).toEqual([['+15125550102', '+15125550101'], ['+15125550104']]);
    expect(phones(await contacts.pagePerSubAccount([mine.id], { after: 'not-a-uuid' }))).toEqual([[]]);
  });

  it('has a down migration that removes the block list and the pause columns, and an up that brings them back', async () => {
    const migrator = orm.getMigrator();
    const columns = async () =>
      (await orm.em.fork().execute(`select column_name from information_schema.columns where table_name = 'sub_accounts' and column_name like 'automations_paused_%' order by 1`))
        .map((row) => row.column_name as string);
    const table = async () => (await orm.em.fork().execute(`select to_regclass('blocked_numbers')::text as name`))[0]?.name;

    await migrator.down({ migrations: ['Migration20261202010000'] });
    expect(await columns()).toEqual([]);
    expect(await table()).toBeNull();
    await migrator.up({ migrations: ['Migration20261202010000'] });
    expect(await columns()).toEqual(['automations_paused_from', 'automations_paused_reason', 'automations_paused_until']);
    expect(await table()).toBe('blocked_numbers');
  });
});
