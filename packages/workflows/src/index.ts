export * from './textback-signals.js';
export { textBackWorkflow } from './textback-workflow.js';
