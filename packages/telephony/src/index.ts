export { CallIntake, type CallIntakeDeps, type CallReport, type VoiceDecision } from './call-intake.js';
export { TextIntake, type InboundTextReport, type TextDecision } from './text-intake.js';
export { DeliveryReports, type DeliveryDecision, type DeliveryReport } from './delivery-reports.js';
export { PluginWebhooks, type PluginWebhookResult } from './plugin-webhooks.js';
export { TemporalTextBack } from './temporal-text-back.js';
export type { TextBackPort } from './text-back-port.js';
