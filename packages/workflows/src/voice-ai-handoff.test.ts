import { installPlugin } from '@mctb/control';
import { CallStore, SubAccount } from '@mctb/db';
import { textBackWorkflowId } from '@mctb/domain';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createEmptyDatabase } from '@mctb/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PLUGIN_VERDICT_TIMEOUT_MS } from './automation/automation-run.js';
import { eventually, startTextBackHarness, type TextBackHarness } from './testing/harness.js';
import { missedCallSignal, pluginVerdictSignal, TEXT_BACK_TASK_QUEUE, type PluginVerdict } from './textback-signals.js';
import { textBackWorkflow } from './textback-workflow.js';

/**
 * A missed call that intake handed to the Voice AI agent: with no delay, the run's first text waits
 * for the agent service's verdict (through the gateway in production; signalled directly here).
 */
describe('a missed call handed to the Voice AI agent, with a 0 s delay', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    h = await startTextBackHarness({
      database: await createEmptyDatabase('workflows'),
      testServer: inject('temporalTestServer'),
      tweak: (yaml) => yaml.replace('delay: 60s', 'delay: 0s'),
    });
    const em = h.orm.em.fork();
    const subAccount = await em.findOneOrFail(SubAccount, h.subAccountId);
    const installed = await installPlugin(em, firstPartyPlugins(), { agencyId: subAccount.agency.id, subAccountId: null }, {
      subAccountId: h.subAccountId,
      pluginId: 'voice-ai',
      config: { agentUrl: 'https://agent.example.test/twiml', signingSecret: 'voice-ai-shared-secret-0123456789' },
    });
    expect(installed.ok).toBe(true);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Stores the call as intake does when it redirects the caller to the agent, and signals it. */
  async function handedToAgent(caller: string): Promise<string> {
    const callSid = `CA${randomUUID().replaceAll('-', '')}`;
    const calls = new CallStore(h.orm);
    await calls.recordIncoming({ subAccountId: h.subAccountId, callSid, fromRaw: caller, callerPhone: caller, untextableReason: null, toNumber: h.twilioNumber, startedAt: new Date() });
    const { call } = await calls.recordOutcome(callSid, { outcome: 'no_answer', source: 'dial', ringSeconds: 18, handedToPlugin: 'voice-ai' });
    expect(call.handedToPlugin).toBe('voice-ai');
    await h.env.client.workflow.signalWithStart(textBackWorkflow, {
      taskQueue: TEXT_BACK_TASK_QUEUE,
      workflowId: textBackWorkflowId(h.subAccountId, caller),
      args: [{ subAccountId: h.subAccountId, callerPhone: caller }],
      signal: missedCallSignal,
      signalArgs: [{ callSid, outcome: 'no_answer', at: Date.now(), handedToPlugin: 'voice-ai' }],
    });
    return callSid;
  }
  const verdict = (caller: string, callSid: string, kind: PluginVerdict['verdict'], note: string) =>
    h.handle(caller).signal(pluginVerdictSignal, { callSid, pluginId: 'voice-ai', verdict: kind, note });
  /** The run shows it is waiting for the agent: in its state and in its stored journal. */
  async function awaitingAgent(caller: string, callSid: string): Promise<void> {
    await eventually(async () => {
      expect(await h.state(caller)).toMatchObject({ phase: 'awaiting_plugin', awaitingPlugin: { pluginId: 'voice-ai', callSid } });
      const [run] = await h.runs(caller);
      expect(run).toMatchObject({ status: 'running', currentStep: 'text' });
      expect(run!.steps).toContainEqual(expect.objectContaining({ stepId: 'text.voice-ai', kind: 'plugin_verdict', status: 'waiting' }));
    });
  }

  it('sends nothing when the agent answers after a while, and records why', async () => {
    const caller = '+15125550311';
    const callSid = await handedToAgent(caller);
    await awaitingAgent(caller, callSid);
    await h.env.sleep('20 seconds');
    expect(await h.outbox(caller)).toHaveLength(0);
    // What the gateway does with "agent.answered": the outcome first, then the verdict to the run.
    await new CallStore(h.orm).recordOutcome(callSid, { outcome: 'answered_by_ai', source: 'plugin:voice-ai' });
    await verdict(caller, callSid, 'answered', 'the Voice AI agent answered the call');

    const final = await h.handle(caller).result();
    expect(final).toMatchObject({ sentMessageId: null, cancelledBecause: 'voice-ai: the Voice AI agent answered the call' });
    expect(await h.outbox(caller)).toHaveLength(0);
    expect(await h.call(callSid)).toMatchObject({
      outcome: 'answered_by_ai',
      handedToPlugin: 'voice-ai',
      textBackStatus: 'skipped',
      textBackReason: 'voice-ai: the Voice AI agent answered the call',
    });
    const [run] = await h.runs(caller);
    expect(run).toMatchObject({ status: 'stopped', reason: 'voice-ai: the Voice AI agent answered the call' });
    expect(run!.steps).toContainEqual(expect.objectContaining({ stepId: 'text.voice-ai', status: 'skipped', detail: 'voice-ai: the Voice AI agent answered the call' }));
  });

  it('texts once when the caller hangs up before the agent answers', async () => {
    const caller = '+15125550312';
    const callSid = await handedToAgent(caller);
    await awaitingAgent(caller, callSid);
    await h.env.sleep('5 seconds');
    expect(await h.outbox(caller)).toHaveLength(0);
    await verdict(caller, callSid, 'caller_left', 'the caller hung up before the Voice AI agent answered');
    // A repeated verdict (the agent service retried) changes nothing.
    await verdict(caller, callSid, 'caller_left', 'the caller hung up before the Voice AI agent answered');

    await eventually(async () => expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'sent' }));
    expect(await h.outbox(caller)).toHaveLength(1);
    const [run] = await h.runs(caller);
    expect(run).toMatchObject({ status: 'completed' });
    expect(run!.steps).toContainEqual(
      expect.objectContaining({ stepId: 'text.voice-ai', status: 'done', detail: 'voice-ai: the caller hung up before the Voice AI agent answered' }),
    );
    expect(await h.state(caller)).toMatchObject({ phase: 'dedup_window', awaitingPlugin: null });
  });

  it('texts after the bound when no verdict comes, saying why', async () => {
    const caller = '+15125550313';
    const callSid = await handedToAgent(caller);
    await awaitingAgent(caller, callSid);
    await h.env.sleep(PLUGIN_VERDICT_TIMEOUT_MS - 10_000);
    expect(await h.outbox(caller)).toHaveLength(0);
    expect((await h.state(caller)).phase).toBe('awaiting_plugin');
    await h.env.sleep('11 seconds');

    await eventually(async () => expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'sent' }));
    expect(await h.outbox(caller)).toHaveLength(1);
    const [run] = await h.runs(caller);
    expect(run).toMatchObject({ status: 'completed' });
    expect(run!.steps).toContainEqual(
      expect.objectContaining({ stepId: 'text.voice-ai', status: 'done', detail: 'no verdict from voice-ai within 120s: texting as if the caller hung up' }),
    );
  });
});
