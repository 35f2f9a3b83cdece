import { importSnapshot, provisionSnapshot, setUpAccount } from '@mctb/control';
import { AutomationStore, Call, CallStore, Contact, createOrm, Message, migrate, NotificationStore, OutboxMessage, SubAccount, type AutomationRunView, type NotificationView, type Orm } from '@mctb/db';
import { repoRoot, startSmtpCapture, type SmtpCapture } from '@mctb/devstack';

export { eventually } from '@mctb/devstack';
import { textBackWorkflowId, type CallOutcome } from '@mctb/domain';
import { createActivities, createSmtpMailer } from '@mctb/activities';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { OutboxProvider, SmsSender } from '@mctb/sms';
import { startTcpProxy, startWebhookReceiver, type TcpProxy, type WebhookReceiver } from '@mctb/testkit';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callerTextedSignal, missedCallSignal, TEXT_BACK_TASK_QUEUE, textBackStateQuery, type TextBackInput, type TextBackState } from '../textback-signals.js';
import { textBackWorkflow } from '../textback-workflow.js';
import { PROVISIONING_TASK_QUEUE } from '../provisioning/provisioning-workflow.js';

export const BUSINESS = 'Greenfield Plumbing';
/** Where the sub-account's `notify: { to: owner }` steps go. */
export const OWNER = { email: 'owner@greenfield.example', phone: '+15125550142' };

export interface TextBackHarness {
  env: TestWorkflowEnvironment;
  orm: Orm;
  subAccountId: string;
  twilioNumber: string;
  /** Stores a missed call as the gateway does, then signals it with start. */
  missedCall(callerPhone: string, options?: { callSid?: string; outcome?: CallOutcome }): Promise<string>;
  /** Signals the same stored call again (a repeated webhook). */
  resignal(callerPhone: string, callSid: string): Promise<void>;
  handle(callerPhone: string): ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']>;
  state(callerPhone: string): Promise<TextBackState>;
  outbox(callerPhone: string): Promise<OutboxMessage[]>;
  /** Between the worker's activities and PostgreSQL: take the database away from them and give it back. */
  databaseLink: TcpProxy;
  call(callSid: string): Promise<Call>;
  /** Imports a snapshot and provisions it into the sub-account (a new version when the slug exists). */
  provision(yaml: string, customValues?: Record<string, string>): Promise<void>;
  /** The caller's contact, and the automation runs recorded for it (newest first). */
  contact(callerPhone: string): Promise<Contact>;
  runs(callerPhone: string): Promise<AutomationRunView[]>;
  /** Stores a text from the caller, as the gateway does, and tells the caller's run. */
  callerTexts(callerPhone: string, body: string): Promise<void>;
  /** The SMTP server the worker's e-mails go to, and what it received. */
  mail: SmtpCapture;
  /** A local HTTP endpoint for webhook steps (private networks are allowed in the harness). */
  webhooks: WebhookReceiver;
  /** The notifications rows of the caller's runs (newest run first, each run's oldest first). */
  notifications(callerPhone: string): Promise<NotificationView[]>;
  stop(): Promise<void>;
}

/** Rewrites the starter snapshot's text-back block for a test. */
export type SnapshotTweak = (yaml: string) => string;

export interface HarnessOptions {
  /** An empty database of its own; the harness migrates it and drops it on stop. */
  database: { url: string; drop(): Promise<void> };
  /** Launcher of Temporal's Java test server (see @mctb/devstack ensureTemporalTestServer). */
  testServer: string;
  tweak?: SnapshotTweak;
}

/**
 * A time-skipping Temporal test server (Temporal's Java test server), a worker with the real
 * activities, a fresh PostgreSQL database and a provisioned sub-account that texts via the outbox.
 */
