import { nextOpening, WEEKDAYS, type Weekday } from '@mctb/business-hours';
import { AutomationStore, Contact, Message, SubAccount } from '@mctb/db';
import { repoRoot } from '@mctb/devstack';
import { createEmptyDatabase } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, startTextBackHarness, type TextBackHarness } from '../testing/harness.js';
import { teamRepliedSignal } from '../textback-signals.js';

const ZONE = 'America/Chicago';
const starter = (name: string) => readFile(join(repoRoot, 'snapshots', `${name}.yaml`), 'utf8');

describe('the starter snapshots, run by the interpreter (time-skipping test server, real activities and PostgreSQL)', () => {
  let h: TextBackHarness;
  let caller = 15125550300;
  const nextCaller = () => `+${(caller += 1)}`;

  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('automation_recipes'), testServer: inject('temporalTestServer') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Skips the test server's clock to the next moment Chicago's clock reads that weekday and time. */
  async function advanceTo(day: Weekday, time: string): Promise<Date> {
    const [hours, minutes] = time.split(':').map(Number) as [number, number];
    const minute = hours * 60 + minutes;
    const weekly = WEEKDAYS.map((each) => (each === day ? [{ start: minute, end: minute + 1 }] : []));
    const now = await h.env.currentTimeMs();
    const at = nextOpening({ timeZone: ZONE, weekly, closed: [] }, ZONE, new Date(now + 60_000))!;
    await h.env.sleep(at.getTime() - now);
    return at;
  }

  async function knownContact(phone: string, init: { tags?: string[]; optedOut?: boolean; textedMinutesAgo?: number }): Promise<void> {
    const em = h.orm.em.fork();
    const contact = new Contact(em.getReference(SubAccount, h.subAccountId), phone, 'manual');
    contact.tags = init.tags ?? [];
    if (init.optedOut) contact.optedOutAt = new Date();
    em.persist(contact);
    if (init.textedMinutesAgo !== undefined) {
      const text = new Message({ subAccount: contact.subAccount, direction: 'inbound', fromNumber: phone, toNumber: h.twilioNumber, body: 'hi', status: 'received', provider: 'twilio' });
      text.contact = contact;
      text.createdAt = new Date((await h.env.currentTimeMs()) - init.textedMinutesAgo * 60_000);
      em.persist(text);
    }
    await em.flush();
  }

  const bodies = async (phone: string) => (await h.outbox(phone)).map((text) => text.body);

  describe('business hours and after hours', () => {
    beforeAll(async () => h.provision(await starter('after-hours-text-back')));

    it('after hours, tells the caller when the business opens', async () => {
      const phone = nextCaller();
      await advanceTo('tue', '19:58');
      const callSid = await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(1));
      expect((await bodies(phone))[0]).toMatch(/^Thanks for calling Greenfield Plumbing! We're closed right now and open tomorrow at 8:00 AM\./);
      expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'sent' });
      const [run] = await h.runs(phone);
      expect(run).toMatchObject({ workflowKey: 'text_back', snapshotSlug: 'after-hours-text-back', snapshotVersion: 1, status: 'completed', triggerRef: callSid });
      expect(run!.steps.map((step) => [step.stepId, step.status, step.detail])).toEqual([
        ['delay', 'done', null],
        ['hours', 'done', 'else'],
        ['text_after_hours', 'done', expect.stringMatching(/^sent /)],
      ]);
    });

    it('on Saturday afternoon, says the business opens Monday', async () => {
      const phone = nextCaller();
      await advanceTo('sat', '14:00');
      await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(1));
      expect((await bodies(phone))[0]).toContain('open Monday at 8:00 AM.');
    });

    it('in business hours, sends the in-hours text', async () => {
      const phone = nextCaller();
      await advanceTo('wed', '10:00');
      await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(1));
      expect((await bodies(phone))[0]).toMatch(/^Hi there, sorry we missed your call at Greenfield Plumbing!/);
    });
  });

  describe('exclusions', () => {
    beforeAll(async () => h.provision(await starter('skip-team-and-conversations')));

    it.each([
      ['a team member (exclusion tag)', { tags: ['team'] }, 'excluded: the contact is tagged "team"'],
      ['a caller who texted two hours ago', { textedMinutesAgo: 120 }, 'conversation: the caller texted within the last 24h'],
      ['a caller who opted out', { optedOut: true }, 'excluded: the contact has opted out of texts'],
    ])('skips %s and records why on the call', async (_, init, reason) => {
      const phone = nextCaller();
      await knownContact(phone, init);
      const callSid = await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'skipped', textBackReason: reason }));
      expect(await h.outbox(phone)).toHaveLength(0);
    });

    it('never texts the business\'s own forwarding number (a loop)', async () => {
      const callSid = await h.missedCall('+15125550199');
      await eventually(async () => expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'skipped', textBackReason: expect.stringMatching(/own numbers \(a loop\)/) }));
      expect(await h.outbox('+15125550199')).toHaveLength(0);
    });

    it('skips a number on the block list, with the reason', async () => {
      const phone = nextCaller();
      await h.orm.em.fork().getConnection().execute(`insert into blocked_numbers (sub_account_id, e164, reason) values (?, ?, 'spam')`, [h.subAccountId, phone]);
      const callSid = await h.missedCall(phone);
      await eventually(async () => expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'skipped', textBackReason: "excluded: the caller is on this sub-account's block list" }));
      expect(await h.outbox(phone)).toHaveLength(0);
    });

    it('skips every missed call while automations are paused, and texts again once the pause ends', async () => {
      const now = await h.env.currentTimeMs();
      const until = new Date(now + 60 * 60_000);
      const pause = (from: Date | null, to: Date | null) =>
        h.orm.em.fork().getConnection().execute(
          `update sub_accounts set automations_paused_from = ?, automations_paused_until = ?, automations_paused_reason = ? where id = ?`,
          [from, to, from ? 'office move' : null, h.subAccountId],
        );
      await pause(new Date(now - 60_000), until);
      const phone = nextCaller();
      const paused = await h.missedCall(phone);
      await eventually(async () =>
        expect(await h.call(paused)).toMatchObject({ textBackStatus: 'skipped', textBackReason: `paused: automations are paused until ${until.toISOString()} (office move)` }),
      );
      await h.env.sleep('61 minutes');
      const later = nextCaller();
      await h.missedCall(later);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await h.outbox(later)).toHaveLength(1));
      await pause(null, null);
    });

    it('texts a caller whose last text is older than the window', async () => {
      const phone = nextCaller();
      await knownContact(phone, { textedMinutesAgo: 25 * 60 });
      await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await h.outbox(phone)).toHaveLength(1));
    });
    it('with onlyNewContacts, skips a caller already known and texts a new one', async () => {
      const recipe = (await starter('skip-team-and-conversations')).replace('slug: skip-team-and-conversations', 'slug: only-new-callers').replace('exclusions:\n', 'exclusions:\n  onlyNewContacts: true\n');
      await h.provision(recipe);
      const known = nextCaller();
      await knownContact(known, {});
      const knownCall = await h.missedCall(known);
      await eventually(async () =>
        expect(await h.call(knownCall)).toMatchObject({ textBackStatus: 'skipped', textBackReason: 'excluded: only new contacts get automated texts, and this caller is known' }),
      );
      const stranger = nextCaller();
      await h.missedCall(stranger);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await h.outbox(stranger)).toHaveLength(1));
      expect(await h.outbox(known)).toHaveLength(0);
    });
  });

  describe('follow-up, callback task and nurture', () => {
    beforeAll(async () => h.provision(await starter('follow-up-and-callback')));

    it('a reply takes the replied branch: tagged, and no follow-up', async () => {
      const phone = nextCaller();
      await advanceTo('tue', '10:00');
      await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(1));
      await h.callerTexts(phone, 'Yes please call me back');
      await eventually(async () => expect((await h.contact(phone)).tags).toEqual(['replied']));
      await h.env.sleep('25 hours');
      expect(await bodies(phone)).toHaveLength(1);
      const [run] = await h.runs(phone);
      expect(run!.steps.find((step) => step.stepId === 'reply')).toMatchObject({ status: 'done', detail: 'replied' });
    });

    it('a team member\'s reply stops the follow-ups', async () => {
      const phone = nextCaller();
      await advanceTo('tue', '10:00');
      await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(1));
      await h.handle(phone).signal(teamRepliedSignal, { messageId: 'team-1' });
      await h.env.sleep('25 hours');
      expect(await bodies(phone)).toHaveLength(1);
      await eventually(async () => expect((await h.runs(phone))[0]).toMatchObject({ status: 'stopped', reason: expect.stringMatching(/team member replied/) }));
    });

    it('a second missed call while the run waits for a reply is answered by that run', async () => {
      const phone = nextCaller();
      await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(1));
      const second = await h.missedCall(phone);
      await eventually(async () => expect(await h.call(second)).toMatchObject({ textBackStatus: 'skipped', textBackReason: expect.stringMatching(/^collapsed: the automation for call .* is under way/) }));
      expect(await bodies(phone)).toHaveLength(1);
    });

    it('a follow-up due in quiet hours waits for the morning', async () => {
      const phone = nextCaller();
      await advanceTo('tue', '22:00');
      await h.missedCall(phone);
      // The first text answers a call just made: the snapshot sends it even at night.
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(1));

      await h.env.sleep('24 hours');
      await eventually(async () => expect((await h.state(phone)).currentStep).toBe('follow_up'));
      expect(await bodies(phone)).toHaveLength(1);
      await advanceTo('thu', '07:59');
      expect(await bodies(phone)).toHaveLength(1);
      await h.env.sleep('2 minutes');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(2));
    });

    it('with no reply: a second text a day later, a callback task, a tag, and the nurture sequence', async () => {
      const phone = nextCaller();
      await advanceTo('tue', '10:00');
      await h.missedCall(phone);
      await h.env.sleep('61 seconds');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(1));
      expect((await h.state(phone)).currentStep).toBe('reply');

      await h.env.sleep('24 hours');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(2));
      expect((await bodies(phone))[1]).toMatch(/^Just checking in from Greenfield Plumbing/);
      const contact = await h.contact(phone);
      await eventually(async () => expect((await h.contact(phone)).tags).toEqual(['no reply']));
      const tasks = await new AutomationStore(h.orm).openTasks(h.subAccountId);
      expect(tasks.filter((task) => task.contactId === contact.id)).toEqual([
        expect.objectContaining({ title: `Call back ${phone} (missed call, no reply)`, assignee: 'owner', stepId: 'callback' }),
      ]);
      await eventually(async () => {
        const runs = await h.runs(phone);
        expect(runs.map((run) => [run.workflowKey, run.status, run.currentStep])).toEqual([
          ['nurture', 'running', 'pause'],
          ['missed_call', 'completed', null],
        ]);
      });

      await h.env.sleep('3 days');
      await eventually(async () => expect(await bodies(phone)).toHaveLength(3));
      expect((await bodies(phone))[2]).toMatch(/we're one text away/);
      await eventually(async () => expect((await h.runs(phone))[0]).toMatchObject({ workflowKey: 'nurture', status: 'completed' }));
    });
  });
});
