import { Contact } from '@mctb/db';
import { textBackWorkflowId } from '@mctb/domain';
import { createEmptyDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { ManualMessageInput } from './manual-message-workflow.js';
import { manualMessageWorkflow } from './manual-message-workflow.js';
import { TEXT_BACK_TASK_QUEUE } from './textback-signals.js';
import { eventually, startTextBackHarness, type TextBackHarness } from './testing/harness.js';

describe('manualMessageWorkflow', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    // The starter snapshot waits 60 s before texting: time a team reply can come first.
    h = await startTextBackHarness({ database: await createEmptyDatabase('workflows_manual_message'), testServer: inject('temporalTestServer') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const run = (workflowId: string, input: Omit<ManualMessageInput, 'subAccountId' | 'from' | 'provider'>) =>
    h.env.client.workflow.execute(manualMessageWorkflow, {
      taskQueue: TEXT_BACK_TASK_QUEUE,
      workflowId,
      args: [{ subAccountId: h.subAccountId, from: h.twilioNumber, provider: 'outbox', ...input }],
    });
  const contactFor = async (phone: string) => (await h.orm.em.fork().getRepository(Contact).findOrCreateByPhone(h.subAccountId, phone, 'manual')).contact;

  it('sends once per intent, even from a second run, and a reply to a contact with no run still goes out', async () => {
    const phone = '+15125550601';
    const contact = await contactFor(phone);
    const input = { intentId: 'manual/test/one', contactId: contact.id, to: phone, body: 'Hello from the team', teamReplyTo: textBackWorkflowId(h.subAccountId, phone) };
    const first = await run('manual-1', input);
    expect(first).toMatchObject({ kind: 'sent', alreadySent: false });
    // Another run with the same intent (a workflow id reused after retention) finds it sent.
    expect(await run('manual-1-again', input)).toEqual({ kind: 'sent', messageId: (first as { messageId: string }).messageId, alreadySent: true });
    expect((await h.outbox(phone)).map((message) => message.body)).toEqual(['Hello from the team']);
  });

  it("refuses a contact who opted out, with the sender's reason", async () => {
    const phone = '+15125550602';
    const contact = await contactFor(phone);
    await h.orm.em.fork().nativeUpdate(Contact, { id: contact.id }, { optedOutAt: new Date() });
    expect(await run('manual-2', { intentId: 'manual/test/two', contactId: contact.id, to: phone, body: 'Hi', teamReplyTo: null })).toMatchObject({
      kind: 'refused',
      reason: 'recipient has opted out of texts',
    });
    expect(await h.outbox(phone)).toEqual([]);
  });

  it('a team reply during the delay stops the pending text-back: only the reply is sent', async () => {
    const caller = '+15125550603';
    const callSid = await h.missedCall(caller);
    // The run stores the caller as a contact, then waits out its delay.
    await eventually(async () => expect((await h.state(caller)).phase).toBe('delaying'));
    const contact = await h.contact(caller);
    const result = await run('manual-3', { intentId: 'manual/reply/three', contactId: contact.id, to: caller, body: 'Calling you right back', teamReplyTo: textBackWorkflowId(h.subAccountId, caller) });
    expect(result).toMatchObject({ kind: 'sent' });
    await h.handle(caller).result();
    expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'skipped', textBackReason: expect.stringContaining('a team member replied') });
    expect((await h.outbox(caller)).map((message) => message.body)).toEqual(['Calling you right back']);
  });
});
