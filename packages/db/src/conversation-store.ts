import type { EntityManager } from '@mikro-orm/postgresql';
import { driverQuery, toDate, type DriverQuery } from './driver.js';

/** A contact's conversation as the inbox lists it. */
export interface ConversationSummary {
  contactId: string;
  phone: string;
  firstName: string;
  lastName: string;
  lastActivityAt: Date;
  lastMessage: { direction: 'inbound' | 'outbound'; body: string; status: string } | null;
  /** Texts from the contact since a team member last read the conversation. */
  unread: number;
  readAt: Date | null;
}

/** One entry of a contact's thread, newest first. */
export type ThreadEvent =
  | { kind: 'call'; at: Date; id: string; callSid: string; outcome: string | null; textBackStatus: string | null; textBackReason: string | null }
  | { kind: 'text'; at: Date; id: string; direction: 'inbound' | 'outbound'; body: string; status: string; callSid: string | null; sentBy: 'automation' | 'person' }
  /** What the platform did or decided about the contact, e.g. "skipped: active conversation". */
  | { kind: 'system'; at: Date; id: string; detail: string };

export interface Page {
  first: number;
  /** Cursor: the `lastActivityAt|contactId` (conversations) or `at|id` (thread) of the last entry received. */
  after?: string | null;
}

/**
 * The inbox: contacts with texts, their threads (calls, texts both ways, the platform's decisions)
 * and what is unread. Read state is the control plane's alone to write (conversation_reads).
 */
export class ConversationStore {
  private readonly query: DriverQuery;

  constructor(em: EntityManager) {
    this.query = driverQuery(em);
  }

  /** The sub-account's conversations, most recent activity first; `unreadOnly` keeps those with unread texts. */
  async conversations(subAccountId: string, page: Page & { unreadOnly?: boolean; contactIds?: string[] }): Promise<ConversationSummary[]> {
    const cursor = parseCursor(page.after);
    const rows = await this.query(
      `select c.id, c.phone, c.first_name, c.last_name, last.created_at as last_at, last.direction, last.body, last.status, r.read_at,
              (select count(*) from messages u
                where u.contact_id = c.id and u.direction = 'inbound' and u.created_at > coalesce(r.read_at, '-infinity'::timestamptz))::int as unread
         from contacts c
         join lateral (select m.created_at, m.direction, m.body, m.status from messages m
                        where m.contact_id = c.id order by m.created_at desc, m.id desc limit 1) last on true
         left join conversation_reads r on r.contact_id = c.id
        where c.sub_account_id = $1
          and ($2::timestamptz is null or (last.created_at, c.id) < ($2::timestamptz, $3::uuid))
          and ($5::uuid[] is null or c.id = any($5::uuid[]))
          and (not $6 or exists (select 1 from messages u where u.contact_id = c.id and u.direction = 'inbound' and u.created_at > coalesce(r.read_at, '-infinity'::timestamptz)))
        order by last.created_at desc, c.id desc
        limit $4`,
      [subAccountId, cursor?.at ?? null, cursor?.id ?? null, page.first, page.contactIds ?? null, page.unreadOnly ?? false],
    );
    return rows.map((row) => ({
      contactId: row.id as string,
      phone: row.phone as string,
      firstName: row.first_name as string,
      lastName: row.last_name as string,
      lastActivityAt: toDate(row.last_at)!,
      lastMessage: { direction: row.direction as 'inbound' | 'outbound', body: row.body as string, status: row.status as string },
      unread: row.unread as number,
      readAt: toDate(row.read_at),
    }));
  }

  /** How many conversations of each sub-account have unread texts (one statement for a page of sub-accounts). */
  async unreadConversations(subAccountIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.query(
      `select m.sub_account_id, count(distinct m.contact_id)::int as n
         from messages m
         left join conversation_reads r on r.contact_id = m.contact_id
        where m.sub_account_id = any($1::uuid[]) and m.direction = 'inbound' and m.contact_id is not null
          and m.created_at > coalesce(r.read_at, '-infinity'::timestamptz)
        group by m.sub_account_id`,
      [subAccountIds],
    );
    return new Map(rows.map((row) => [row.sub_account_id as string, row.n as number]));
  }

