import { Contact, Message } from '@mctb/db';
import { messageRunWorkflowId } from '@mctb/domain';
import { repoRoot } from '@mctb/devstack';
import { createEmptyDatabase } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, startTextBackHarness, type TextBackHarness } from '../testing/harness.js';
import { TEXT_BACK_TASK_QUEUE } from '../textback-signals.js';
import type { AutomationInput } from './automation-workflow.js';

const TEAM = { phone: '+15125550777', email: 'desk@greenfield.example' };

describe('the reply-routing starter: every text a caller sends reaches the team (time-skipping server, real activities, SMTP)', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('reply_routing'), testServer: inject('temporalTestServer') });
    const yaml = await readFile(join(repoRoot, 'snapshots/text-back-with-reply-routing.yaml'), 'utf8');
    await h.provision(yaml.replace('quietHours: "21:00-08:00"', 'quietHours: "off"'), { booking_link: 'https://book.example/g', team_phone: TEAM.phone, team_email: TEAM.email });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** What the gateway does for an inbound text: store it, then start the run for it (once per MessageSid). */
  async function textFrom(phone: string, messageSid: string, body: string): Promise<void> {
    const em = h.orm.em.fork();
    const { contact } = await em.getRepository(Contact).findOrCreateByPhone(h.subAccountId, phone, 'inbound_sms');
    await em.getRepository(Message).recordInbound({ subAccountId: h.subAccountId, contactId: contact.id, providerMessageId: messageSid, fromNumber: phone, toNumber: h.twilioNumber, body, provider: 'twilio' });
    const input: AutomationInput = { open: { subAccountId: h.subAccountId, contactPhone: phone, trigger: { type: 'message.received', messageSid, to: h.twilioNumber } } };
    const workflowId = messageRunWorkflowId(h.subAccountId, messageSid);
    // Twilio repeats webhooks: the second start finds the run.
    for (let i = 0; i < 2; i++) await h.env.client.workflow.start('automationWorkflow', { taskQueue: TEXT_BACK_TASK_QUEUE, workflowId, args: [input] }).catch(() => undefined);
    const handle = h.env.client.workflow.getHandle(workflowId);
    await eventually(async () => expect((await handle.describe()).status.name).toBe('COMPLETED'));
  }

  it('texts and e-mails the team each reply, with what the caller wrote, once', async () => {
    const caller = '+15125550781';
    await textFrom(caller, 'SM-route-1', 'Can someone come Friday?');
    await eventually(async () => {
      expect((await h.outbox(TEAM.phone)).map((text) => text.body)).toEqual([`${caller} replied to Greenfield Plumbing: Can someone come Friday?`]);
      expect(h.mail.messages().filter((mail) => mail.text.includes('Can someone come Friday?')).map((mail) => mail.to)).toEqual([[TEAM.email]]);
    });
    // The caller is not texted back for texting.
    expect(await h.outbox(caller)).toEqual([]);
  });
});
