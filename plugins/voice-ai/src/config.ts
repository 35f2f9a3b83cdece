import { z } from 'zod';

export const voiceAiConfigSchema = z
  .object({
    /** TwiML endpoint of the AI voice agent; unanswered calls are redirected there instead of voicemail. */
    agentUrl: z.url({ protocol: /^https?$/, message: 'agentUrl must be an http(s) URL' }),
    /** Shared with the agent service, which signs the events it sends us. */
    signingSecret: z.string().min(16, 'signingSecret must be at least 16 characters'),
  })
  .strict();

export type VoiceAiConfig = z.infer<typeof voiceAiConfigSchema>;
