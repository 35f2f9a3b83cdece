export * from './config.js';
export * from './plugin.js';
