import { Call, PluginInstallation, type Orm } from '@mctb/db';
import { parsePluginConfig, type PluginHost, type PluginRegistry } from '@mctb/plugin-sdk';
import type { CallIntake } from './call-intake.js';
import { callView } from './views.js';

export type PluginWebhookResult =
  | { kind: 'handled' }
  | { kind: 'not_found'; message: string }
  | { kind: 'bad_request'; message: string }
  | { kind: 'unauthorized'; message: string };

/**
 * `POST /plugins/<id>/webhooks/<name>`: events from a plugin's own service. The host finds the
 * call and the installation; the plugin authenticates the request with its config and acts.
 */
export class PluginWebhooks {
  constructor(private readonly deps: { orm: Orm; plugins: PluginRegistry; calls: CallIntake; now?: () => Date }) {}

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

    const em = this.deps.orm.em.fork();
    const call = await em.findOne(Call, { callSid });
    if (!call) return { kind: 'not_found', message: `no call ${callSid}` };
    const installation = await em.findOne(PluginInstallation, { subAccount: call.subAccount, pluginId, enabled: true });
    if (!installation) return { kind: 'not_found', message: `plugin ${pluginId} is not installed for this call's sub-account` };
    const config = parsePluginConfig(plugin, installation.config);
    if (!config.ok) return { kind: 'not_found', message: `plugin ${pluginId} is installed with an invalid config` };
    if (!webhook.authenticate(request, config.config, this.deps.now?.() ?? new Date())) {
      return { kind: 'unauthorized', message: 'signature or timestamp invalid' };
    }

    const host: PluginHost = {
      calls: {
        // A plugin speaks only for the call its authenticated event is about.
        reportOutcome: async (sid, outcome) => {
          if (sid !== callSid) throw new Error(`event for call ${callSid} cannot report on call ${sid}`);
          await this.deps.calls.pluginOutcome(sid, outcome, pluginId);
        },
      },
    };
    try {
      await webhook.handle(payload, { config: config.config, call: callView(call), host });
    } catch (error) {
      return { kind: 'bad_request', message: error instanceof Error ? error.message : String(error) };
    }
    return { kind: 'handled' };
  }
}
