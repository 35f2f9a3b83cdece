import { defineConfig } from 'vitest/config';

// One run for the whole workspace. The global setup installs and starts what tests share
// (one embedded PostgreSQL; the Temporal CLI and Java test server are made ready once).
export default defineConfig({
  resolve: {
    // graphql ships CommonJS (what Node, graphql-yoga and Pothos load) and an ESM copy that Vite
    // would pick for our sources; graphql rejects objects made by the other copy. Use Node's.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['{packages,services,plugins,infra}/*/src/**/*.test.ts'],
    globalSetup: ['./packages/testkit/dist/global-setup.js'],
    // Temporal's native bridge and child processes are happier in forked workers than in threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});
