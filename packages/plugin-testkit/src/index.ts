export * from './fixtures.js';
export * from './invoke.js';
export * from './server.js';
export * from './fake-host.js';
