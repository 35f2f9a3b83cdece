import { StrictMode, useMemo, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { checkKey, createApiClient, storedKey, storeKey } from './api';
import { ProvisioningRunPage, ProvisioningRunsPage } from './Provisioning';
import { SnapshotsPage } from './Snapshots';
import { SubAccountPage } from './SubAccount';
import { SubAccountsPage } from './SubAccounts';
import { useRoute } from './util';
import './styles.css';

function SignIn({ onSignedIn }: { onSignedIn: (key: string) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const answer = await checkKey(key.trim());
    setBusy(false);
    if (answer.ok) onSignedIn(key.trim());
    else setError(answer.message);
  };
  return (
    <main className="sign-in">
      <h1>mctb dashboard</h1>
      <form onSubmit={submit}>
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required aria-describedby={error ? 'sign-in-error' : 'api-key-hint'} aria-invalid={error ? true : undefined} />
        <p id="api-key-hint" className="hint">
          An agency or sub-account key (mctb_…). It is kept in this tab only (sessionStorage).
        </p>
        <button type="submit" disabled={busy || !key.trim()}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        {error ? (
          <p id="sign-in-error" role="alert" className="error">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}

function Page() {
  const [section, id, tab, extra] = useRoute();
  if (section === 'sub-accounts' && id) return <SubAccountPage id={id} tab={tab ?? 'calls'} contactId={tab === 'inbox' ? extra : undefined} />;
  if (section === 'snapshots') return <SnapshotsPage slug={id} />;
  if (section === 'provisioning' && id) return <ProvisioningRunPage id={id} />;
  if (section === 'provisioning') return <ProvisioningRunsPage />;
  return <SubAccountsPage />;
}

function App() {
  const [apiKey, setApiKey] = useState(storedKey);
  const client = useMemo(() => (apiKey ? createApiClient(apiKey) : null), [apiKey]);
  const [section] = useRoute();
  if (!client) {
    return (
      <SignIn
        onSignedIn={(key) => {
          storeKey(key);
          setApiKey(key);
        }}
      />
    );
  }
  const current = section ?? 'sub-accounts';
  return (
    <Provider value={client}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span className="brand">mctb</span>
        <nav aria-label="Main">
          <a href="#/" aria-current={current === 'sub-accounts' ? 'page' : undefined}>Sub-accounts</a>
          <a href="#/snapshots" aria-current={current === 'snapshots' ? 'page' : undefined}>Snapshots</a>
          <a href="#/provisioning" aria-current={current === 'provisioning' ? 'page' : undefined}>Provisioning</a>
        </nav>
        <button
          type="button"
          className="link"
          onClick={() => {
            storeKey(null);
            setApiKey(null);
          }}
        >
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page />
      </main>
    </Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
