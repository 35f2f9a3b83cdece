/**
 * Records the histories the replay test checks: `pnpm --filter @mctb/workflows histories:record`
 * (add scenario names to record only those).
 * Re-record only when a workflow change is meant to be incompatible (and ship it as a new
 * workflow type or behind `patched()`); otherwise the replay test is what catches the mistake.
 * Histories of earlier versions stay, renamed with their version (v1-*.json), for as long as runs
 * of that version may be open.
 */
import { ensureDatabase, ensureTemporalTestServer, freePort, repoRoot, startEmbeddedPostgres } from '@mctb/devstack';
import { publishPlugin, requestProvisioning } from '@mctb/control';
import { CallStore, SubAccount } from '@mctb/db';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { messageRunWorkflowId, pluginEventWorkflowId } from '@mctb/domain';
import { definePlugin, publishedManifestOf, servePlugin } from '@mctb/plugin-sdk';
import { z } from 'zod';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { advanceTo } from '../testing/clock.js';
import { eventually, startTextBackHarness, type TextBackHarness } from '../testing/harness.js';
import { triggersSnapshot, waitForOpeningSnapshot } from '../testing/snapshots.js';
import { callAnsweredSignal, missedCallSignal, pluginVerdictSignal, TEXT_BACK_TASK_QUEUE } from '../textback-signals.js';
import { textBackWorkflow } from '../textback-workflow.js';
import { provisioningWorkflow, provisioningWorkflowId } from '../provisioning/provisioning-workflow.js';

const starter = (name: string) => readFile(join(repoRoot, 'snapshots', `${name}.yaml`), 'utf8');
const workflowIdOf = (h: TextBackHarness, caller: string) => h.handle(caller).workflowId;

/** Waits until a run of the caller has recorded this status. */
async function runStatus(h: TextBackHarness, caller: string, workflowKey: string, status: string): Promise<string> {
  let id = '';
  await eventually(async () => {
    const run = (await h.runs(caller)).find((each) => each.workflowKey === workflowKey);
    if (run?.status !== status) throw new Error(`${workflowKey} is ${run?.status ?? 'not started'}`);
    id = run.id;
  });
  return id;
}

const historiesDir = join(dirname(fileURLToPath(import.meta.url)), '../../histories');

