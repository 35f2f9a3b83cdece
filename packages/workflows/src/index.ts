export * from './textback-signals.js';
export { textBackWorkflow } from './textback-workflow.js';
export { automationWorkflow, type AutomationInput } from './automation/automation-workflow.js';
export { PROVISIONING_TASK_QUEUE, provisioningWorkflow, provisioningWorkflowId, type ProvisioningWorkflowInput } from './provisioning/provisioning-workflow.js';
export { pluginEventWorkflow, type PluginEventResult } from './plugins/plugin-event-workflow.js';
export { manualMessageWorkflow, type ManualMessageInput, type ManualMessageResult } from './manual-message-workflow.js';
export { CORRELATION_HEADER, correlationOf, type Correlation } from './correlation.js';
