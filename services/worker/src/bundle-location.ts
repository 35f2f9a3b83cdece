import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The prebuilt workflow bundle (see build-workflow-bundle.ts); built with the rest by `pnpm build`. */
export const WORKFLOW_BUNDLE_PATH = join(dirname(fileURLToPath(import.meta.url)), 'workflow-bundle.js');

/**
 * The same workflows with Temporal's OpenTelemetry workflow interceptors and ours (the call's
 * attributes on each span), run when tracing is on. Interceptors issue no commands: a run may move
 * between traced and untraced workers.
 */
export const TRACED_WORKFLOW_BUNDLE_PATH = join(dirname(fileURLToPath(import.meta.url)), 'workflow-bundle.traced.js');

export function workflowsSourcePath(): string {
  return fileURLToPath(import.meta.resolve('@mctb/workflows/workflows'));
}

/** The traced bundle's interceptor modules, outermost first. */
export function tracingInterceptorModules(): string[] {
  const require = createRequire(import.meta.url);
  return [require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors'), fileURLToPath(import.meta.resolve('@mctb/workflows/tracing-interceptors'))];
}
