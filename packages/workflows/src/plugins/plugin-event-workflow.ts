import type { EventHook, PluginEventInput } from '@mctb/activities';
import { local } from '../activity-proxies.js';
import { failureOf, pluginActivities } from './plugin-calls.js';

export interface PluginEventResult {
  delivered: string[];
  failed: { pluginId: string; reason: string }[];
}

/**
 * Delivers one event (`textback.sent`, `message.received`, `subaccount.provisioned`) to every plugin
 * installed with the hook, each with its own timeout and retries, in parallel. Its own workflow,
 * so a slow plugin never holds a text-back; its id names the event, so it runs once.
 */
export async function pluginEventWorkflow(input: PluginEventInput): Promise<PluginEventResult> {
  const hook: EventHook = input.subject.hook;
  const prepared = await local.preparePluginEvent(input);
  const result: PluginEventResult = { delivered: [], failed: [] };
  if (prepared === null) return result;
  await Promise.all(
    prepared.targets.map(async (plugin) => {
      const policy = plugin.hooks[hook]!;
      try {
        const outcome = await pluginActivities(policy.timeoutMs, policy.retries).deliverPluginEvent({
          plugin,
          subAccountId: input.subAccountId,
          hook,
          event: prepared.event,
          deliveryId: `${hook}/${input.eventKey}/${plugin.pluginId}`,
          maxAttempts: policy.retries + 1,
        });
        if (outcome.delivered) result.delivered.push(plugin.pluginId);
        else result.failed.push({ pluginId: plugin.pluginId, reason: outcome.detail });
      } catch (error) {
        result.failed.push({ pluginId: plugin.pluginId, reason: failureOf(error) });
      }
    }),
  );
  return result;
}
