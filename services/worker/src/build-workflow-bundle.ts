/**
 * Bundles the workflow code once at build time, so workers start without webpack and every
 * worker runs byte-identical workflow code: the plain bundle, and the traced one (the same
 * workflows with tracing interceptors) that a worker with OpenTelemetry on runs instead.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { TRACED_WORKFLOW_BUNDLE_PATH, tracingInterceptorModules, WORKFLOW_BUNDLE_PATH, workflowsSourcePath } from './bundle-location.js';

const bundles = [
  { path: WORKFLOW_BUNDLE_PATH, workflowInterceptorModules: [] },
  { path: TRACED_WORKFLOW_BUNDLE_PATH, workflowInterceptorModules: tracingInterceptorModules() },
];
for (const { path, workflowInterceptorModules } of bundles) {
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsSourcePath(), workflowInterceptorModules, logger: quietLogger() });
  await writeFile(path, code);
  console.log(`› workflow bundle: ${path} (${Math.round(code.length / 1024)} KiB)`);
}

function quietLogger() {
  const ignore = () => undefined;
  return { trace: ignore, debug: ignore, info: ignore, log: ignore, warn: console.warn, error: console.error };
}
