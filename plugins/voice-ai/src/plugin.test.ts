import { parsePluginConfig, signPayload, type CallView, type PluginHost } from '@mctb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './events.js';
import { voiceAiPlugin } from './plugin.js';

const config = { agentUrl: 'https://agent.example.test/twiml', signingSecret: 'voice-ai-shared-secret-0123456789' };
const call = (outcome: CallView['outcome']): CallView => ({
  callSid: 'CA1', subAccountId: 'sa', from: '+15125550101', to: '+15125550100', outcome, outcomeSource: 'dial',
});
const context = { config, signal: new AbortController().signal, deliveryId: 'd1', attempt: 1 };
const contact = { id: 'c1', phone: '+15125550101', firstName: '', lastName: '', tags: [] };

describe('Voice AI plugin', () => {
  it('validates its config and names the bad fields', () => {
    expect(parsePluginConfig(voiceAiPlugin, config)).toEqual({ ok: true, config });
    const bad = parsePluginConfig(voiceAiPlugin, { agentUrl: 'ftp://nope', signingSecret: 'short' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.issues.map((i) => i.path).sort()).toEqual(['agentUrl', 'signingSecret']);
    expect(parsePluginConfig(voiceAiPlugin, {}).ok).toBe(false);
  });

  it('vetoes the text when the agent answered, and only then', async () => {
    const hook = voiceAiPlugin.hooks['textback.beforeSend']!;
    expect(await hook({ call: call('answered_by_ai'), contact, body: 'Hi' }, context)).toEqual({
      veto: true,
      reason: 'voice-ai: the AI agent answered this call',
    });
    expect(await hook({ call: call('no_answer'), contact, body: 'Hi' }, context)).toEqual({ veto: false });
  });

  it('routes unanswered calls to the agent', () => {
    expect(voiceAiPlugin.voice?.onUnanswered(call('no_answer'), config)).toEqual({ redirectUrl: config.agentUrl });
  });

  it('accepts only events signed with the installation secret, recently', () => {
    const webhook = voiceAiPlugin.webhooks!.events!;
    const rawBody = JSON.stringify({ type: 'agent.answered', callSid: 'CA1' });
    const now = new Date('2026-11-22T12:00:00Z');
    const at = Math.floor(now.getTime() / 1000);
    const request = (secret: string, timestamp: number, body = rawBody) => ({
      rawBody: body,
      headers: { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signPayload(secret, timestamp, rawBody) },
    });
    expect(webhook.authenticate(request(config.signingSecret, at), config, now)).toBe(true);
    expect(webhook.authenticate(request('another-secret-0123456789', at), config, now)).toBe(false);
    expect(webhook.authenticate(request(config.signingSecret, at - 600), config, now)).toBe(false);
    expect(webhook.authenticate(request(config.signingSecret, at, rawBody.replace('CA1', 'CA2')), config, now)).toBe(false);
    expect(webhook.authenticate({ rawBody, headers: {} }, config, now)).toBe(false);
  });

  it('reports answered_by_ai when the agent answered, and that the caller left when they hung up first', async () => {
    const webhook = voiceAiPlugin.webhooks!.events!;
    const reported: [string, string][] = [];
    const host: PluginHost = {
      calls: {
        reportOutcome: async (callSid, outcome) => void reported.push([callSid, outcome]),
        reportCallerLeft: async (callSid) => void reported.push([callSid, 'caller_left']),
      },
    };
    await webhook.handle({ type: 'caller.hung_up', callSid: 'CA1' }, { config, call: call('no_answer'), host });
    expect(reported).toEqual([['CA1', 'caller_left']]);
    await webhook.handle({ type: 'agent.answered', callSid: 'CA1' }, { config, call: call('no_answer'), host });
    expect(reported).toEqual([['CA1', 'caller_left'], ['CA1', 'answered_by_ai']]);
    expect(webhook.callSidOf({ type: 'agent.answered', callSid: 'CA9' })).toBe('CA9');
    expect(webhook.callSidOf({ nope: true })).toBeNull();
  });
});
