import { parsePluginConfig, type AnyPlugin, type CallView, type PluginHost } from '@mctb/plugin-sdk';
import { callFixture } from './fixtures.js';

export interface ReportedOutcome {
  callSid: string;
  outcome: Parameters<PluginHost['calls']['reportOutcome']>[1];
  note: string;
}

export interface FakeHost extends PluginHost {
  /** The outcomes the plugin reported, in order. */
  readonly reported: ReportedOutcome[];
  /** The calls whose caller the plugin reported gone before its agent answered, in order. */
  readonly callersLeft: { callSid: string; note: string }[];
}

/** A PluginHost that records what a plugin's webhook reports instead of changing any call. */
export function fakeHost(): FakeHost {
  const reported: ReportedOutcome[] = [];
  const callersLeft: { callSid: string; note: string }[] = [];
  const calls = {
    async reportOutcome(callSid: string, outcome: ReportedOutcome['outcome'], note: string) {
      reported.push({ callSid, outcome, note });
    },
    async reportCallerLeft(callSid: string, note: string) {
      callersLeft.push({ callSid, note });
    },
  };
  return { reported, callersLeft, calls };
}

export type WebhookResult =
  | { kind: 'handled' }
  | { kind: 'not_found'; message: string }
  | { kind: 'bad_request'; message: string }
  | { kind: 'unauthorized'; message: string };

/**
 * Delivers an event from the plugin's own service to one of its webhooks, as the gateway does
 * (`POST /plugins/<id>/webhooks/<name>`): JSON body, the call it names, the installation's config
 * parsed with the plugin's schema, the plugin's `authenticate`, then `handle` with the host. As on
 * the gateway, a plugin may report only on the call its event is about.
 */
export async function deliverWebhook(
  plugin: AnyPlugin,
  name: string,
  request: { rawBody: string; headers?: Record<string, string>; config?: unknown; call?: Partial<CallView>; host?: PluginHost; now?: Date },
): Promise<WebhookResult> {
  const webhook = plugin.webhooks?.[name];
  if (!webhook) return { kind: 'not_found', message: `plugin ${plugin.manifest.id} has no webhook "${name}"` };
  let payload: unknown;
  try {
    payload = JSON.parse(request.rawBody);
  } catch {
    return { kind: 'bad_request', message: 'body is not valid JSON' };
  }
  const callSid = webhook.callSidOf(payload);
  if (!callSid) return { kind: 'bad_request', message: 'payload names no call (callSid)' };
  const config = parsePluginConfig(plugin, request.config);
  if (!config.ok) return { kind: 'not_found', message: `plugin ${plugin.manifest.id} is installed with an invalid config` };
  if (!webhook.authenticate({ rawBody: request.rawBody, headers: request.headers ?? {} }, config.config, request.now ?? new Date())) {
    return { kind: 'unauthorized', message: 'signature or timestamp invalid' };
  }
  const host = request.host ?? fakeHost();
  // Every report names its call first; a plugin speaks only for the call its event is about.
  const calls = Object.fromEntries(
    Object.entries(host.calls).map(([method, report]) => [
      method,
      async (sid: string, ...rest: unknown[]) => {
        if (sid !== callSid) throw new Error(`event for call ${callSid} cannot report on call ${sid}`);
        return (report as (...args: unknown[]) => Promise<void>).call(host.calls, sid, ...rest);
      },
    ]),
  ) as PluginHost['calls'];
  const guarded: PluginHost = { ...host, calls };
  try {
    await webhook.handle(payload, { config: config.config, call: callFixture({ ...request.call, callSid }), host: guarded });
  } catch (error) {
    return { kind: 'bad_request', message: error instanceof Error ? error.message : String(error) };
  }
  return { kind: 'handled' };
}
