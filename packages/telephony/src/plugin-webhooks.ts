import { Call, PluginInstallation, type Orm } from '@mctb/db';
import { parsePluginConfig, type PluginHost, type PluginRegistry } from '@mctb/plugin-sdk';
import type { CallIntake } from './call-intake.js';
import { withDeadline } from './deadline.js';
import { isOutage } from './outages.js';
import { callView } from './views.js';

export type PluginWebhookResult =
  | { kind: 'handled' }
  | { kind: 'not_found'; message: string }
  | { kind: 'bad_request'; message: string }
  | { kind: 'unauthorized'; message: string }
  /** PostgreSQL or Temporal is unavailable for now: the plugin's service should retry after a while. */
  | { kind: 'unavailable'; message: string; retryAfterSeconds: number };

/** How long a plugin's service is asked to wait before retrying an event we could not take. */
const RETRY_AFTER_SECONDS = 5;

/**
 * `POST /plugins/<id>/webhooks/<name>`: events from a plugin's own service. The host finds the
 * call and the installation; the plugin authenticates the request with its config and acts.
 * An outage of PostgreSQL or Temporal answers "unavailable" (the gateway says 503), never "bad
 * request": the event is fine and a retry will take it (e.g. Voice AI's "the agent answered",
 * without which the caller would get a text).
 */
export class PluginWebhooks {
  private readonly deadlineMs: number;

  constructor(private readonly deps: { orm: Orm; plugins: PluginRegistry; calls: CallIntake; now?: () => Date; deadlineMs?: number }) {
    this.deadlineMs = deps.deadlineMs ?? 4_000;
  }

  async handle(pluginId: string, name: string, request: { rawBody: string; headers: Record<string, string> }): Promise<PluginWebhookResult> {
    const plugin = this.deps.plugins.get(pluginId);
    const webhook = plugin?.webhooks?.[name];
    if (!plugin || !webhook) return { kind: 'not_found', message: `plugin ${pluginId} has no webhook "${name}"` };
    let payload: unknown;
    try {
      payload = JSON.parse(request.rawBody);
    } catch {
      return { kind: 'bad_request', message: 'body is not valid JSON' };
    }
    const callSid = webhook.callSidOf(payload);
    if (!callSid) return { kind: 'bad_request', message: 'payload names no call (callSid)' };

    let found: { call: Call; installation: PluginInstallation | null } | null;
    try {
      found = await withDeadline('look up the call and the installation', this.deadlineMs, async () => {
        const em = this.deps.orm.em.fork();
        const call = await em.findOne(Call, { callSid });
        if (!call) return null;
        return { call, installation: await em.findOne(PluginInstallation, { subAccount: call.subAccount, pluginId, enabled: true }) };
      });
    } catch (error) {
      if (isOutage(error)) return unavailable(error);
      throw error;
    }
    if (!found) return { kind: 'not_found', message: `no call ${callSid}` };
    const { call, installation } = found;
    if (!installation) return { kind: 'not_found', message: `plugin ${pluginId} is not installed for this call's sub-account` };
    const config = parsePluginConfig(plugin, installation.config);
    if (!config.ok) return { kind: 'not_found', message: `plugin ${pluginId} is installed with an invalid config` };
    if (!webhook.authenticate(request, config.config, this.deps.now?.() ?? new Date())) {
      return { kind: 'unauthorized', message: 'signature or timestamp invalid' };
    }

    // A plugin speaks only for the call its authenticated event is about.
    const own = (sid: string) => {
      if (sid !== callSid) throw new Error(`event for call ${callSid} cannot report on call ${sid}`);
    };
    const host: PluginHost = {
      calls: {
        reportOutcome: async (sid, outcome, note) => {
          own(sid);
          await this.deps.calls.pluginOutcome(sid, outcome, pluginId, note);
        },
        reportCallerLeft: async (sid, note) => {
          own(sid);
          await this.deps.calls.pluginCallerLeft(sid, pluginId, note);
        },
      },
    };
    try {
      await webhook.handle(payload, { config: config.config, call: callView(call), host });
    } catch (error) {
      if (isOutage(error)) return unavailable(error);
      return { kind: 'bad_request', message: error instanceof Error ? error.message : String(error) };
    }
    return { kind: 'handled' };
  }
}

function unavailable(error: unknown): PluginWebhookResult {
  const cause = error instanceof Error ? error.message : String(error);
  return { kind: 'unavailable', message: `temporarily unavailable, retry later (${cause})`, retryAfterSeconds: RETRY_AFTER_SECONDS };
}
