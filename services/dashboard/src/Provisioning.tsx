import { useQuery } from 'urql';
import { PROVISIONING_RUN, PROVISIONING_RUNS } from './api';
import { ErrorNote, Status } from './ui';
import { formatTime, usePolling } from './util';

interface RunRow {
  id: string;
  status: string;
  total: number;
  applied: number;
  unchanged: number;
  failed: number;
  pending: number;
  createdAt: string;
  completedAt: string | null;
  snapshotVersion: { slug: string; version: number };
}

export function ProvisioningRunsPage() {
  const [result, reexecute] = useQuery<{ provisioningRuns: RunRow[] }>({ query: PROVISIONING_RUNS });
  usePolling(reexecute, 5_000);
  const runs = result.data?.provisioningRuns ?? [];
  return (
    <section aria-labelledby="runs-heading">
      <h1 id="runs-heading">Provisioning runs</h1>
      <ErrorNote error={result.error} />
      {result.data && runs.length === 0 ? <p>No provisioning runs yet.</p> : null}
      <ul className="cards">
        {runs.map((run) => (
          <li key={run.id}>
            <a href={`#/provisioning/${run.id}`}>
              <strong>
                {run.snapshotVersion.slug} v{run.snapshotVersion.version}
              </strong>{' '}
              <Status value={run.status} /> <span className="sub">{run.total - run.pending} of {run.total} done · started {formatTime(run.createdAt)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface RunDetail extends RunRow {
  concurrency: number;
  snapshotVersion: { slug: string; version: number; name: string } & RunRow['snapshotVersion'];
  targets: { index: number; label: string; status: string; reason: string | null; finishedAt: string | null; subAccount: { id: string; name: string } | null }[];
}

export function ProvisioningRunPage({ id }: { id: string }) {
  const [result, reexecute] = useQuery<{ provisioningRun: RunDetail | null }>({ query: PROVISIONING_RUN, variables: { id } });
  const run = result.data?.provisioningRun;
  usePolling(reexecute, 2_000, run?.status !== 'COMPLETED');
  if (result.error) return <ErrorNote error={result.error} />;
  if (!result.data) return <p>Loading…</p>;
  if (!run) return <p role="alert">No such provisioning run.</p>;
  const done = run.total - run.pending;
  return (
    <section aria-labelledby="run-heading">
      <p className="crumbs">
        <a href="#/provisioning">Provisioning runs</a> /
      </p>
      <h1 id="run-heading">
        {run.snapshotVersion.name} v{run.snapshotVersion.version}
      </h1>
      <p>
        <Status value={run.status} /> started {formatTime(run.createdAt)}
        {run.completedAt ? `, completed ${formatTime(run.completedAt)}` : ''} · {run.concurrency} at a time
      </p>
      <label htmlFor="run-progress">
        {done} of {run.total} targets done: {run.applied} applied, {run.unchanged} unchanged, {run.failed} failed, {run.pending} pending
      </label>
      <progress id="run-progress" max={run.total || 1} value={done} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Target</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {run.targets.map((t) => (
              <tr key={t.index}>
                <td data-label="#">{t.index + 1}</td>
                <td data-label="Target">{t.subAccount ? <a href={`#/sub-accounts/${t.subAccount.id}`}>{t.subAccount.name}</a> : t.label}</td>
                <td data-label="Status">
                  <Status value={t.status} />
                </td>
                <td data-label="Reason">{t.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
