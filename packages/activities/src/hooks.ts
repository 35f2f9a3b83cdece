import { Call, Contact, PluginInstallation } from '@mctb/db';
import { parsePluginConfig, type AnyPlugin, type BeforeSendDecision, type BeforeSendEvent } from '@mctb/plugin-sdk';
import type { ActivityDeps } from './deps.js';

export type HookVerdict = { veto: false } | { veto: true; reason: string; pluginId: string };

/**
 * Asks every installed plugin whether the text may go out. Each hook gets its own time budget;
 * a hook that throws or overruns counts as "no opinion" or as a veto, as its plugin declares.
 */
export async function runBeforeSendHooks(
  deps: ActivityDeps,
  input: { subAccountId: string; triggerCallSid: string; contactId: string; body: string },
): Promise<HookVerdict> {
  const em = deps.orm.em.fork();
  const installations = await em.find(PluginInstallation, { subAccount: input.subAccountId, enabled: true }, { orderBy: { installedAt: 'asc' } });
  if (installations.length === 0) return { veto: false };
  const call = await em.findOneOrFail(Call, { callSid: input.triggerCallSid });
  const contact = await em.findOneOrFail(Contact, { id: input.contactId });
  const event: BeforeSendEvent = {
    call: {
      callSid: call.callSid,
      subAccountId: input.subAccountId,
      from: call.callerPhone,
      to: call.toNumber,
      outcome: call.outcome,
      outcomeSource: call.outcomeSource,
    },
    contact: { id: contact.id, phone: contact.phone, firstName: contact.firstName, lastName: contact.lastName, tags: contact.tags },
    body: input.body,
  };
  for (const installation of installations) {
    const plugin = deps.plugins.get(installation.pluginId);
    const hook = plugin?.hooks['textback.beforeSend'];
    if (!plugin || !hook) continue;
    const decision = await decide(plugin, hook, event, installation.config, deps.hookTimeoutMs ?? 5_000);
    if (decision.veto) return { veto: true, reason: decision.reason, pluginId: plugin.manifest.id };
  }
  return { veto: false };
}

async function decide(
  plugin: AnyPlugin,
  hook: NonNullable<AnyPlugin['hooks']['textback.beforeSend']>,
  event: BeforeSendEvent,
  rawConfig: unknown,
  timeoutMs: number,
): Promise<BeforeSendDecision> {
  const { id, failurePolicy } = plugin.manifest;
  const failed = (why: string): BeforeSendDecision =>
    failurePolicy === 'closed' ? { veto: true, reason: `plugin ${id} failed closed: ${why}` } : { veto: false };
  const config = parsePluginConfig(plugin, rawConfig);
  if (!config.ok) return failed(`invalid config (${config.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})`);

  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([hook(event, { config: config.config, signal: abort.signal, deliveryId: `${event.call.callSid}/${id}`, attempt: 1 }), timeout]);
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  } finally {
    clearTimeout(timer);
  }
}
