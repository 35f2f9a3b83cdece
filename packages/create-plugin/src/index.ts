export * from './scaffold.js';
export * from './templates.js';
export { runCreatePlugin, type Io } from './program.js';
