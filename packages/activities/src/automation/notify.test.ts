import { Agency, Contact, createOrm, migrate, NotificationStore, OutboxMessage, SubAccount, type Orm } from '@mctb/db';
import { OutboxProvider, SmsSender } from '@mctb/sms';
import { createEmptyDatabase, startWebhookReceiver, type TestDatabase, type WebhookReceiver } from '@mctb/testkit';
import type { Client } from '@temporalio/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../deps.js';
import { MailRefusedError, type Mailer, type OutgoingMail } from '../mailer.js';
import { sendNotification, type NotifyInput } from './notify.js';
import type { PinnedRun } from './pinned-run.js';
import { deliverWebhook, type WebhookInput } from './webhook-delivery.js';
import { verifyWebhookSignature } from '@mctb/plugin-sdk';

/** A mailer that keeps what it is given; `fail` decides, per call, whether (and how) it fails. */
function recordingMailer() {
  const sent: OutgoingMail[] = [];
  const mailer: Mailer & { sent: OutgoingMail[]; fail: (mail: OutgoingMail) => Error | null } = {
    sent,
    fail: () => null,
    async send(mail) {
      const error = mailer.fail(mail);
      if (error instanceof MailRefusedError) throw error;
      sent.push(mail);
      // Anything else: the server accepted the message, then the connection broke (the crash window).
      if (error) throw error;
      return { messageId: mail.messageId, response: '250 OK' };
    },
    close: () => undefined,
  };
  return mailer;
}

