import { twilioError, type TwilioErrorBody } from './errors.js';
import { messageResource, messagesPath } from './resource.js';
import type { FakeMessage } from './types.js';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;
const DAY_MS = 86_400_000;

/** A DateSent bound: a whole UTC day (`2024-05-01`) or an instant (`2024-05-01T10:00:00Z`). */
interface DateBound {
  from: number;
  /** Exclusive end: the next day for a day, the next second for an instant. */
  until: number;
}

function parseDateBound(value: string): DateBound | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const from = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(from) ? undefined : { from, until: from + DAY_MS };
  }
  const instant = Date.parse(value);
  if (Number.isNaN(instant)) return undefined;
  const from = Math.floor(instant / 1000) * 1000;
  return { from, until: from + 1000 };
}

type Predicate = (message: FakeMessage) => boolean;

/**
 * Twilio's filters. In a query string `DateSent>=2024-05-01` is the key `DateSent>` with the value
 * `2024-05-01` (which is what the SDK sends for dateSentAfter): on or after. Likewise `DateSent<`.
 */
function filtersFrom(query: URLSearchParams): { ok: true; predicates: Predicate[] } | { ok: false; error: TwilioErrorBody } {
  const predicates: Predicate[] = [];
  const to = query.get('To');
  const from = query.get('From');
  if (to) predicates.push((m) => m.to === to);
  if (from) predicates.push((m) => m.from === from);
  const dateFilters: [string, (sent: number, bound: DateBound) => boolean][] = [
    ['DateSent', (sent, b) => sent >= b.from && sent < b.until],
    ['DateSent>', (sent, b) => sent >= b.from],
    ['DateSent<', (sent, b) => sent < b.until],
  ];
  for (const [name, test] of dateFilters) {
    const value = query.get(name);
    if (value === null) continue;
    const bound = parseDateBound(value);
    if (!bound) return { ok: false, error: twilioError(400, 20001, `Invalid value for ${name}: ${value}`) };
    predicates.push((m) => m.dateSent !== null && test(m.dateSent.getTime(), bound));
  }
  return { ok: true, predicates };
}

function intParam(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** One page of the Messages list, in Twilio's paging envelope. */
export function listPage(
  accountSid: string,
  query: URLSearchParams,
  newestFirst: FakeMessage[],
): { ok: true; page: object } | { ok: false; error: TwilioErrorBody } {
  const filters = filtersFrom(query);
  if (!filters.ok) return filters;
  const pageSize = intParam(query, 'PageSize', DEFAULT_PAGE_SIZE);
  const page = intParam(query, 'Page', 0);
  if (pageSize === undefined || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    return { ok: false, error: twilioError(400, 20001, `PageSize must be between 1 and ${MAX_PAGE_SIZE}`) };
  }
  if (page === undefined) return { ok: false, error: twilioError(400, 20001, 'Page must be a non-negative integer') };

  const matching = newestFirst.filter((m) => filters.predicates.every((matches) => matches(m)));
  const start = page * pageSize;
  const items = matching.slice(start, start + pageSize);

  const path = `${messagesPath(accountSid)}.json`;
  const pageUri = (n: number) => {
    const params = new URLSearchParams();
    for (const name of ['To', 'From', 'DateSent', 'DateSent>', 'DateSent<']) {
      const value = query.get(name);
      if (value !== null) params.set(name, value);
    }
    params.set('PageSize', String(pageSize));
    params.set('Page', String(n));
    return `${path}?${params.toString()}`;
  };
  return {
    ok: true,
    page: {
      messages: items.map((m) => messageResource(m)),
      end: start + Math.max(items.length - 1, 0),
      first_page_uri: pageUri(0),
      next_page_uri: start + pageSize < matching.length ? pageUri(page + 1) : null,
      page,
      page_size: pageSize,
      previous_page_uri: page > 0 ? pageUri(page - 1) : null,
      start,
      uri: pageUri(page),
    },
  };
}
