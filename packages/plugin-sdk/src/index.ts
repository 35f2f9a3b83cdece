export * from './manifest.js';
export * from './hooks.js';
export * from './host.js';
export * from './plugin.js';
export * from './registry.js';
export * from './signed-payload.js';
export * from './config-lookup.js';