  /**
   * A contact's thread, newest first: its calls (with what the text-back did), its texts both ways
   * with their delivery status, and the platform's decisions (a text-back skipped or failed and why,
   * the contact opting out).
   */
  async thread(contactId: string, page: Page): Promise<ThreadEvent[]> {
    const cursor = parseCursor(page.after);
    const rows = await this.query(
      // Calls the text-back linked to the contact, and calls from its number it never looked at (answered ones).
      `with contact_calls as (
          select c.id from calls c where c.contact_id = $1
          union
          select c.id from calls c join contacts k on k.id = $1
           where c.contact_id is null and c.sub_account_id = k.sub_account_id and c.caller_phone = k.phone
        )
        select * from (
          select 'text' as kind, m.created_at as at, m.id::text as id, m.direction, m.body, m.status, c.call_sid,
                 (m.direction = 'outbound' and m.intent_id is not null and m.intent_id like 'manual-message/%') as by_person,
                 null as outcome, null as text_back_status, null as text_back_reason
            from messages m left join calls c on c.id = m.call_id
           where m.contact_id = $1
          union all
          select 'call', c.started_at, c.id::text, null, null, null, c.call_sid, null, c.outcome, c.text_back_status, c.text_back_reason
            from calls c where c.id in (select id from contact_calls)
          union all
          select 'system', coalesce(c.ended_at, c.started_at) + interval '1 millisecond', 'sys-' || c.id::text, null, null, null, c.call_sid, null, null,
                 c.text_back_status, c.text_back_reason
            from calls c where c.id in (select id from contact_calls) and c.text_back_status in ('skipped', 'failed') and c.text_back_reason is not null
          union all
          select 'system', k.opted_out_at, 'optout-' || k.id::text, null, null, null, null, null, null, 'opted_out', 'opted out of texts'
            from contacts k where k.id = $1 and k.opted_out_at is not null
        ) events
        where ($2::timestamptz is null or (at, id) < ($2::timestamptz, $3::text))
        order by at desc, id desc
        limit $4`,
      [contactId, cursor?.at ?? null, cursor?.rawId ?? null, page.first],
    );
    return rows.map((row): ThreadEvent => {
      const at = toDate(row.at)!;
      const id = row.id as string;
      if (row.kind === 'text') {
        return {
          kind: 'text',
          at,
          id,
          direction: row.direction as 'inbound' | 'outbound',
          body: row.body as string,
          status: row.status as string,
          callSid: (row.call_sid as string | null) ?? null,
          sentBy: row.by_person ? 'person' : 'automation',
        };
      }
      if (row.kind === 'call') {
        return { kind: 'call', at, id, callSid: row.call_sid as string, outcome: row.outcome as string | null, textBackStatus: row.text_back_status as string | null, textBackReason: row.text_back_reason as string | null };
      }
      const status = row.text_back_status as string;
      const detail = status === 'opted_out' ? (row.text_back_reason as string) : `text-back ${status}: ${row.text_back_reason as string}`;
      return { kind: 'system', at, id, detail };
    });
  }

  /** Marks the conversation read up to `at` (never back in time: a late request can't unread newer texts). */
  async markRead(subAccountId: string, contactId: string, at: Date): Promise<Date> {
    const [row] = await this.query(
      `insert into conversation_reads (contact_id, sub_account_id, read_at) values ($1, $2, $3)
       on conflict (contact_id) do update set read_at = greatest(conversation_reads.read_at, excluded.read_at)
       returning read_at`,
      [contactId, subAccountId, at],
    );
    return toDate(row!.read_at)!;
  }
}

/** A cursor is "<ISO time>|<id>". */
export function cursorOf(at: Date, id: string): string {
  return `${at.toISOString()}|${id}`;
}

function parseCursor(cursor: string | null | undefined): { at: string; id: string | null; rawId: string } | null {
  if (!cursor) return null;
  const bar = cursor.indexOf('|');
  if (bar < 0) return null;
  const at = cursor.slice(0, bar);
  const rawId = cursor.slice(bar + 1);
  if (Number.isNaN(Date.parse(at))) return null;
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(rawId) ? rawId : null;
  return { at, id: uuid, rawId };
}
