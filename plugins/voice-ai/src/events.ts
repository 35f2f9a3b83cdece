import { z } from 'zod';

/**
 * Events the agent service posts to `POST /plugins/voice-ai/webhooks/events`:
 * "agent.answered" once the agent has picked up and is talking to the caller;
 * "caller.hung_up" when the caller left before the agent answered (the text-back then goes out).
 */
export const agentEventSchema = z.object({
  type: z.enum(['agent.answered', 'caller.hung_up']),
  callSid: z.string().min(1),
});

export type AgentEvent = z.infer<typeof agentEventSchema>;

export const SIGNATURE_HEADER = 'x-voice-ai-signature';
export const TIMESTAMP_HEADER = 'x-voice-ai-timestamp';
