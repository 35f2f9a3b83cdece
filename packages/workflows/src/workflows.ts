// Entry point for the worker's workflow bundle: every workflow type the worker runs.
export { textBackWorkflow } from './textback-workflow.js';
export { automationWorkflow } from './automation/automation-workflow.js';
export { provisioningWorkflow } from './provisioning/provisioning-workflow.js';
export { pluginEventWorkflow } from './plugins/plugin-event-workflow.js';
export { manualMessageWorkflow } from './manual-message-workflow.js';
