import type { z } from 'zod';
import { StepFailure, type HookContext } from './hooks.js';
import { parsePluginConfig, type AnyPlugin, type ConfigIssue } from './plugin.js';
import { HOOK_NAMES, type HookName } from './published-manifest.js';
import { hookAnswerSchemas, stepAnswerSchema } from './remote-protocol.js';

/** A hook without a `hookPolicies` entry gets this budget (as the published manifest's default). */
export const DEFAULT_HOOK_TIMEOUT_MS = 5_000;
/** A step without its own `timeoutMs` gets this budget (as the published manifest's default). */
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

/** What a hook answers on the wire (`{}` for hooks that only listen). */
export type HookWireAnswer<H extends HookName> = z.output<(typeof hookAnswerSchemas)[H]>;
export type StepWireAnswer = z.output<typeof stepAnswerSchema>;

/** One call of a plugin, as the host makes it: a hook with its event or a step with its input. */
export type Invocation = { type: 'hook'; hook: string; event: unknown } | { type: 'step'; step: string; input: unknown };

/**
 * How an invocation ended, each kind with the status a remote plugin answers it with:
 * answer 200, not-found 404, invalid-config 422, step-failure 422, timeout 504, error (the handler
 * threw) and invalid-answer (its answer is outside the contract) 500.
 */
export type InvocationOutcome =
  | { kind: 'answer'; answer: Record<string, unknown> }
  | { kind: 'not-found'; error: string }
  | { kind: 'invalid-config'; error: string; issues: ConfigIssue[] }
  | { kind: 'step-failure'; error: string }
  | { kind: 'timeout'; error: string; timeoutMs: number }
  | { kind: 'error'; error: string; cause: unknown }
  | { kind: 'invalid-answer'; error: string; answer: unknown };

export function hookTimeoutMs(plugin: AnyPlugin, hook: HookName): number {
  return plugin.manifest.hookPolicies?.[hook]?.timeoutMs ?? DEFAULT_HOOK_TIMEOUT_MS;
}

export function stepTimeoutMs(plugin: AnyPlugin, step: string): number {
  return plugin.manifest.steps?.[step]?.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
}

/** A handler that didn't settle within its budget; its signal was aborted with this error. */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
  ) {
    super(`${what} did not answer within ${timeoutMs} ms`);
  }
}

/**
 * Runs `work` with a signal that aborts at the deadline. At the deadline this rejects with
 * DeadlineExceeded even when the work ignores its signal (the host stops waiting just the same).
 */
export async function withDeadline<T>(what: string, timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceeded(what, timeoutMs);
      abort.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([work(abort.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface InvokeOptions {
  /** The installation's config as stored: parsed with the plugin's schema before the handler sees it. */
  config: unknown;
  deliveryId: string;
  attempt: number;
  /** Overrides the declared budget (the testkit uses it; the server doesn't). */
  timeoutMs?: number;
}

function isHookName(name: string): name is HookName {
  return (HOOK_NAMES as readonly string[]).includes(name);
}

function isStepFailure(error: unknown): error is Error {
  // By name too: a plugin bundling its own copy of the SDK throws another StepFailure class.
  return error instanceof StepFailure || (error instanceof Error && error.name === 'StepFailure');
}

function describeIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.map(String).join('.') : '(answer)'}: ${issue.message}`).join('; ');
}

/**
 * Runs one hook or step of a plugin the way the platform does: finds the handler, parses the
 * installation's config with the plugin's schema, runs the handler with a signal that aborts at the
 * declared timeout, and checks the answer against the wire contract (`hookAnswerSchemas`,
 * `stepAnswerSchema`). Never throws: every ending is an InvocationOutcome.
 */
export async function invokePlugin(plugin: AnyPlugin, invocation: Invocation, options: InvokeOptions): Promise<InvocationOutcome> {
  const { id } = plugin.manifest;
  let what: string;
  let timeoutMs: number;
  let run: (context: HookContext<unknown>) => Promise<unknown>;
  let check: (answer: unknown) => z.ZodSafeParseResult<Record<string, unknown>>;
  if (invocation.type === 'hook') {
    const { hook } = invocation;
    const handler = isHookName(hook) ? plugin.hooks[hook] : undefined;
    if (!isHookName(hook) || !handler) return { kind: 'not-found', error: `plugin "${id}" does not implement the hook "${hook}"` };
    what = `hook ${hook} of plugin "${id}"`;
    timeoutMs = options.timeoutMs ?? hookTimeoutMs(plugin, hook);
    run = (context) => (handler as (event: unknown, context: HookContext<unknown>) => Promise<unknown>)(invocation.event, context);
    // Hooks that only listen may answer nothing; their wire answer is {}.
    check = (answer) => (hookAnswerSchemas[hook] as z.ZodType<Record<string, unknown>>).safeParse(answer === undefined && hook !== 'textback.beforeSend' ? {} : answer);
  } else {
    const { step } = invocation;
    const handler = Object.hasOwn(plugin.steps ?? {}, step) ? plugin.steps?.[step] : undefined;
    if (!handler) return { kind: 'not-found', error: `plugin "${id}" has no step "${step}"` };
    what = `step ${step} of plugin "${id}"`;
    timeoutMs = options.timeoutMs ?? stepTimeoutMs(plugin, step);
    run = (context) => handler(invocation.input as Parameters<typeof handler>[0], context);
    check = (answer) => stepAnswerSchema.safeParse(answer ?? {});
  }

  const config = parsePluginConfig(plugin, options.config);
  if (!config.ok) {
    return {
      kind: 'invalid-config',
      error: `the installation's config is invalid: ${config.issues.map((issue) => `${issue.path || '(config)'}: ${issue.message}`).join('; ')}`,
      issues: config.issues,
    };
  }

  let answer: unknown;
  try {
    answer = await withDeadline(what, timeoutMs, (signal) =>
      run({ config: config.config, signal, deliveryId: options.deliveryId, attempt: options.attempt }),
    );
  } catch (error) {
    if (error instanceof DeadlineExceeded) return { kind: 'timeout', error: error.message, timeoutMs };
    if (invocation.type === 'step' && isStepFailure(error)) return { kind: 'step-failure', error: error.message || 'the step failed' };
    return { kind: 'error', error: `${what} failed: ${error instanceof Error ? error.message : String(error)}`, cause: error };
  }
  const checked = check(answer);
  if (!checked.success) {
    return { kind: 'invalid-answer', error: `${what} gave an answer outside the contract: ${describeIssues(checked.error.issues)}`, answer };
  }
  return { kind: 'answer', answer: checked.data };
}
