import { currentDefinition, withLocalEdits, type LocalEdits, type SnapshotDefinition } from '@mctb/snapshots';
import type { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { driverQuery, toDate, type DriverQuery } from './driver.js';

/** The snapshot version a sub-account runs, as a text-back pins it. */
export interface ProvisionedSnapshot {
  slug: string;
  version: number;
  definition: SnapshotDefinition;
  customValues: Record<string, string>;
}

/** Everything a text-back reads before it writes: the call, its number, the business, its snapshot. */
export interface TextBackContext {
  call: { id: string; contactId: string | null; toNumber: string; outcome: string | null };
  /** Null when the number is no longer ours. */
  smsCapable: boolean | null;
  business: { name: string; smsProvider: string };
  provisioned: ProvisionedSnapshot | null;
  /** Some plugin is installed and enabled (only then are the plugins asked before sending). */
  hasPlugins: boolean;
  /** The sub-account's IANA zone. */
  timeZone: string;
  /** Numbers that are the business's own (a call from one of them is a loop, never texted). */
  forwardingNumber: string;
  ownNumbers: string[];
  /** The caller is on the sub-account's block list. */
  blocked: boolean;
  /** A downtime window set through GraphQL: automations skip missed calls inside it. */
  pause: { from: Date; until: Date; reason: string | null } | null;
}

/** A sub-account as a run that no call started sees it. */
export interface SubAccountContext {
  business: { name: string; smsProvider: string };
  timeZone: string;
  /** The number its texts come from; null when it has none that can send SMS. */
  smsNumber: string | null;
  provisioned: ProvisionedSnapshot | null;
  hasPlugins: boolean;
  blocked: boolean;
  pause: TextBackContext['pause'];
}

export interface TextBackContact {
  id: string;
  phone: string;
  firstName: string;
  lastName: string;
  optedOutAt: Date | null;
  createdAt: Date;
}

/**
 * The text-back's reads and writes before the send, as a few plain statements (one round trip
 * each): they run for every missed call, where building them through the ORM cost more than the
 * queries themselves.
 */
export class TextBackStore {
  private readonly query: DriverQuery;

  constructor(orm: MikroORM) {
    this.query = driverQuery(orm.em);
  }

  /** What the sub-account runs, or null when nothing is provisioned. */
  async provisioned(subAccountId: string): Promise<ProvisionedSnapshot | null> {
    const [row] = await this.query(
      `select s.slug, v.version, v.definition, p.custom_values, p.local_edits
         from provisionings p join snapshot_versions v on v.id = p.snapshot_version_id join snapshots s on s.id = v.snapshot_id
        where p.sub_account_id = $1`,
      [subAccountId],
    );
    return row ? provisionedOf(row) : null;
  }

  async context(subAccountId: string, callSid: string): Promise<TextBackContext | null> {
    const [row] = await this.query(
      `select c.id, c.contact_id, c.to_number, c.outcome, n.sms_capable, sa.name, sa.sms_provider,
              s.slug, v.version, v.definition, p.custom_values, p.local_edits,
              exists (select 1 from plugin_installations i where i.sub_account_id = sa.id and i.enabled) as has_plugins,
              sa.time_zone, sa.forwarding_number, array(select o.e164 from phone_numbers o where o.sub_account_id = sa.id) as own_numbers,
              exists (select 1 from blocked_numbers b where b.sub_account_id = sa.id and b.e164 = c.caller_phone) as blocked,
              sa.automations_paused_from, sa.automations_paused_until, sa.automations_paused_reason
         from calls c
         join sub_accounts sa on sa.id = c.sub_account_id
         left join phone_numbers n on n.e164 = c.to_number
         left join provisionings p on p.sub_account_id = sa.id
         left join snapshot_versions v on v.id = p.snapshot_version_id
         left join snapshots s on s.id = v.snapshot_id
        where c.call_sid = $1 and c.sub_account_id = $2`,
      [callSid, subAccountId],
    );
    if (!row) return null;
    return {
      call: { id: row.id as string, contactId: row.contact_id as string | null, toNumber: row.to_number as string, outcome: row.outcome as string | null },
      smsCapable: row.sms_capable as boolean | null,
      business: { name: row.name as string, smsProvider: row.sms_provider as string },
      provisioned: row.slug === null ? null : provisionedOf(row),
      hasPlugins: row.has_plugins as boolean,
      timeZone: row.time_zone as string,
      forwardingNumber: row.forwarding_number as string,
      ownNumbers: row.own_numbers as string[],
      blocked: row.blocked === true,
      pause: pauseOf(row),
    };
  }

  /** What a run that no call started reads about its sub-account (a text received, a tag added). */
  async subAccountContext(subAccountId: string, contactPhone: string): Promise<SubAccountContext | null> {
    const [row] = await this.query(
      `select sa.name, sa.sms_provider, sa.time_zone, s.slug, v.version, v.definition, p.custom_values, p.local_edits,
              (select n.e164 from phone_numbers n where n.sub_account_id = sa.id and n.sms_capable order by n.created_at, n.e164 limit 1) as sms_number,
              exists (select 1 from plugin_installations i where i.sub_account_id = sa.id and i.enabled) as has_plugins,
              exists (select 1 from blocked_numbers b where b.sub_account_id = sa.id and b.e164 = $2) as blocked,
              sa.automations_paused_from, sa.automations_paused_until, sa.automations_paused_reason
         from sub_accounts sa
         left join provisionings p on p.sub_account_id = sa.id
         left join snapshot_versions v on v.id = p.snapshot_version_id
         left join snapshots s on s.id = v.snapshot_id
        where sa.id = $1`,
      [subAccountId, contactPhone],
    );
    if (!row) return null;
    return {
      business: { name: row.name as string, smsProvider: row.sms_provider as string },
      timeZone: row.time_zone as string,
      smsNumber: row.sms_number as string | null,
      provisioned: row.slug === null ? null : provisionedOf(row),
      hasPlugins: row.has_plugins as boolean,
      blocked: row.blocked === true,
      pause: pauseOf(row),
    };
  }

  /** The contact for a phone number, created as a new lead (with its source) the first time. */
  async contact(subAccountId: string, phone: string, source: string): Promise<TextBackContact> {
    const columns = 'id, phone, first_name, last_name, opted_out_at, created_at';
    const [created] = await this.query(
      `insert into contacts (id, sub_account_id, phone, source, created_at) values ($1, $2, $3, $4, now())
       on conflict (sub_account_id, phone) do nothing returning ${columns}`,
      [randomUUID(), subAccountId, phone, source],
    );
    const row = created ?? (await this.query(`select ${columns} from contacts where sub_account_id = $1 and phone = $2`, [subAccountId, phone]))[0];
    if (!row) throw new Error(`contact ${phone} was neither created nor found`);
    return {
      id: row.id as string,
      phone: row.phone as string,
      firstName: row.first_name as string,
      lastName: row.last_name as string,
      optedOutAt: toDate(row.opted_out_at),
      createdAt: toDate(row.created_at) ?? new Date(0),
    };
  }

  /**
   * Records where the text-back stands for these calls (the workflow is the only writer of this
   * status). A text that went out stays "sent": a re-driven run that finds the call again can't undo it.
   */
  async recordStatus(callSids: readonly string[], status: TextBackOutcome, reason: string | null): Promise<void> {
    if (callSids.length === 0) return;
    await this.query(
      `update calls set text_back_status = $2, text_back_reason = $3
        where call_sid = any($1) and text_back_status is distinct from 'sent'`,
      [callSids, status, reason],
    );
  }

  /**
   * Links the call to its contact (once), and says whether, since `since`, the contact texted us or
   * was texted back about another call: the conversation is already under way.
   */
  async linkAndLookBack(callId: string, contactId: string, since: Date): Promise<{ texted: boolean; textedBack: boolean }> {
    const [row] = await this.query(
      `with linked as (update calls set contact_id = $1 where id = $2 and contact_id is null)
       select exists (select 1 from messages where contact_id = $1 and direction = 'inbound' and created_at >= $3) as texted,
              exists (select 1 from messages where contact_id = $1 and direction = 'outbound' and call_id is not null and call_id <> $2 and created_at >= $3) as texted_back`,
      [contactId, callId, since],
    );
    return { texted: row?.texted === true, textedBack: row?.texted_back === true };
  }
  /**
   * Why the sub-account's automations on this trigger are off now (turned off in the snapshot it
   * runs, or nothing provisioned), or null while one is on. Definitions stored before workflows
   * existed carry only the text-back settings (a call.missed automation).
   */
  async automationOff(subAccountId: string, trigger: string): Promise<string | null> {
    const [row] = await this.query(
      `select s.slug, v.version,
              case when v.definition ? 'workflows'
                   then exists (select 1 from jsonb_array_elements(v.definition->'workflows') w
                                 where (w->>'enabled')::boolean and w->'trigger'->>'type' = $2)
                   else $2 = 'call.missed' and coalesce((v.definition->'textBack'->>'enabled')::boolean, false) end as on
         from provisionings p join snapshot_versions v on v.id = p.snapshot_version_id join snapshots s on s.id = v.snapshot_id
        where p.sub_account_id = $1`,
      [subAccountId, trigger],
    );
    if (!row) return 'stopped: no snapshot runs in this sub-account any more';
    return row.on === true ? null : `stopped: automations on ${trigger} are off in snapshot ${String(row.slug)} v${String(row.version)}`;
  }

  /** Links the call to its contact (once) and reads what a run's exclusions need, in one round trip. */
  async linkAndInspect(callId: string, contactId: string, conversationSince: Date, dedupSince: Date): Promise<CallerLookBack> {
    const [row] = await this.query(
      `with linked as (update calls set contact_id = $1 where id = $2 and contact_id is null)
       select exists (select 1 from messages where contact_id = $1 and direction = 'inbound' and created_at >= $3) as texted,
              exists (select 1 from messages where contact_id = $1 and direction = 'outbound' and call_id is not null and call_id <> $2 and created_at >= $4) as texted_back,
              k.tags, k.created_at >= c.started_at as is_new
         from contacts k, calls c where k.id = $1 and c.id = $2`,
      [contactId, callId, conversationSince, dedupSince],
    );
    if (!row) throw new Error(`contact ${contactId} or call ${callId} is gone`);
    const tags = typeof row.tags === 'string' ? (JSON.parse(row.tags) as string[]) : (row.tags as string[]);
    return { texted: row.texted === true, textedBack: row.texted_back === true, tags, isNew: row.is_new === true };
  }
}


/** What the automation's exclusions read about a caller, as of the moment a run opens. */
export interface CallerLookBack {
  /** The caller texted us since `conversationSince`. */
  texted: boolean;
  /** The caller got a text about another call since `dedupSince`. */
  textedBack: boolean;
  tags: string[];
  /** The contact was created for this call (not known before it). */
  isNew: boolean;
}

/** The text-back's own column on calls: where it stands, with the reason. */
export type TextBackOutcome = 'sent' | 'skipped' | 'failed';

function pauseOf(row: Record<string, unknown>): TextBackContext['pause'] {
  const from = toDate(row.automations_paused_from);
  const until = toDate(row.automations_paused_until);
  return from && until ? { from, until, reason: row.automations_paused_reason as string | null } : null;
}

function provisionedOf(row: Record<string, unknown>): ProvisionedSnapshot {
  const json = <T>(value: unknown): T => (typeof value === 'string' ? (JSON.parse(value) as T) : (value as T));
  return {
    slug: row.slug as string,
    version: row.version as number,
    // The sub-account's own template and hours edits win over its version's.
    definition: withLocalEdits(currentDefinition(json<SnapshotDefinition>(row.definition)), json<LocalEdits | null>(row.local_edits)),
    customValues: json<Record<string, string>>(row.custom_values),
  };
}
