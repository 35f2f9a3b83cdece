export { createEmptyDatabase, type TestDatabase } from './database.js';
