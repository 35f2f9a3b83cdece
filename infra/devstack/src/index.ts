export { cacheDir, repoRoot, stateDir } from './paths.js';
export { eventually, freePort, isPortOpen, waitFor } from './ports.js';
export { run, findOnPath } from './exec.js';
export { startProcess, type ManagedProcess, type StartProcessOptions } from './managed-process.js';
export { startEmbeddedPostgres, ensureDatabase, dropDatabase, type RunningPostgres } from './postgres.js';
export { ensureTemporalCli, TEMPORAL_CLI_VERSION } from './temporal-cli.js';
export { startTemporalDevServer, type RunningTemporal } from './temporal-dev-server.js';
export { ensureTemporalTestServer } from './temporal-test-server.js';
export { startSmtpCapture, type CapturedMail, type SmtpCapture, type SmtpCaptureOptions } from './smtp-capture.js';
