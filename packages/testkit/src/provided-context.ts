/** Values the global setup provides to every test file (vitest's provide/inject). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Maintenance-database URL of the PostgreSQL server shared by this test run. */
    postgresAdminUrl: string;
    /** Temporal CLI binary (for dev servers started by end-to-end tests). */
    temporalCli: string;
    /** Launcher of Temporal's Java test server, for TestWorkflowEnvironment.createTimeSkipping. */
    temporalTestServer: string;
    /** Cases per fuzzing property: a few hundred in `npm test`, 10,000 in `npm run fuzz` (MCTB_FUZZ_RUNS). */
    fuzzRuns: number;
  }
}

export {};