/** Each scenario plays a run to its end and returns the workflow ids whose histories to keep, by name. */
const scenarios: Record<string, (h: TextBackHarness) => Promise<Record<string, string>>> = {
  /** Texted after the delay; a repeat call inside the window is absorbed; the window ends. */
  'texted-then-deduped': async (h) => {
    const caller = '+15125550401';
    await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () => {
      if ((await h.state(caller)).phase !== 'dedup_window') throw new Error('not sent yet');
    });
    const repeat = await h.missedCall(caller);
    await eventually(async () => {
      if ((await h.call(repeat)).textBackStatus !== 'skipped') throw new Error('repeat not absorbed yet');
    });
    await h.handle(caller).result();
    return { 'texted-then-deduped': workflowIdOf(h, caller) };
  },
  /** The caller got through on a later call during the delay. */
  'cancelled-by-answer': async (h) => {
    const caller = '+15125550402';
    await h.missedCall(caller);
    await h.env.sleep('20 seconds');
    await h.handle(caller).signal(callAnsweredSignal, { callSid: 'CA-answered' });
    await h.handle(caller).result();
    return { 'cancelled-by-answer': workflowIdOf(h, caller) };
  },
  /** After hours: the business-hours branch, the after-hours text with its next opening. */
  'after-hours': async (h) => {
    await h.provision(await starter('after-hours-text-back'));
    const caller = '+15125550403';
    await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await runStatus(h, caller, 'text_back', 'completed');
    await h.env.sleep('25 hours');
    await h.handle(caller).result();
    return { 'after-hours': workflowIdOf(h, caller) };
  },
  /**
   * No reply: a follow-up (held by quiet hours when due at night), a callback task, a tag, an owner
   * notification, and the nurture run it starts (a wait, a contact condition, a text).
   */
  'follow-up-no-reply': async (h) => {
    await h.provision(await starter('follow-up-and-callback'));
    const caller = '+15125550404';
    // At 22:00 the follow-up falls due inside quiet hours and waits for the morning.
    await advanceTo(h.env, 'America/Chicago', 'tue', '22:00');
    await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await h.env.sleep('36 hours');
    await runStatus(h, caller, 'missed_call', 'completed');
    await h.env.sleep('4 days');
    const nurture = await runStatus(h, caller, 'nurture', 'completed');
    return { 'follow-up-no-reply': workflowIdOf(h, caller), 'nurture-run': `automation/${nurture}` };
  },
  /** Called on Saturday: waits for Monday's opening, then texts. */
  'wait-until-open': async (h) => {
    await h.provision(waitForOpeningSnapshot('wait-for-opening'));
    await advanceTo(h.env, 'America/Chicago', 'sat', '12:00');
    const caller = '+15125550406';
    await h.missedCall(caller);
    await h.env.sleep('2 days');
    await runStatus(h, caller, 'missed_call', 'completed');
    await h.handle(caller).result();
    return { 'wait-until-open': workflowIdOf(h, caller) };
  },
  /** A missed call whose run adds a tag; the run on that tag; a run on a received text. */
  'triggers': async (h) => {
    await h.provision(triggersSnapshot());
    const caller = '+15125550407';
    await h.missedCall(caller);
    const tagged = await runStatus(h, caller, 'welcome_leads', 'completed');
    await runStatus(h, caller, 'missed_call', 'completed');
    const messageRun = messageRunWorkflowId(h.subAccountId, 'SM-history');
    await h.env.client.workflow.start('automationWorkflow', {
      taskQueue: TEXT_BACK_TASK_QUEUE,
      workflowId: messageRun,
      args: [{ open: { subAccountId: h.subAccountId, contactPhone: caller, trigger: { type: 'message.received', messageSid: 'SM-history', to: h.twilioNumber } } }],
    });
    await runStatus(h, caller, 'auto_reply', 'completed');
    return { 'tagged-run': tagged, 'message-run': messageRun };
  },
  /** A provisioning run of three targets, two at a time: an existing sub-account, a new one, and one not found. */
  'provisioning-run': async (h) => {
    const em = h.orm.em.fork();
    const subAccount = await em.findOneOrFail(SubAccount, h.subAccountId);
    let workflowId = '';
    const requested = await requestProvisioning(
      em,
      { agencyId: subAccount.agency.id, subAccountId: null },
      {
        start: async (run) => {
          workflowId = provisioningWorkflowId(run.id);
          await h.env.client.workflow.start(provisioningWorkflow, { taskQueue: TEXT_BACK_TASK_QUEUE, workflowId, args: [{ runId: run.id, total: run.total, concurrency: run.concurrency }] });
        },
      },
      firstPartyPlugins(),
      {
        idempotencyKey: 'history',
        snapshot: { slug: 'missed-call-text-back' },
        concurrency: 2,
        targets: [
          { subAccountId: h.subAccountId, customValues: { booking_link: 'https://book.example/history' } },
          { newSubAccount: { name: 'New client', timeZone: 'America/Chicago', twilioNumber: '+15125550490', forwardingNumber: '+15125550199' }, customValues: { booking_link: 'https://book.example/new' } },
          { subAccountId: '00000000-0000-4000-8000-000000000000' },
        ],
      },
    );
    if (!requested.ok) throw new Error(`provisioning request refused: ${JSON.stringify(requested)}`);
    await h.env.client.workflow.getHandle(workflowId).result();
    return { 'provisioning-run': workflowId };
  },
  /**
   * A missed call intake handed to the Voice AI agent: after the delay the text waits for the
   * agent's verdict, and goes out when the caller hung up before the agent answered.
   */
  'handed-to-agent': async (h) => {
    const caller = '+15125550408';
    const callSid = 'CA-handed-to-agent';
    const calls = new CallStore(h.orm);
    await calls.recordIncoming({ subAccountId: h.subAccountId, callSid, fromRaw: caller, callerPhone: caller, untextableReason: null, toNumber: h.twilioNumber, startedAt: new Date() });
    await calls.recordOutcome(callSid, { outcome: 'no_answer', source: 'dial', ringSeconds: 18, handedToPlugin: 'voice-ai' });
    await h.env.client.workflow.signalWithStart(textBackWorkflow, {
      taskQueue: TEXT_BACK_TASK_QUEUE,
      workflowId: workflowIdOf(h, caller),
      args: [{ subAccountId: h.subAccountId, callerPhone: caller }],
      signal: missedCallSignal,
      signalArgs: [{ callSid, outcome: 'no_answer', at: Date.now(), handedToPlugin: 'voice-ai' }],
    });
    await h.env.sleep('61 seconds');
    await eventually(async () => {
      if ((await h.state(caller)).phase !== 'awaiting_plugin') throw new Error('not waiting for the agent yet');
    });
    await h.env.sleep('30 seconds');
    await h.handle(caller).signal(pluginVerdictSignal, { callSid, pluginId: 'voice-ai', verdict: 'caller_left', note: 'the caller hung up before the Voice AI agent answered' });
    await runStatus(h, caller, 'text_back', 'completed');
    await h.handle(caller).result();
    return { 'handed-to-agent': workflowIdOf(h, caller) };
  },
  /**
   * A remote plugin on every path a run has: call.completed, textback.beforeSend, the send's
   * textback.sent (its own event workflow) and a plugin step after the text.
   */
  'plugin-hooks-and-step': async (h) => {
    const plugin = definePlugin({
      manifest: {
        id: 'history-check',
        name: 'History check',
        version: '1.0.0',
        description: 'Answers every hook and step, for the recorded history.',
        author: 'mctb',
        permissions: ['calls:read', 'textback:veto', 'messages:read'],
        configSchema: z.strictObject({}),
        failurePolicy: 'open',
        steps: { tag_lead: { description: 'Tags the lead', configSchema: z.strictObject({ label: z.string() }), timeoutMs: 2_000, retries: 1 } },
      },
      hooks: {
        'call.completed': async () => ({}),
        'textback.beforeSend': async () => ({ veto: false }),
        'textback.sent': async () => undefined,
      },
      steps: { tag_lead: async (input) => ({ summary: `tagged ${String(input.with.label)}` }) },
    });
    const port = await freePort();
    const em = h.orm.em.fork();
    const subAccount = await em.findOneOrFail(SubAccount, h.subAccountId);
    const scope = { agencyId: subAccount.agency.id, subAccountId: null };
    const published = await publishPlugin(em, scope, publishedManifestOf(plugin, { kind: 'remote', url: `http://127.0.0.1:${port}/` }), { allowPrivateNetworks: true, firstPartyIds: [] });
    if (!published.ok) throw new Error(`publish failed: ${JSON.stringify(published)}`);
    const server = await servePlugin(plugin, { secret: published.value.signingSecret!, port });
    try {
      await h.provision(`apiVersion: mctb.dev/v2
kind: Snapshot
metadata: { slug: plugin-history, name: Plugin history }
quietHours: "off"
templates:
  first_text: "Sorry we missed you!"
plugins:
  - { id: history-check, version: ^1.0.0 }
workflows:
  - key: missed_call
    trigger: { type: call.missed }
    steps:
      - { id: first_text, send_sms: first_text }
      - { id: tag, plugin: history-check, step: tag_lead, with: { label: hot } }
`, {});
      const caller = '+15125550409';
      await h.missedCall(caller);
      const runId = await runStatus(h, caller, 'missed_call', 'completed');
      const event = h.env.client.workflow.getHandle(pluginEventWorkflowId(h.subAccountId, 'textback.sent', `${runId}/first_text`));
      await event.result();
      await h.env.sleep('25 hours');
      await h.handle(caller).result();
      return { 'plugin-hooks-and-step': workflowIdOf(h, caller), 'plugin-event': event.workflowId };
    } finally {
      await server.close();
    }
  },
  /** A reply to the first text: the replied branch. */
  'follow-up-replied': async (h) => {
    await h.provision(await starter('follow-up-and-callback'));
    const caller = '+15125550405';
    await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () => {
      if ((await h.outbox(caller)).length !== 1) throw new Error('not texted yet');
    });
    await h.callerTexts(caller, 'yes please');
    await runStatus(h, caller, 'missed_call', 'completed');
    await h.env.sleep('25 hours');
    await h.handle(caller).result();
    return { 'follow-up-replied': workflowIdOf(h, caller) };
  },
};

const dataRoot = await mkdtemp(join(tmpdir(), 'mctb-histories-'));
const postgres = await startEmbeddedPostgres({ dataDir: join(dataRoot, 'data'), port: await freePort(), persistent: false });
try {
  await ensureDatabase(postgres.adminUrl, 'histories');
  const h = await startTextBackHarness({
    database: { url: postgres.urlFor('histories'), drop: async () => undefined },
    testServer: await ensureTemporalTestServer(),
  });
  try {
    // `record-histories name…` records only those scenarios (histories already released stay as they are).
    const only = process.argv.slice(2);
    for (const [scenario, play] of Object.entries(scenarios)) {
      if (only.length > 0 && !only.includes(scenario)) continue;
      for (const [name, workflowId] of Object.entries(await play(h))) {
        const history = await h.env.client.workflow.getHandle(workflowId).fetchHistory();
        await writeFile(join(historiesDir, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
        console.log(`recorded ${name} (${history.events?.length ?? 0} events)`);
      }
    }
  } finally {
    await h.stop();
  }
} finally {
  await postgres.stop();
  await rm(dataRoot, { recursive: true, force: true });
}
