import { verifyWebhookSignature } from '@mctb/activities';
import { SubAccount } from '@mctb/db';
import { repoRoot } from '@mctb/devstack';
import { createEmptyDatabase } from '@mctb/testkit';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { advanceTo } from '../testing/clock.js';
import { eventually, OWNER, startTextBackHarness, type TextBackHarness } from '../testing/harness.js';

/** A v2 snapshot whose missed-call workflow waits a minute, runs `steps`, then tags the contact. */
function snapshot(slug: string, steps: string): string {
  return `apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: ${slug}, name: Notify and webhooks, version: 1 }
customValues:
  - { key: booking_link, name: Booking link, required: true }
  - { key: crm_hook, name: CRM webhook URL }
quietHours: "off"
templates:
  owner_alert: "Missed call from {{ contact.phone }} at {{ location.name }}. Book them in: {{ custom_values.booking_link }}"
workflows:
  - key: missed_call
    trigger: { type: call.missed, outcomes: [no_answer] }
    steps:
      - { id: delay, wait: 60s }
${steps.trim().split('\n').map((line) => `      ${line}`).join('\n')}
      - { id: after, add_tag: carried on }
`;
}

describe('notify and webhook steps (time-skipping server, real SMTP, HTTP and PostgreSQL)', () => {
  let h: TextBackHarness;
  let caller = 15125550800;
  const nextCaller = () => `+${(caller += 1)}`;
  const alert = (phone: string) => `Missed call from ${phone} at Greenfield Plumbing. Book them in: https://book.example/greenfield`;
  const mailAbout = (phone: string) => h.mail.messages().filter((mail) => mail.text.includes(phone));
  const stepOf = async (phone: string, stepId: string) => (await h.runs(phone))[0]?.steps.find((step) => step.stepId === stepId);

  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('automation_notify'), testServer: inject('temporalTestServer') });
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Provisions the snapshot, places a missed call and lets the minute's wait pass. */
  async function runWith(slug: string, steps: string, customValues: Record<string, string> = {}): Promise<string> {
    await h.provision(snapshot(slug, steps), { booking_link: 'https://book.example/greenfield', ...customValues });
    const phone = nextCaller();
    await h.missedCall(phone);
    await h.env.sleep('61 seconds');
    return phone;
  }

  it('notify by e-mail: the owner gets the rendered template once, over SMTP', async () => {
    const phone = await runWith('notify-email', '- { id: alert_owner, notify: { channel: email, to: owner, template: owner_alert } }');
    await eventually(async () => expect(mailAbout(phone)).toHaveLength(1));
    const [run] = await h.runs(phone);
    expect(mailAbout(phone)[0]).toMatchObject({
      envelope: { from: 'notifications@mctb.localhost', to: [OWNER.email] },
      from: '"Greenfield Plumbing" <notifications@mctb.localhost>',
      to: [OWNER.email],
      subject: `Greenfield Plumbing: ${alert(phone)}`,
      text: alert(phone),
      messageId: `<${run!.id}/alert_owner@mctb>`,
    });
    await eventually(async () => expect(await stepOf(phone, 'after')).toMatchObject({ status: 'done' }));
    expect(await stepOf(phone, 'alert_owner')).toMatchObject({ status: 'done', detail: expect.stringMatching(/^e-mailed owner@greenfield\.example: 250 /) });
    expect(await h.notifications(phone)).toEqual([expect.objectContaining({ channel: 'email', recipient: OWNER.email, status: 'sent', attempts: 1 })]);
    await h.env.sleep('1 day');
    expect(mailAbout(phone)).toHaveLength(1);
  });

  it('notify by SMS: one text to the owner, from the business number', async () => {
    const phone = await runWith('notify-sms', '- { id: text_owner, notify: { channel: sms, to: owner, template: owner_alert } }');
    const toOwner = async () => (await h.outbox(OWNER.phone)).filter((text) => text.body.includes(phone));
    await eventually(async () => expect(await toOwner()).toHaveLength(1));
    expect((await toOwner())[0]).toMatchObject({ fromNumber: h.twilioNumber, body: alert(phone) });
    await eventually(async () => expect(await stepOf(phone, 'after')).toMatchObject({ status: 'done' }));
    expect(await stepOf(phone, 'text_owner')).toMatchObject({ status: 'done', detail: expect.stringMatching(new RegExp(`^texted \\${OWNER.phone}: `)) });
    // The caller got nothing: the note went to the owner only.
    expect(await h.outbox(phone)).toEqual([]);
  });

  it('a step whose recipient has no address of the channel\'s kind fails with the reason, and the run goes on', async () => {
    const phone = await runWith('notify-unresolvable', '- { id: alert_desk, notify: { channel: email, to: custom_values.crm_hook, template: owner_alert } }', { crm_hook: '' });
    await eventually(async () => expect(await stepOf(phone, 'after')).toMatchObject({ status: 'done' }));
    expect(await stepOf(phone, 'alert_desk')).toMatchObject({ status: 'failed', detail: 'custom value "crm_hook" is empty' });
  });

  it('a webhook step POSTs once, signed and with the idempotency key; a 500 is retried, then delivered', async () => {
    h.webhooks.answerNext('/crm-retried', 500);
    const phone = await runWith('webhook-retried', '- { id: crm, webhook: { url: custom_values.crm_hook, timeout: 5s, retries: 3 } }', { crm_hook: `${h.webhooks.url}/crm-retried` });
    await eventually(async () => expect(await stepOf(phone, 'after')).toMatchObject({ status: 'done' }));
    const requests = h.webhooks.requests('/crm-retried');
    expect(requests.map((request) => request.answeredWith)).toEqual([500, 200]);

    const [run] = await h.runs(phone);
    const secret = (await h.orm.em.fork().findOneOrFail(SubAccount, h.subAccountId)).webhookSigningSecret!;
    for (const request of requests) {
      expect(request.headers['idempotency-key']).toBe(`${run!.id}/crm`);
      expect(verifyWebhookSignature({ secret, header: request.headers['x-mctb-signature'] as string, body: request.body })).toMatchObject({ ok: true });
      expect(request.body).toBe(requests[0]!.body);
    }
    expect(JSON.parse(requests[0]!.body)).toMatchObject({
      id: `${run!.id}/crm`,
      type: 'automation.webhook',
      run: { id: run!.id, workflow: 'missed_call', snapshot: { slug: 'webhook-retried', version: 1 } },
      step: { id: 'crm', kind: 'webhook' },
      contact: { phone, isNew: true },
      trigger: { type: 'call.missed', outcome: 'no_answer', businessNumber: h.twilioNumber },
    });
    expect(await stepOf(phone, 'crm')).toMatchObject({ status: 'done', detail: expect.stringMatching(/: HTTP 200 in \d+ ms$/) });
    expect(await h.notifications(phone)).toEqual([expect.objectContaining({ channel: 'webhook', status: 'sent', attempts: 2, responseStatus: 200 })]);
    await h.env.sleep('1 hour');
    expect(h.webhooks.requests('/crm-retried')).toHaveLength(2);
  });

  it('a webhook whose receiver always fails is recorded as failed after its retries, and the run goes on', async () => {
    h.webhooks.answerAlways('/crm-down', { status: 500, body: 'database unavailable' });
    const phone = await runWith('webhook-down', '- { id: crm, webhook: { url: custom_values.crm_hook, timeout: 5s, retries: 2 } }', { crm_hook: `${h.webhooks.url}/crm-down` });
    await eventually(async () => expect(await stepOf(phone, 'after')).toMatchObject({ status: 'done' }));
    expect(h.webhooks.requests('/crm-down')).toHaveLength(3);
    expect(await stepOf(phone, 'crm')).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/^attempt 3: HTTP 500 in \d+ ms: database unavailable \(gave up after 3 attempts\)$/),
    });
    expect(await h.notifications(phone)).toEqual([expect.objectContaining({ status: 'failed', attempts: 3, responseStatus: 500 })]);
    await eventually(async () => expect((await h.runs(phone))[0]).toMatchObject({ status: 'completed' }));
    expect((await h.contact(phone)).tags).toEqual(['carried on']);
  });

  it('the follow-up starter e-mails the owner when a caller never replies', async () => {
    await h.provision(await readFile(join(repoRoot, 'snapshots/follow-up-and-callback.yaml'), 'utf8'));
    const phone = nextCaller();
    await advanceTo(h.env, 'America/Chicago', 'tue', '10:00');
    await h.missedCall(phone);
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await h.outbox(phone)).toHaveLength(1));
    expect(mailAbout(phone)).toEqual([]);
    await h.env.sleep('24 hours');
    await eventually(async () => expect(mailAbout(phone)).toHaveLength(1));
    expect(mailAbout(phone)[0]).toMatchObject({ to: [OWNER.email], text: `${phone} called Greenfield Plumbing a day ago and hasn't replied to our texts. A callback task is open for them.` });
  });
});
