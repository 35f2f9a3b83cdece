import { definePlugin, verifySignedPayload } from '@mctb/plugin-sdk';
import { voiceAiConfigSchema, type VoiceAiConfig } from './config.js';
import { agentEventSchema, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './events.js';

/**
 * Voice AI: unanswered calls go to an AI voice agent before voicemail, and the caller's text-back
 * holds its first text until the agent service says how the call went. When the agent answers,
 * the call was not missed, so no text goes out (and the beforeSend hook vetoes any that would);
 * if the caller hangs up first, it goes out.
 */
export const voiceAiPlugin = definePlugin<VoiceAiConfig>({
  manifest: {
    id: 'voice-ai',
    name: 'Voice AI',
    version: '0.1.0',
    description: 'Hands unanswered calls to an AI voice agent; calls the agent answers get no text-back.',
    author: 'mctb',
    permissions: ['voice:route', 'calls:classify', 'textback:veto'],
    configSchema: voiceAiConfigSchema,
    // If we can't tell whether the agent answered, texting is the lesser harm than losing the lead.
    failurePolicy: 'open',
  },
  voice: {
    onUnanswered: (_call, config) => ({ redirectUrl: config.agentUrl }),
  },
  webhooks: {
    events: {
      callSidOf: (payload) => agentEventSchema.safeParse(payload).data?.callSid ?? null,
      authenticate: (request, config, now) =>
        verifySignedPayload({
          secret: config.signingSecret,
          timestamp: request.headers[TIMESTAMP_HEADER],
          signature: request.headers[SIGNATURE_HEADER],
          rawBody: request.rawBody,
          now,
        }),
      async handle(payload, { call, host }) {
        const event = agentEventSchema.parse(payload);
        // The text-back holds its first text about the call until one of these arrives (or a bound).
        if (event.type === 'agent.answered') {
          await host.calls.reportOutcome(call.callSid, 'answered_by_ai', 'the Voice AI agent answered the call');
        } else {
          await host.calls.reportCallerLeft(call.callSid, 'the caller hung up before the Voice AI agent answered');
        }
      },
    },
  },
  hooks: {
    async 'textback.beforeSend'({ call }) {
      return call.outcome === 'answered_by_ai'
        ? { veto: true, reason: 'voice-ai: the AI agent answered this call' }
        : { veto: false };
    },
  },
});
