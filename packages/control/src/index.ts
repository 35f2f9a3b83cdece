export * from './result.js';
export * from './scope.js';
export * from './api-keys.js';
export * from './sub-accounts.js';
export * from './plugins.js';
export * from './snapshots.js';
export * from './demo.js';
