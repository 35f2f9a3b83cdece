export * from './phone.js';
export * from './caller-id.js';
export * from './outcomes.js';
export * from './opt-out.js';
export * from './segments.js';
export * from './textback.js';
export * from './messages.js';