export async function startTextBackHarness({ database, testServer, tweak = (yaml) => yaml }: HarnessOptions): Promise<TextBackHarness> {
  installQuietRuntime();
  const orm = await createOrm(database.url);
  await migrate(orm);
  const plugins = firstPartyPlugins();
  const starter = await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8');
  const account = await setUpAccount(orm.em.fork(), plugins, {
    agencyName: 'Acme Agency',
    subAccount: {
      name: BUSINESS,
      timeZone: 'America/Chicago',
      twilioNumber: '+15125550100',
      forwardingNumber: '+15125550199',
      incomingCallTimeout: 18,
    },
    snapshotYaml: tweak(starter),
    customValues: { booking_link: 'https://book.example/greenfield' },
  });
  const setup = orm.em.fork();
  setup.assign(await setup.findOneOrFail(SubAccount, account.subAccountId), { ownerEmail: OWNER.email, ownerPhone: OWNER.phone });
  await setup.flush();

  // The activities reach PostgreSQL through a proxy a test can cut; the test's own checks don't.
  const databaseLink = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(database.url).port) });
  const activitiesUrl = new URL(database.url);
  activitiesUrl.port = String(databaseLink.port);
  const activitiesOrm = await createOrm(activitiesUrl.toString());
  const mail = await startSmtpCapture();
  const webhooks = await startWebhookReceiver();
  const mailer = createSmtpMailer({ url: mail.url, from: 'notifications@mctb.localhost' });
  const env = await startTimeSkippingServer(testServer);
  // From here on, a failure must not leave the test server (a Java process) running.
  const abandon = async (error: unknown): Promise<never> => {
    await env.teardown();
    mailer.close();
    await Promise.all([mail.stop(), webhooks.stop()]);
    await activitiesOrm.close();
    await databaseLink.stop();
    await orm.close();
    await database.drop();
    throw error;
  };
  const sender = new SmsSender({
    em: () => activitiesOrm.em.fork(),
    providers: { outbox: new OutboxProvider(() => activitiesOrm.em.fork()) },
    statusCallbackUrl: () => null,
  });
  const activities = createActivities({
    orm: activitiesOrm,
    sender,
    plugins,
    temporal: env.client,
    mailer,
    allowPrivateNetworks: true,
    // Provisioning's numbers: claimed unchecked, their provider settings left alone (no Twilio here).
    provisioning: { claims: { check: async () => ({ ok: true, accountSid: null }) }, configureNumber: null },
  });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TEXT_BACK_TASK_QUEUE,
    // The harness runs from src under vitest and from dist in tools: bundle the sibling entry point.
    workflowsPath: fileURLToPath(new URL(`../workflows${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url)),
    activities,
  }).catch(abandon);
  // As in the worker service: provisioning's activities on their own queue.
  const provisioningWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: PROVISIONING_TASK_QUEUE, activities }).catch(abandon);
  const running = Promise.all([worker.run(), provisioningWorker.run()]);

  const runs = async (callerPhone: string) => {
    const contact = await orm.em.fork().findOne(Contact, { subAccount: account.subAccountId, phone: callerPhone });
    return contact ? new AutomationStore(orm).runsOfContact(account.subAccountId, contact.id) : [];
  };
  const workflowId = (callerPhone: string) => textBackWorkflowId(account.subAccountId, callerPhone);
  const signal = async (callerPhone: string, callSid: string, outcome: CallOutcome) => {
    const input: TextBackInput = { subAccountId: account.subAccountId, callerPhone };
    await env.client.workflow.signalWithStart(textBackWorkflow, {
      taskQueue: TEXT_BACK_TASK_QUEUE,
      workflowId: workflowId(callerPhone),
      args: [input],
      signal: missedCallSignal,
      signalArgs: [{ callSid, outcome, at: Date.now() }],
    });
  };

  return {
    env,
    orm,
    subAccountId: account.subAccountId,
    twilioNumber: account.twilioNumber,
    async missedCall(callerPhone, options = {}) {
      const callSid = options.callSid ?? `CA${randomUUID().replaceAll('-', '')}`;
      const outcome = options.outcome ?? 'no_answer';
      const calls = new CallStore(orm);
      await calls.recordIncoming({
        subAccountId: account.subAccountId,
        callSid,
        fromRaw: callerPhone,
        callerPhone,
        untextableReason: null,
        toNumber: account.twilioNumber,
        startedAt: new Date(),
      });
      await calls.recordOutcome(callSid, { outcome, source: 'dial', ringSeconds: 18 });
      await signal(callerPhone, callSid, outcome);
      return callSid;
    },
    resignal: (callerPhone, callSid) => signal(callerPhone, callSid, 'no_answer'),
    handle: (callerPhone) => env.client.workflow.getHandle(workflowId(callerPhone)),
    state: (callerPhone) => env.client.workflow.getHandle(workflowId(callerPhone)).query(textBackStateQuery),
    databaseLink,
    outbox: (callerPhone) => orm.em.fork().find(OutboxMessage, { toNumber: callerPhone }, { orderBy: { createdAt: 'asc' } }),
    call: (callSid) => orm.em.fork().findOneOrFail(Call, { callSid }),
    async provision(yaml, customValues = { booking_link: 'https://book.example/greenfield' }) {
      const em = orm.em.fork();
      const scope = { agencyId: account.agencyId, subAccountId: null };
      const imported = await importSnapshot(em, plugins, scope, yaml);
      if (!imported.ok) throw new Error(`import failed: ${JSON.stringify(imported)}`);
      const provisioned = await provisionSnapshot(em, plugins, scope, { subAccountId: account.subAccountId, snapshotVersionId: imported.value.version.id, customValues });
      if (!provisioned.ok) throw new Error(`provisioning failed: ${JSON.stringify(provisioned)}`);
    },
    contact: (callerPhone) => orm.em.fork().findOneOrFail(Contact, { subAccount: account.subAccountId, phone: callerPhone }),
    runs,
    async callerTexts(callerPhone, body) {
      const em = orm.em.fork();
      const contact = await em.findOneOrFail(Contact, { subAccount: account.subAccountId, phone: callerPhone });
      const message = new Message({ subAccount: em.getReference(SubAccount, account.subAccountId), direction: 'inbound', fromNumber: callerPhone, toNumber: account.twilioNumber, body, status: 'received', provider: 'twilio' });
      message.contact = contact;
      await em.persistAndFlush(message);
      await env.client.workflow.getHandle(workflowId(callerPhone)).signal(callerTextedSignal, { messageSid: message.id });
    },
    mail,
    webhooks,
    async notifications(callerPhone) {
      const store = new NotificationStore(orm);
      return (await Promise.all((await runs(callerPhone)).map((run) => store.ofRun(run.id)))).flat();
    },
    async stop() {
      await databaseLink.set('open');
      worker.shutdown();
      provisioningWorker.shutdown();
      await running;
      await env.teardown();
      mailer.close();
      await Promise.all([mail.stop(), webhooks.stop()]);
      await activitiesOrm.close();
      await databaseLink.stop();
      await orm.close();
      await database.drop();
    },
  };
}


/** The SDK's runtime can be installed once per process; later harnesses reuse it. */
function installQuietRuntime(): void {
  try {
    // Activities fail on purpose in some tests (an unreachable database); their retries are not news.
    // Core's own warnings (e.g. the test server's missing capabilities) go the same way.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
    });
  } catch {
    // already installed by an earlier harness in this worker process
  }
}

/**
 * The SDK gives the Java test server 5 s to listen; a JVM starting on a loaded 2-core machine (the
 * whole suite at once) sometimes needs longer. A server that did not come up is started again.
 */
async function startTimeSkippingServer(path: string, attempts = 3): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
    } catch (error) {
      if (attempt >= attempts || !/did not start within/.test(String(error))) throw error;
    }
  }
}
