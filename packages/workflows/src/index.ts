export * from './textback-signals.js';
export { textBackWorkflow } from './textback-workflow.js';
export { automationWorkflow, type AutomationInput } from './automation/automation-workflow.js';
