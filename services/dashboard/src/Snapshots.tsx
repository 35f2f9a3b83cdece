import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { DEPLOYMENTS, SNAPSHOT_DIFF, SNAPSHOTS } from './api';
import { ErrorNote } from './ui';
import { formatTime, label } from './util';

interface VersionRow {
  id: string;
  slug: string;
  name: string;
  version: number;
  createdAt: string;
  description: string | null;
}

export function SnapshotsPage({ slug }: { slug: string | undefined }) {
  const [result] = useQuery<{ snapshotVersions: VersionRow[] }>({ query: SNAPSHOTS });
  const bySlug = useMemo(() => {
    const groups = new Map<string, VersionRow[]>();
    for (const v of result.data?.snapshotVersions ?? []) groups.set(v.slug, [...(groups.get(v.slug) ?? []), v]);
    for (const list of groups.values()) list.sort((a, b) => b.version - a.version);
    return groups;
  }, [result.data]);
  const selected = slug ? bySlug.get(slug) : undefined;
  return (
    <section aria-labelledby="snapshots-heading">
      <h1 id="snapshots-heading">Snapshots</h1>
      <ErrorNote error={result.error} />
      {result.data && bySlug.size === 0 ? <p>No snapshots imported yet.</p> : null}
      <ul className="cards">
        {[...bySlug.entries()].map(([key, versions]) => (
          <li key={key}>
            <a href={`#/snapshots/${encodeURIComponent(key)}`} aria-current={key === slug ? 'true' : undefined}>
              <strong>{versions[0]!.name}</strong> <span className="sub">{key} · latest v{versions[0]!.version} · {versions.length} version{versions.length === 1 ? '' : 's'}</span>
            </a>
          </li>
        ))}
      </ul>
      {selected ? <SnapshotDetail slug={slug!} versions={selected} /> : null}
    </section>
  );
}

function SnapshotDetail({ slug, versions }: { slug: string; versions: VersionRow[] }) {
  const latest = versions[0]!.version;
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);
  const [diff] = useQuery<{ snapshotDiff: { __typename: 'SnapshotDiff'; changes: { kind: string; section: string; path: string; summary: string }[] } | { __typename: 'NotFoundError'; message: string } }>({
    query: SNAPSHOT_DIFF,
    variables: { slug, from, to },
    pause: from === to,
  });
  const [deployments] = useQuery<{ deployments: { provisionedAt: string; subAccount: { id: string; name: string }; snapshotVersion: { version: number } }[] }>({ query: DEPLOYMENTS, variables: { slug } });
  const numbers = versions.map((v) => v.version);
  return (
    <>
      <h2>{slug}</h2>
      <h3>Versions</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Name</th>
              <th scope="col">Imported</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td data-label="Version">v{v.version}</td>
                <td data-label="Name">{v.name}</td>
                <td data-label="Imported">{formatTime(v.createdAt)}</td>
                <td data-label="Description">{v.description ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>Diff</h3>
      <form className="range" onSubmit={(e) => e.preventDefault()}>
        <label>
          From{' '}
          <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {numbers.map((n) => (
              <option key={n} value={n}>v{n}</option>
            ))}
          </select>
        </label>
        <label>
          To{' '}
          <select value={to} onChange={(e) => setTo(Number(e.target.value))}>
            {numbers.map((n) => (
              <option key={n} value={n}>v{n}</option>
            ))}
          </select>
        </label>
      </form>
      {from === to ? <p className="hint">Pick two different versions.</p> : null}
      <ErrorNote error={diff.error} />
      {diff.data?.snapshotDiff.__typename === 'NotFoundError' ? <p role="alert" className="error">{diff.data.snapshotDiff.message}</p> : null}
      {diff.data?.snapshotDiff.__typename === 'SnapshotDiff' && from !== to ? (
        diff.data.snapshotDiff.changes.length === 0 ? (
          <p>No changes.</p>
        ) : (
          <ul className="diff">
            {diff.data.snapshotDiff.changes.map((c) => (
              <li key={`${c.section}:${c.path}:${c.kind}`}>
                <span className={`status status-${c.kind.toLowerCase()}`}>{label(c.kind)}</span> <code>{c.path}</code> {c.summary}
              </li>
            ))}
          </ul>
        )
      ) : null}
      <h3>Deployed to</h3>
      <ErrorNote error={deployments.error} />
      {deployments.data && deployments.data.deployments.length === 0 ? <p>No sub-account runs this snapshot.</p> : null}
      <ul>
        {deployments.data?.deployments.map((d) => (
          <li key={d.subAccount.id}>
            <a href={`#/sub-accounts/${d.subAccount.id}`}>{d.subAccount.name}</a> v{d.snapshotVersion.version} <span className="sub">since {formatTime(d.provisionedAt)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