describe('notify and webhook activities (PostgreSQL)', () => {
  let database: TestDatabase;
  let orm: Orm;
  let receiver: WebhookReceiver;
  let mailer: ReturnType<typeof recordingMailer>;
  let deps: ActivityDeps;
  let pinned: PinnedRun;
  let step = 0;
  const nextStep = () => `step_${(step += 1)}`;

  beforeAll(async () => {
    database = await createEmptyDatabase('activities_notify');
    orm = await createOrm(database.url);
    await migrate(orm);
    receiver = await startWebhookReceiver();
    const em = orm.em.fork();
    const subAccount = new SubAccount({ agency: new Agency('Acme'), name: 'Greenfield Plumbing', timeZone: 'America/Chicago', forwardingNumber: '+15125550199', incomingCallTimeout: 18 });
    subAccount.ownerEmail = 'owner@greenfield.example';
    const contact = new Contact(subAccount, '+15125550123', 'missed_call');
    contact.firstName = 'Dana';
    await em.persist([subAccount, contact]).flush();
    const sender = new SmsSender({ em: () => orm.em.fork(), providers: { outbox: new OutboxProvider(() => orm.em.fork()) }, statusCallbackUrl: () => null });
    mailer = recordingMailer();
    deps = { orm, sender, plugins: null as never, temporal: null as unknown as Client, mailer, allowPrivateNetworks: true };
    pinned = {
      runId: 'textback/sub/+15125550123/CA1', subAccountId: subAccount.id, snapshot: { slug: 'follow-up', version: 2 }, workflowKey: 'missed_call',
      workflows: {}, templates: { alert: 'Missed call from {{ contact.first_name }} ({{ contact.phone }}) at {{ location.name }}', broken: '{% if contact.phone %}unclosed' },
      customValues: { booking_link: 'https://book.example', alert_phone: '+15125550142', blank: '  ', not_a_phone: 'call me', crm: `${receiver.url}/crm` },
      zone: 'America/Chicago', businessHours: null, quietHours: null, exclusions: { tags: [], onlyNewContacts: false, activeConversationWithinSeconds: 0, dailyCap: 200 } as never,
      contact: { id: contact.id, phone: contact.phone, isNew: true },
      trigger: { type: 'call.missed', origin: 'call.missed', ref: 'CA1', callSid: 'CA1', callId: '00000000-0000-4000-8000-000000000001', outcome: 'no_answer', parentRunId: null },
      businessName: 'Greenfield Plumbing', from: '+15125550100', provider: 'outbox', beforeSendHooks: false, startedAt: Date.UTC(2026, 11, 2, 16),
    };
  });
  beforeEach(() => {
    mailer.sent.splice(0);
    mailer.fail = () => null;
  });
  afterAll(async () => {
    await receiver?.stop();
    await orm?.close();
    await database?.drop();
  });

  const notify = (channel: NotifyInput['channel'], to: NotifyInput['to'], stepId = nextStep()): NotifyInput => ({ pinned, stepId, channel, to, template: 'alert', asOf: pinned.startedAt });
  const row = async (stepId: string) => (await new NotificationStore(orm).ofRun(pinned.runId)).find((notification) => notification.stepId === stepId);

  it('e-mails the owner the rendered template once, however often it is retried', async () => {
    const input = notify('email', { type: 'owner' });
    const outcome = await sendNotification(deps, input);
    expect(await sendNotification(deps, input)).toEqual(outcome);
    expect(outcome).toEqual({ kind: 'sent', detail: 'e-mailed owner@greenfield.example: 250 OK' });
    expect(mailer.sent).toEqual([{
      fromName: 'Greenfield Plumbing',
      to: 'owner@greenfield.example',
      subject: 'Greenfield Plumbing: Missed call from Dana (+15125550123) at Greenfield Plumbing',
      text: 'Missed call from Dana (+15125550123) at Greenfield Plumbing',
      messageId: `<textback/sub/+15125550123/CA1/${input.stepId}@mctb>`,
    }]);
    expect(await row(input.stepId)).toMatchObject({ channel: 'email', status: 'sent', attempts: 1, sentAt: expect.any(Date) });
  });

  it('sends again with the same Message-ID when the server accepted but the attempt broke (mail clients keep one)', async () => {
    const input = notify('email', { type: 'owner' });
    let calls = 0;
    mailer.fail = () => ((calls += 1) === 1 ? new Error('Connection closed unexpectedly') : null);
    await expect(sendNotification(deps, input)).rejects.toThrow('Connection closed unexpectedly');
    expect(await row(input.stepId)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await sendNotification(deps, input)).toMatchObject({ kind: 'sent' });
    expect(mailer.sent.map((mail) => mail.messageId)).toEqual([`<${pinned.runId}/${input.stepId}@mctb>`, `<${pinned.runId}/${input.stepId}@mctb>`]);
    expect(await row(input.stepId)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('fails at once on a permanent SMTP refusal, and retries a temporary one', async () => {
    const refused = notify('email', { type: 'literal', value: 'nobody@greenfield.example' });
    mailer.fail = () => new MailRefusedError('550 5.1.1 mailbox unavailable', true);
    expect(await sendNotification(deps, refused)).toEqual({ kind: 'failed', reason: 'the mail server refused it: 550 5.1.1 mailbox unavailable' });
    expect(await sendNotification(deps, refused)).toMatchObject({ kind: 'failed' });
    expect(await row(refused.stepId)).toMatchObject({ status: 'failed', attempts: 1 });

    mailer.fail = () => new MailRefusedError('421 try again later', false);
    await expect(sendNotification(deps, notify('email', { type: 'owner' }))).rejects.toThrow('421 try again later');
  });

  it('texts a custom value\'s number from the business number, once (SmsSender\'s intent)', async () => {
    const input = notify('sms', { type: 'custom_value', key: 'alert_phone' });
    expect(await sendNotification(deps, input)).toMatchObject({ kind: 'sent', detail: expect.stringMatching(/^texted \+15125550142: /) });
    await sendNotification(deps, input);
    const texts = await orm.em.fork().find(OutboxMessage, { toNumber: '+15125550142' });
    expect(texts.map((text) => [text.fromNumber, text.body])).toEqual([['+15125550100', 'Missed call from Dana (+15125550123) at Greenfield Plumbing']]);
  });

  it.each([
    ['the owner has no phone', 'sms', { type: 'owner' }, "the sub-account's owner has no phone number set"],
    ['an empty custom value', 'email', { type: 'custom_value', key: 'blank' }, 'custom value "blank" is empty'],
    ['a custom value that is not a phone number', 'sms', { type: 'custom_value', key: 'not_a_phone' }, '"call me" (custom value not_a_phone) is not a phone number in E.164 form'],
    ['a number where an e-mail address belongs', 'email', { type: 'custom_value', key: 'alert_phone' }, '"+15125550142" (custom value alert_phone) is not an e-mail address'],
  ] as const)('fails with the reason, sending nothing, for %s', async (_, channel, to, reason) => {
    const input = notify(channel, to);
    expect(await sendNotification(deps, input)).toEqual({ kind: 'failed', reason });
    expect(mailer.sent).toEqual([]);
    expect(await row(input.stepId)).toBeUndefined();
  });

  it('fails on a template that does not render', async () => {
    expect(await sendNotification(deps, { ...notify('email', { type: 'owner' }), template: 'broken' })).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^template: /) });
  });

  const webhook = (overrides: Partial<WebhookInput> = {}): WebhookInput => ({
    pinned, stepId: nextStep(), kind: 'webhook', url: { type: 'custom_value', key: 'crm' }, template: null, timeoutSeconds: 5, maxAttempts: 3, asOf: pinned.startedAt, ...overrides,
  });

  it('POSTs the event signed, with the idempotency key; a 500 is retried with the same body, then delivered', async () => {
    const input = webhook({ url: { type: 'literal', value: `${receiver.url}/retried` } });
    receiver.answerNext('/retried', 500);
    await expect(deliverWebhook(deps, input, 1)).rejects.toThrow(/^webhook attempt 1: HTTP 500 in \d+ ms$/);
    expect(await row(input.stepId)).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500 });
    expect(await deliverWebhook(deps, input, 2)).toMatchObject({ kind: 'sent', detail: expect.stringMatching(/: HTTP 200 in \d+ ms$/) });
    expect(await deliverWebhook(deps, input, 3)).toMatchObject({ kind: 'sent' });

    const requests = receiver.requests('/retried');
    expect(requests.map((request) => request.answeredWith)).toEqual([500, 200]);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    expect(requests[1]!.headers['idempotency-key']).toBe(`${pinned.runId}/${input.stepId}`);
    const secret = (await orm.em.fork().findOneOrFail(SubAccount, pinned.subAccountId)).webhookSigningSecret!;
    expect(verifyWebhookSignature({ secret, header: requests[1]!.headers['x-mctb-signature'] as string, body: requests[1]!.body })).toMatchObject({ ok: true });
    expect(JSON.parse(requests[1]!.body)).toEqual({
      id: `${pinned.runId}/${input.stepId}`,
      type: 'automation.webhook',
      occurredAt: '2026-12-02T16:00:00.000Z',
      subAccount: { id: pinned.subAccountId, name: 'Greenfield Plumbing' },
      run: { id: pinned.runId, workflow: 'missed_call', snapshot: { slug: 'follow-up', version: 2 }, startedAt: '2026-12-02T16:00:00.000Z' },
      step: { id: input.stepId, kind: 'webhook' },
      contact: { id: pinned.contact.id, phone: '+15125550123', firstName: 'Dana', lastName: '', isNew: true },
      trigger: { type: 'call.missed', callSid: 'CA1', outcome: 'no_answer', businessNumber: '+15125550100' },
    });
    expect(await row(input.stepId)).toMatchObject({ status: 'sent', attempts: 2, responseStatus: 200, latencyMs: expect.any(Number) });
  });

  it('records the failure on the last attempt and returns it (the run goes on)', async () => {
    const input = webhook({ url: { type: 'literal', value: `${receiver.url}/down` }, maxAttempts: 2 });
    receiver.answerAlways('/down', { status: 503, body: 'maintenance' });
    await expect(deliverWebhook(deps, input, 1)).rejects.toThrow();
    expect(await deliverWebhook(deps, input, 2)).toEqual({ kind: 'failed', reason: expect.stringMatching(/^attempt 2: HTTP 503 in \d+ ms: maintenance \(gave up after 2 attempts\)$/) });
    expect(await row(input.stepId)).toMatchObject({ status: 'failed', attempts: 2, responseStatus: 503 });
  });

  it('does not retry a 4xx: the receiver refused the event', async () => {
    const input = webhook({ url: { type: 'literal', value: `${receiver.url}/gone` } });
    receiver.answerNext('/gone', 410);
    expect(await deliverWebhook(deps, input, 1)).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^attempt 1: HTTP 410 /) });
  });

  it('refuses a private address unless allowed, without retrying', async () => {
    const input = webhook({ url: { type: 'literal', value: 'http://169.254.169.254/latest/meta-data' } });
    expect(await deliverWebhook({ ...deps, allowPrivateNetworks: false }, input, 1)).toEqual({
      kind: 'failed',
      reason: 'refused: 169.254.169.254 is a private, loopback or link-local address; webhooks may not reach it',
    });
    expect(await row(input.stepId)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('sends a notify on the webhook channel with its rendered message', async () => {
    const input = webhook({ kind: 'notify', template: 'alert', url: { type: 'literal', value: `${receiver.url}/notify` } });
    expect(await deliverWebhook(deps, input, 1)).toMatchObject({ kind: 'sent' });
    expect(JSON.parse(receiver.requests('/notify')[0]!.body)).toMatchObject({ type: 'automation.notify', message: 'Missed call from Dana (+15125550123) at Greenfield Plumbing' });
  });
});
