import {
  hookAnswerSchemas,
  IDEMPOTENCY_KEY_HEADER,
  parsePluginConfig,
  REMOTE_PROTOCOL_VERSION,
  SIGNATURE_HEADER,
  signWebhook,
  stepAnswerSchema,
  StepFailure,
  stepRefusalSchema,
  type AnyPlugin,
  type HookContext,
  type HookName,
  type RemoteRequest,
} from '@mctb/plugin-sdk';
import type { ActivityDeps } from '../deps.js';
import { postWebhook, WebhookRefusedError } from '../automation/webhook-http.js';
import type { InstalledRelease } from './installed-releases.js';

/** A hook's event or a step's input, as the plugin receives it. */
export type PluginCall = { type: 'hook'; name: HookName; event: object } | { type: 'step'; name: string; input: object };

export type PluginCallResult =
  | { ok: true; answer: unknown; httpStatus: number | null; latencyMs: number }
  /** `retryable`: another attempt may go differently (a timeout, a 5xx, garbage); false for a refusal. */
  | { ok: false; retryable: boolean; reason: string; httpStatus: number | null; latencyMs: number };

/** The most of a plugin's answer we read. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Calls one hook or step of an installed plugin, once, within `timeoutMs`: in the worker for
 * first-party plugins, as a signed POST for remote ones. Never throws for what the plugin does
 * (hangs, errors, garbage): that comes back as a failed result for the caller's policy.
 */
export async function callPlugin(
  deps: Pick<ActivityDeps, 'plugins' | 'allowPrivateNetworks'>,
  release: InstalledRelease,
  call: PluginCall,
  delivery: { deliveryId: string; attempt: number; timeoutMs: number },
): Promise<PluginCallResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (release.manifest.runtime.kind === 'builtin') {
    const plugin = deps.plugins.get(release.pluginId);
    if (!plugin) return { ok: false, retryable: false, reason: `plugin ${release.pluginId} is not shipped with this worker`, httpStatus: null, latencyMs: 0 };
    return callBuiltin(plugin, release, call, delivery).then(
      (answer) => ({ ok: true, answer, httpStatus: null, latencyMs: elapsed() }),
      (error: unknown) => ({ ok: false, retryable: !(error instanceof StepFailure), reason: messageOf(error), httpStatus: null, latencyMs: elapsed() }),
    );
  }

  if (release.signingSecret === null) return { ok: false, retryable: false, reason: 'the plugin has no signing secret', httpStatus: null, latencyMs: 0 };
  const request: RemoteRequest = {
    protocol: REMOTE_PROTOCOL_VERSION,
    deliveryId: delivery.deliveryId,
    attempt: delivery.attempt,
    plugin: { id: release.pluginId, version: release.version },
    installation: { id: release.installationId, subAccountId: release.subAccountId, config: release.config },
    ...(call.type === 'hook' ? { type: 'hook', hook: call.name, event: call.event } : { type: 'step', step: call.name, input: call.input }),
  } as RemoteRequest;
  const body = JSON.stringify(request);
  let response;
  try {
    response = await postWebhook(release.manifest.runtime.url, body, {
      headers: {
        [SIGNATURE_HEADER]: signWebhook(release.signingSecret, body, Math.floor(Date.now() / 1000)),
        [IDEMPOTENCY_KEY_HEADER]: delivery.deliveryId,
        'User-Agent': 'mctb-plugins/1',
      },
      timeoutMs: delivery.timeoutMs,
      allowPrivateNetworks: deps.allowPrivateNetworks,
      maxResponseBytes: MAX_ANSWER_BYTES,
    });
  } catch (error) {
    const refused = error instanceof WebhookRefusedError;
    return { ok: false, retryable: !refused, reason: refused ? `refused: ${error.message}` : messageOf(error), httpStatus: null, latencyMs: elapsed() };
  }
  const { status, latencyMs } = response;
  const fail = (retryable: boolean, reason: string): PluginCallResult => ({ ok: false, retryable, reason, httpStatus: status, latencyMs });
  if (call.type === 'step' && status === 422) {
    const refusal = stepRefusalSchema.safeParse(parseJson(response.body));
    return fail(false, refusal.success ? refusal.data.error : 'the plugin refused the step (HTTP 422)');
  }
  if (status < 200 || status >= 300) {
    // A refusal of the request itself (a 4xx other than timeouts and rate limits) won't change on retry.
    const retryable = status >= 500 || status === 408 || status === 429;
    return fail(retryable, `HTTP ${status}${response.body ? `: ${response.body.slice(0, 200)}` : ''}`);
  }
  if (response.truncated) return fail(true, `the answer is larger than ${MAX_ANSWER_BYTES / 1024} KiB`);
  const json = parseJson(response.body);
  const schema = call.type === 'hook' ? hookAnswerSchemas[call.name] : stepAnswerSchema;
  const answer = schema.safeParse(json);
  if (!answer.success) {
    const problem = answer.error.issues[0];
    return fail(true, `answered something that is not a ${call.type === 'hook' ? `${call.name} answer` : 'step result'}${problem ? ` (${problem.path.join('.') || 'body'}: ${problem.message})` : ''}: ${response.body.slice(0, 120)}`);
  }
  return { ok: true, answer: answer.data, httpStatus: status, latencyMs };
}

async function callBuiltin(plugin: AnyPlugin, release: InstalledRelease, call: PluginCall, delivery: { deliveryId: string; attempt: number; timeoutMs: number }): Promise<unknown> {
  const config = parsePluginConfig(plugin, release.config);
  if (!config.ok) throw new StepFailure(`invalid config (${config.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')})`);
  const handler = call.type === 'hook' ? plugin.hooks[call.name] : plugin.steps?.[call.name];
  if (!handler) throw new StepFailure(`plugin ${plugin.manifest.id} has no ${call.type} ${call.name}`);
  const abort = new AbortController();
  const context: HookContext<unknown> = { config: config.config, signal: abort.signal, deliveryId: delivery.deliveryId, attempt: delivery.attempt };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`no answer within ${delivery.timeoutMs} ms`));
    }, delivery.timeoutMs);
  });
  try {
    const payload = call.type === 'hook' ? call.event : call.input;
    const answer = await Promise.race([(handler as (event: unknown, context: HookContext<unknown>) => Promise<unknown>)(payload, context), timeout]);
    return answer ?? {};
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
