import type { PluginDelivery } from '@mctb/db';
import type { ActivityDeps } from '../deps.js';

/** One attempt as plugin_deliveries keeps it. */
export type DeliveryRecord = Omit<PluginDelivery, 'id' | 'createdAt'>;

/** Records one attempt (once: a retried activity attempt that already recorded it changes nothing). */
export async function recordDelivery(deps: ActivityDeps, record: DeliveryRecord): Promise<void> {
  await deps.orm.em.getConnection().execute(
    `insert into plugin_deliveries (id, delivery_id, attempt, sub_account_id, plugin_id, plugin_version, kind, name, call_sid, http_status, latency_ms, outcome, detail, created_at)
     values (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) on conflict (delivery_id, attempt) do nothing`,
    [
      record.deliveryId,
      record.attempt,
      record.subAccountId,
      record.pluginId,
      record.pluginVersion,
      record.kind,
      record.name,
      record.callSid,
      record.httpStatus,
      record.latencyMs,
      record.outcome,
      record.detail.slice(0, 2_000),
    ],
  );
}
