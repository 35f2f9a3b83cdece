import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { CALLS, CONVERSATIONS, MARK_READ, METRICS, SEND_REPLY, SUB_ACCOUNT, THREAD } from './api';
import { DailyChart } from './Chart';
import { ErrorNote, Status } from './ui';
import { formatTime, label, localDate, newKey, percent, seconds, usePolling } from './util';

interface SubAccountInfo {
  id: string;
  name: string;
  timeZone: string;
  phoneNumbers: { e164: string }[];
  forwardingNumber: string;
  unreadConversations: number;
  provisioning: { provisionedAt: string; snapshotVersion: { id: string; slug: string; name: string; version: number } } | null;
}

const TABS = [
  ['calls', 'Calls'],
  ['inbox', 'Inbox'],
  ['metrics', 'Metrics'],
] as const;

export function SubAccountPage({ id, tab, contactId }: { id: string; tab: string; contactId: string | undefined }) {
  const [result] = useQuery<{ subAccount: SubAccountInfo | null }>({ query: SUB_ACCOUNT, variables: { id } });
  const subAccount = result.data?.subAccount;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [id, tab]);
  if (result.error) return <ErrorNote error={result.error} />;
  if (!result.data) return <p>Loading…</p>;
  if (!subAccount) return <p role="alert">No such sub-account.</p>;
  return (
    <section aria-labelledby="sub-account-heading">
      <p className="crumbs">
        <a href="#/">Sub-accounts</a> /
      </p>
      <h1 id="sub-account-heading" tabIndex={-1} ref={heading}>
        {subAccount.name}
      </h1>
      <p className="hint">
        {subAccount.phoneNumbers[0]?.e164 ?? 'No number'} rings {subAccount.forwardingNumber} · {subAccount.timeZone} ·{' '}
        {subAccount.provisioning ? (
          <>
            snapshot{' '}
            <a href={`#/snapshots/${encodeURIComponent(subAccount.provisioning.snapshotVersion.slug)}`}>
              {subAccount.provisioning.snapshotVersion.slug} v{subAccount.provisioning.snapshotVersion.version}
            </a>
          </>
        ) : (
          'no snapshot provisioned'
        )}
      </p>
      <nav aria-label="Sub-account sections" className="tabs">
        {TABS.map(([key, name]) => (
          <a key={key} href={`#/sub-accounts/${id}/${key}`} aria-current={tab === key ? 'page' : undefined}>
            {name}
            {key === 'inbox' && subAccount.unreadConversations > 0 ? <span className="badge">{subAccount.unreadConversations}</span> : null}
          </a>
        ))}
      </nav>
      {tab === 'inbox' ? <Inbox subAccountId={id} contactId={contactId} /> : tab === 'metrics' ? <Metrics subAccountId={id} timeZone={subAccount.timeZone} /> : <Calls subAccountId={id} />}
    </section>
  );
}

interface CallRow {
  id: string;
  callSid: string;
  from: string | null;
  fromRaw: string;
  startedAt: string;
  outcome: string | null;
  outcomeDetail: string | null;
  textBackStatus: string | null;
  textBackReason: string | null;
  untextableReason: string | null;
  messages: { id: string; body: string; status: string; direction: string }[];
}

