import { installPlugin } from '@mctb/control';
import { CallStore, SubAccount } from '@mctb/db';
import { firstPartyPlugins } from '@mctb/plugin-catalog';
import { createEmptyDatabase } from '@mctb/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventually, startTextBackHarness, type TextBackHarness } from './testing/harness.js';

describe('textBackWorkflow with the Voice AI plugin installed', () => {
  let h: TextBackHarness;
  beforeAll(async () => {
    h = await startTextBackHarness({ database: await createEmptyDatabase('workflows'), testServer: inject('temporalTestServer') });
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

  it('sends nothing when the AI agent answered the call, and stores the veto reason', async () => {
    const caller = '+15125550301';
    const callSid = await h.missedCall(caller);
    // The agent picks up during the delay and reports it (through the gateway, in production).
    await h.env.sleep('10 seconds');
    await new CallStore(h.orm).recordOutcome(callSid, { outcome: 'answered_by_ai', source: 'plugin:voice-ai' });

    const final = await h.handle(caller).result();
    expect(final.sentMessageId).toBeNull();
    expect(await h.outbox(caller)).toHaveLength(0);
    expect(await h.call(callSid)).toMatchObject({
      outcome: 'answered_by_ai',
      textBackStatus: 'skipped',
      textBackReason: 'voice-ai: the AI agent answered this call',
    });
  });

  it('texts as usual when the caller hung up before the agent answered', async () => {
    const caller = '+15125550302';
    const callSid = await h.missedCall(caller);
    await h.env.sleep('61 seconds');
    await eventually(async () => expect(await h.call(callSid)).toMatchObject({ textBackStatus: 'sent' }));
    expect(await h.outbox(caller)).toHaveLength(1);
  });
});
