import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The prebuilt workflow bundle (see build-workflow-bundle.ts); built with the rest by `pnpm build`. */
export const WORKFLOW_BUNDLE_PATH = join(dirname(fileURLToPath(import.meta.url)), 'workflow-bundle.js');

export function workflowsSourcePath(): string {
  return fileURLToPath(import.meta.resolve('@mctb/workflows/workflows'));
}
