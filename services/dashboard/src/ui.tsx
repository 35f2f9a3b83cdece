import type { CombinedError } from '@urql/core';

export function ErrorNote({ error }: { error: CombinedError | undefined }) {
  if (!error) return null;
  const message = error.networkError ? 'The control plane could not be reached.' : error.graphQLErrors.map((e) => e.message).join('; ');
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

export function Status({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="status">—</span>;
  return <span className={`status status-${value.toLowerCase()}`}>{value.toLowerCase().replace(/_/g, ' ')}</span>;
}
