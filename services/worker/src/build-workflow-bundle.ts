/**
 * Bundles the workflow code once at build time, so workers start without webpack and every
 * worker runs byte-identical workflow code.
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';
import { WORKFLOW_BUNDLE_PATH, workflowsSourcePath } from './bundle-location.js';

const { code } = await bundleWorkflowCode({ workflowsPath: workflowsSourcePath(), logger: quietLogger() });
await writeFile(WORKFLOW_BUNDLE_PATH, code);
console.log(`› workflow bundle: ${WORKFLOW_BUNDLE_PATH} (${Math.round(code.length / 1024)} KiB)`);

function quietLogger() {
  const ignore = () => undefined;
  return { trace: ignore, debug: ignore, info: ignore, log: ignore, warn: console.warn, error: console.error };
}
