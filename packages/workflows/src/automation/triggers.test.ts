import { messageRunWorkflowId } from '@mctb/domain';
import { Contact, SubAccount } from '@mctb/db';
import { createEmptyDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, startTextBackHarness, type TextBackHarness } from '../testing/harness.js';
import { triggersSnapshot } from '../testing/snapshots.js';
import { TEXT_BACK_TASK_QUEUE, textBackStateQuery } from '../textback-signals.js';
import type { AutomationInput } from './automation-workflow.js';


describe('workflows on message.received and contact.tagged (time-skipping server, real activities and PostgreSQL)', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('automation_triggers'), testServer: inject('temporalTestServer') });
    await h.provision(triggersSnapshot());
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** What the gateway does for an inbound text that is not a keyword. */
  async function textReceived(from: string, messageSid: string) {
    const input: AutomationInput = { open: { subAccountId: h.subAccountId, contactPhone: from, trigger: { type: 'message.received', messageSid, to: h.twilioNumber } } };
    const workflowId = messageRunWorkflowId(h.subAccountId, messageSid);
    await h.env.client.workflow.start('automationWorkflow', { taskQueue: TEXT_BACK_TASK_QUEUE, workflowId, args: [input] }).catch(() => undefined);
    // Waiting with result() would let the test server skip time (hours) while the run works.
    const handle = h.env.client.workflow.getHandle(workflowId);
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
    return handle.query(textBackStateQuery);
  }
  const bodies = async (phone: string) => (await h.outbox(phone)).map((text) => text.body);

  it('answers a received text once per MessageSid, and once per contact inside the workflow\'s window', async () => {
    const phone = '+15125550801';
    await Promise.all([textReceived(phone, 'SM-1'), textReceived(phone, 'SM-1')]);
    expect(await bodies(phone)).toEqual(['Thanks for your text, friend! Greenfield Plumbing will answer shortly.']);
    const [run] = await h.runs(phone);
    expect(run).toMatchObject({ workflowKey: 'auto_reply', triggerType: 'message.received', triggerRef: 'SM-1', status: 'completed' });

    const second = await textReceived(phone, 'SM-2');
    expect(second.cancelledBecause).toBe('dedup: automation "auto_reply" already ran for this contact inside its window');
    expect(await bodies(phone)).toHaveLength(1);
  });

  it('does not answer a contact who opted out', async () => {
    const phone = '+15125550802';
    const em = h.orm.em.fork();
    const contact = new Contact(em.getReference(SubAccount, h.subAccountId), phone, 'sms');
    contact.optedOutAt = new Date();
    await em.persist(contact).flush();
    const result = await textReceived(phone, 'SM-3');
    expect(result.cancelledBecause).toBe('excluded: the contact has opted out of texts');
    expect(await h.outbox(phone)).toHaveLength(0);
  });

  it('a tag a step adds starts the workflow listening for it, once', async () => {
    const phone = '+15125550803';
    await h.missedCall(phone);
    await eventually(async () => expect(await bodies(phone)).toEqual(['Sorry we missed you at Greenfield Plumbing!', 'Welcome to Greenfield Plumbing! Book any time: https://book.example/greenfield']));
    expect((await h.contact(phone)).tags).toEqual(['lead']);
    await eventually(async () => {
      const runs = await h.runs(phone);
      expect(runs.map((run) => [run.workflowKey, run.triggerType, run.status]).sort()).toEqual([
        ['missed_call', 'call.missed', 'completed'],
        ['welcome_leads', 'contact.tagged', 'completed'],
      ]);
    });
  });
});