function Calls({ subAccountId }: { subAccountId: string }) {
  const [result, reexecute] = useQuery<{ subAccount: { calls: CallRow[] } }>({ query: CALLS, variables: { id: subAccountId } });
  usePolling(reexecute, 3_000);
  const calls = result.data?.subAccount.calls ?? [];
  return (
    <section aria-labelledby="calls-heading">
      <h2 id="calls-heading">Calls</h2>
      <p className="hint">Newest first; refreshed every 3 seconds.</p>
      <ErrorNote error={result.error} />
      {result.data && calls.length === 0 ? <p>No calls yet.</p> : null}
      {calls.length > 0 ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Calls</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Caller</th>
                <th scope="col">Outcome</th>
                <th scope="col">Text-back</th>
                <th scope="col">Why / what was texted</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((call) => {
                const texted = call.messages.find((m) => isOutbound(m.direction));
                return (
                  <tr key={call.id} data-call-sid={call.callSid}>
                    <td data-label="When">{formatTime(call.startedAt)}</td>
                    <td data-label="Caller">{call.from ?? call.fromRaw}</td>
                    <td data-label="Outcome">
                      <Status value={call.outcome} />
                      {call.outcomeDetail ? <span className="sub">{call.outcomeDetail}</span> : null}
                    </td>
                    <td data-label="Text-back">
                      <Status value={call.textBackStatus} />
                    </td>
                    <td data-label="Why / what was texted">
                      {texted ? (
                        <q className="texted">{texted.body}</q>
                      ) : null}
                      {texted ? <span className="sub">{label(texted.status)}</span> : null}
                      {call.textBackReason ?? call.untextableReason ? <span className="sub">{call.textBackReason ?? call.untextableReason}</span> : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

interface ConversationRow {
  cursor: string;
  unread: number;
  lastActivityAt: string;
  contact: { id: string; phone: string; firstName: string; lastName: string; optedOut: boolean };
  lastMessage: { body: string; direction: string; status: string } | null;
}

const contactName = (c: { firstName: string; lastName: string; phone: string }) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.phone;
/** Thread events and last messages spell directions in lower case, calls' messages in upper case. */
const isInbound = (direction: string | null | undefined) => direction?.toUpperCase() === 'INBOUND';
const isOutbound = (direction: string | null | undefined) => direction?.toUpperCase() === 'OUTBOUND';

function Inbox({ subAccountId, contactId }: { subAccountId: string; contactId: string | undefined }) {
  const [result, reexecute] = useQuery<{ subAccount: { conversations: ConversationRow[] } }>({ query: CONVERSATIONS, variables: { id: subAccountId } });
  usePolling(reexecute, 5_000);
  const conversations = result.data?.subAccount.conversations ?? [];
  return (
    <div className="inbox">
      <section aria-labelledby="conversations-heading" className="conversations">
        <h2 id="conversations-heading">Conversations</h2>
        <ErrorNote error={result.error} />
        {result.data && conversations.length === 0 ? <p>No conversations yet.</p> : null}
        <ul>
          {conversations.map((c) => (
            <li key={c.contact.id}>
              <a href={`#/sub-accounts/${subAccountId}/inbox/${c.contact.id}`} aria-current={c.contact.id === contactId ? 'true' : undefined} className={c.unread > 0 ? 'unread' : undefined}>
                <strong>{contactName(c.contact)}</strong>
                {c.unread > 0 ? <span className="badge" aria-label={`${c.unread} unread`}>{c.unread}</span> : null}
                <span className="sub">{c.lastMessage ? `${isInbound(c.lastMessage.direction) ? '←' : '→'} ${c.lastMessage.body}` : ''}</span>
                <span className="sub">{formatTime(c.lastActivityAt)}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      {contactId ? <Thread key={contactId} subAccountId={subAccountId} contactId={contactId} onChange={() => reexecute({ requestPolicy: 'network-only' })} /> : <p className="hint">Choose a conversation to read it and reply.</p>}
    </div>
  );
}

interface ThreadEvent {
  cursor: string;
  at: string;
  kind: 'CALL' | 'TEXT' | 'SYSTEM';
  direction: string | null;
  body: string | null;
  status: string | null;
  sentBy: string | null;
  outcome: string | null;
  textBackStatus: string | null;
  textBackReason: string | null;
  detail: string | null;
}

interface ThreadData {
  subAccount: { contact: { id: string; phone: string; firstName: string; lastName: string; optedOut: boolean; thread: ThreadEvent[]; runs: { id: string; workflowKey: string; status: string; currentStep: string | null; reason: string | null; startedAt: string }[] } | null };
}

function Thread({ subAccountId, contactId, onChange }: { subAccountId: string; contactId: string; onChange: () => void }) {
  const [result, reexecute] = useQuery<ThreadData>({ query: THREAD, variables: { id: subAccountId, contactId } });
  usePolling(reexecute, 5_000);
  const [, markRead] = useMutation(MARK_READ);
  const [sending, sendReply] = useMutation(SEND_REPLY);
  const [body, setBody] = useState('');
  // One key per reply being written: a retry of the same words is the same send, never a second text.
  const [key, setKey] = useState(newKey);
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const contact = result.data?.subAccount.contact;
  const newest = contact?.thread[0]?.at;

  useEffect(() => {
    if (!newest) return;
    void markRead({ input: { subAccountId, contactId } }).then(onChange);
  }, [newest, subAccountId, contactId]);

  const events = useMemo(() => [...(contact?.thread ?? [])].reverse(), [contact]);
  if (result.error) return <ErrorNote error={result.error} />;
  if (!result.data) return <p>Loading…</p>;
  if (!contact) return <p role="alert">No such contact.</p>;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!body.trim()) return;
    setNote(null);
    const answer = await sendReply({ input: { subAccountId, contactId, body, idempotencyKey: key } });
    const payload = answer.data?.sendReply as { __typename: string; status?: string; reason?: string | null; message?: string; segments?: number } | undefined;
    if (answer.error || !payload) setNote({ error: true, text: answer.error?.message ?? 'The reply could not be sent.' });
    else if (payload.__typename === 'SentMessagePayload' && payload.status === 'SENT') {
      setNote({ error: false, text: `Sent (${payload.segments} segment${payload.segments === 1 ? '' : 's'}).` });
      setBody('');
      setKey(newKey());
      reexecute({ requestPolicy: 'network-only' });
      onChange();
    } else setNote({ error: true, text: payload.reason ?? payload.message ?? `Not sent: ${label(payload.status)}` });
  };

  return (
    <section aria-labelledby="thread-heading" className="thread">
      <h2 id="thread-heading">
        {contactName(contact)}
        {contactName(contact) !== contact.phone ? <span className="sub">{contact.phone}</span> : null}
      </h2>
      {contact.runs.length > 0 ? (
        <p className="hint">
          Automation runs:{' '}
          {contact.runs.map((run) => `${run.workflowKey} ${label(run.status)}${run.currentStep ? ` at ${run.currentStep}` : ''}${run.reason ? ` (${run.reason})` : ''}`).join('; ')}
        </p>
      ) : null}
      <ol className="events" aria-label="Thread, oldest first">
        {events.map((e) => (
          <li key={e.cursor} className={`event event-${e.kind.toLowerCase()} ${isInbound(e.direction) ? 'in' : isOutbound(e.direction) ? 'out' : ''}`}>
            <span className="sub">
              {formatTime(e.at)}
              {e.kind === 'TEXT' ? ` · ${isInbound(e.direction) ? 'from caller' : e.sentBy === 'person' ? 'team reply' : 'automated'} · ${label(e.status)}` : ''}
            </span>
            {e.kind === 'CALL' ? (
              <span>
                Call: {label(e.outcome)}; text-back {label(e.textBackStatus)}
                {e.textBackReason ? ` (${e.textBackReason})` : ''}
              </span>
            ) : e.kind === 'SYSTEM' ? (
              <span>{e.detail ?? e.body}</span>
            ) : (
              <span className="body">{e.body}</span>
            )}
          </li>
        ))}
      </ol>
      <form onSubmit={submit} className="reply">
        <label htmlFor="reply-body">Reply to {contactName(contact)}</label>
        <textarea id="reply-body" value={body} onChange={(e) => setBody(e.target.value)} rows={3} disabled={contact.optedOut} placeholder={contact.optedOut ? 'This contact opted out.' : ''} />
        <button type="submit" disabled={sending.fetching || contact.optedOut || !body.trim()}>
          {sending.fetching ? 'Sending…' : 'Send reply'}
        </button>
        {note ? (
          <p role={note.error ? 'alert' : 'status'} className={note.error ? 'error' : 'ok'}>
            {note.text}
          </p>
        ) : null}
      </form>
    </section>
  );
}

interface MetricsDayRow {
  date: string;
  missedCalls: number;
  textsSent: number;
  textsDelivered: number;
  textsFailed: number;
  textsSkipped: number;
  replies: number;
  replyRate: number | null;
  recoveredLeads: number;
  secondsToTextMedian: number | null;
  secondsToTextP90: number | null;
}

interface MetricsData {
  subAccount: {
    metrics:
      | { __typename: 'Metrics'; from: string; to: string; days: MetricsDayRow[]; totals: Omit<MetricsDayRow, 'date'> & { optOuts: number; secondsToFirstHumanResponseMedian: number | null; skippedByReason: { reason: string; count: number }[]; byOutcome: { outcome: string; count: number }[] } }
      | { __typename: 'ValidationError'; message: string; issues: { path: string; message: string }[] };
  };
}

function Metrics({ subAccountId, timeZone }: { subAccountId: string; timeZone: string }) {
  const [from, setFrom] = useState(() => localDate(timeZone, -13));
  const [to, setTo] = useState(() => localDate(timeZone));
  const [result] = useQuery<MetricsData>({ query: METRICS, variables: { id: subAccountId, from, to } });
  const metrics = result.data?.subAccount.metrics;
  const days = metrics?.__typename === 'Metrics' ? metrics.days : [];
  const dates = useMemo(() => days.map((d) => d.date), [days]);
  const calls = useMemo(
    () => [
      { label: 'Missed calls', values: days.map((d) => d.missedCalls), color: '#b42318', bars: true },
      { label: 'Texts sent', values: days.map((d) => d.textsSent), color: '#175cd3' },
      { label: 'Replies', values: days.map((d) => d.replies), color: '#067647' },
    ],
    [days],
  );
  const speed = useMemo(
    () => [
      { label: 'Median s to text', values: days.map((d) => d.secondsToTextMedian), color: '#6941c6' },
      { label: 'p90 s to text', values: days.map((d) => d.secondsToTextP90), color: '#c4320a' },
    ],
    [days],
  );
  return (
    <section aria-labelledby="metrics-heading">
      <h2 id="metrics-heading">Metrics</h2>
      <form className="range" onSubmit={(e) => e.preventDefault()}>
        <label>
          From <input type="date" value={from} max={to} onChange={(e) => e.target.value && setFrom(e.target.value)} />
        </label>
        <label>
          To <input type="date" value={to} min={from} onChange={(e) => e.target.value && setTo(e.target.value)} />
        </label>
        <span className="hint">Days in {timeZone}.</span>
      </form>
      <ErrorNote error={result.error} />
      {metrics?.__typename === 'ValidationError' ? <p role="alert" className="error">{metrics.issues.map((i) => `${i.path}: ${i.message}`).join('; ') || metrics.message}</p> : null}
      {metrics?.__typename === 'Metrics' ? (
        <>
          <dl className="totals">
            <div><dt>Missed calls</dt><dd>{metrics.totals.missedCalls}</dd></div>
            <div><dt>Texts sent</dt><dd>{metrics.totals.textsSent}</dd></div>
            <div><dt>Delivered</dt><dd>{metrics.totals.textsDelivered}</dd></div>
            <div><dt>Failed</dt><dd>{metrics.totals.textsFailed}</dd></div>
            <div><dt>Skipped</dt><dd>{metrics.totals.textsSkipped}</dd></div>
            <div><dt>Replies</dt><dd>{metrics.totals.replies}</dd></div>
            <div><dt>Reply rate</dt><dd>{percent(metrics.totals.replyRate)}</dd></div>
            <div><dt>Median time to text</dt><dd>{seconds(metrics.totals.secondsToTextMedian)}</dd></div>
            <div><dt>p90 time to text</dt><dd>{seconds(metrics.totals.secondsToTextP90)}</dd></div>
            <div><dt>Median first human answer</dt><dd>{seconds(metrics.totals.secondsToFirstHumanResponseMedian)}</dd></div>
            <div><dt>Opt-outs</dt><dd>{metrics.totals.optOuts}</dd></div>
            <div><dt>Recovered leads</dt><dd>{metrics.totals.recoveredLeads}</dd></div>
          </dl>
          <div className="charts">
            <DailyChart title="Calls, texts and replies" dates={dates} series={calls} />
            <DailyChart title="Seconds from missed call to text" dates={dates} series={speed} />
          </div>
          {metrics.totals.skippedByReason.length > 0 ? (
            <>
              <h3>Skipped, by reason</h3>
              <ul>
                {metrics.totals.skippedByReason.map((s) => (
                  <li key={s.reason}>
                    {s.reason}: {s.count}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
