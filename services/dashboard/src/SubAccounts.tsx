import { useState } from 'react';
import { useQuery } from 'urql';
import { SUB_ACCOUNTS } from './api';
import { percent, seconds, usePolling } from './util';
import { ErrorNote } from './ui';

interface Row {
  id: string;
  name: string;
  timeZone: string;
  phoneNumbers: { e164: string }[];
  unreadConversations: number;
  todayMetrics: { date: string; missedCalls: number; textsSent: number; textsDelivered: number; replies: number; replyRate: number | null; recoveredLeads: number; secondsToTextMedian: number | null };
}

const PAGE_SIZE = 100;

export function SubAccountsPage() {
  // The cursor each page starts after (null: the first page); going back pops one.
  const [pages, setPages] = useState<(string | null)[]>([null]);
  const after = pages[pages.length - 1] ?? null;
  const [result, reexecute] = useQuery<{ subAccounts: Row[] }>({ query: SUB_ACCOUNTS, variables: { after } });
  usePolling(reexecute, 10_000);
  const fetched = result.data?.subAccounts ?? [];
  const rows = fetched.slice(0, PAGE_SIZE);
  const hasNext = fetched.length > PAGE_SIZE;
  const first = (pages.length - 1) * PAGE_SIZE + 1;
  return (
    <section aria-labelledby="sub-accounts-heading">
      <h1 id="sub-accounts-heading">Sub-accounts</h1>
      <p className="hint">Today's figures, each in the client's own time zone. Refreshed every 10 seconds.</p>
      <ErrorNote error={result.error} />
      {result.fetching && !result.data ? <p>Loading…</p> : null}
      {result.data && rows.length === 0 ? <p>No sub-accounts yet.</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Sub-accounts with today's figures</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Missed calls</th>
                <th scope="col">Texts sent</th>
                <th scope="col">Delivered</th>
                <th scope="col">Replies</th>
                <th scope="col">Reply rate</th>
                <th scope="col">Median time to text</th>
                <th scope="col">Recovered</th>
                <th scope="col">Unread</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  <th scope="row" data-label="Client">
                    <a href={`#/sub-accounts/${row.id}`}>{row.name}</a>
                    <span className="sub">{row.phoneNumbers[0]?.e164 ?? 'no number'} · {row.timeZone}</span>
                  </th>
                  <td data-label="Missed calls">{row.todayMetrics.missedCalls}</td>
                  <td data-label="Texts sent">{row.todayMetrics.textsSent}</td>
                  <td data-label="Delivered">{row.todayMetrics.textsDelivered}</td>
                  <td data-label="Replies">{row.todayMetrics.replies}</td>
                  <td data-label="Reply rate">{percent(row.todayMetrics.replyRate)}</td>
                  <td data-label="Median time to text">{seconds(row.todayMetrics.secondsToTextMedian)}</td>
                  <td data-label="Recovered">{row.todayMetrics.recoveredLeads}</td>
                  <td data-label="Unread">
                    {row.unreadConversations > 0 ? (
                      <a className="badge" href={`#/sub-accounts/${row.id}/inbox`} aria-label={`${row.unreadConversations} unread conversations`}>
                        {row.unreadConversations}
                      </a>
                    ) : (
                      0
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {pages.length > 1 || hasNext ? (
        <nav className="pager" aria-label="Sub-account pages">
          <button type="button" disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
            Previous page
          </button>
          <span aria-live="polite">
            {first}–{first + rows.length - 1}
          </span>
          <button type="button" disabled={!hasNext} onClick={() => setPages([...pages, rows[rows.length - 1]!.id])}>
            Next page
          </button>
        </nav>
      ) : null}
    </section>
  );
}
