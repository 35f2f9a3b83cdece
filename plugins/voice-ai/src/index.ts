export { voiceAiPlugin } from './plugin.js';
export { voiceAiConfigSchema, type VoiceAiConfig } from './config.js';
export { agentEventSchema, SIGNATURE_HEADER, TIMESTAMP_HEADER, type AgentEvent } from './events.js';
