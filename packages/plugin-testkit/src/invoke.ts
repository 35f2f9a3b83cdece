import { randomUUID } from 'node:crypto';
import {
  DeadlineExceeded,
  invokePlugin,
  StepFailure,
  type AnyPlugin,
  type ConfigIssue,
  type HookEvents,
  type HookName,
  type HookWireAnswer,
  type Invocation,
  type StepInput,
  type StepWireAnswer,
} from '@mctb/plugin-sdk';

export interface InvokeOptions {
  /** The installation's config as an agency would save it; parsed with the plugin's schema first. */
  config?: unknown;
  /** Defaults to a new id per call. */
  deliveryId?: string;
  attempt?: number;
  /** Overrides the budget the manifest declares (5 s for hooks and 10 s for steps unless declared). */
  timeoutMs?: number;
}

/** The installation's config is refused by the plugin's schema (the platform refuses to install it). */
export class InvalidConfigError extends Error {
  override name = 'InvalidConfigError';
  constructor(
    message: string,
    readonly issues: ConfigIssue[],
  ) {
    super(message);
  }
}

async function invoke(plugin: AnyPlugin, invocation: Invocation, options: InvokeOptions): Promise<Record<string, unknown>> {
  const outcome = await invokePlugin(plugin, invocation, {
    config: options.config ?? {},
    deliveryId: options.deliveryId ?? randomUUID(),
    attempt: options.attempt ?? 1,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  switch (outcome.kind) {
    case 'answer':
      return outcome.answer;
    case 'invalid-config':
      throw new InvalidConfigError(outcome.error, outcome.issues);
    case 'step-failure':
      throw new StepFailure(outcome.error);
    case 'timeout': {
      const what = invocation.type === 'hook' ? `hook ${invocation.hook}` : `step ${invocation.step}`;
      throw new DeadlineExceeded(`${what} of plugin "${plugin.manifest.id}"`, outcome.timeoutMs);
    }
    case 'error':
      // What the handler threw, as it threw it.
      throw outcome.cause;
    default:
      throw new Error(outcome.error);
  }
}

/**
 * Runs a hook as the platform does: the config parsed with the plugin's schema (rejects with
 * InvalidConfigError), the handler given a signal that aborts at the declared timeout (rejects with
 * DeadlineExceeded), and its answer checked against the wire contract. Resolves with the answer the
 * platform would see: `{veto: …}` for textback.beforeSend, `{}` or `{outcome}` for call.completed,
 * `{}` for hooks that only listen. Rejects with what the handler threw otherwise.
 */
export async function invokeHook<H extends HookName>(plugin: AnyPlugin, hook: H, event: HookEvents[H], options: InvokeOptions = {}): Promise<HookWireAnswer<H>> {
  return (await invoke(plugin, { type: 'hook', hook, event }, options)) as HookWireAnswer<H>;
}

/**
 * Runs a step as the platform does (see invokeHook). Resolves with `{summary?, output?}`; a
 * StepFailure the step throws (which fails the step at once, without retries) rejects as a StepFailure.
 */
export async function invokeStep(plugin: AnyPlugin, step: string, input: StepInput, options: InvokeOptions = {}): Promise<StepWireAnswer> {
  return (await invoke(plugin, { type: 'step', step, input }, options)) as StepWireAnswer;
}
