import { useEffect, useState } from 'react';

/** The local date (YYYY-MM-DD) in a time zone, `offsetDays` from today. */
export function localDate(timeZone: string, offsetDays = 0): string {
  const at = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export const formatTime = (iso: string | null | undefined): string =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '—';

export const percent = (rate: number | null | undefined): string => (rate == null ? '—' : `${Math.round(rate * 100)}%`);
export const seconds = (value: number | null | undefined): string => (value == null ? '—' : `${Math.round(value)} s`);
export const label = (value: string | null | undefined): string => (value ? value.toLowerCase().replace(/_/g, ' ') : '—');

/** The hash route: "#/sub-accounts/42/inbox" → ["sub-accounts", "42", "inbox"]. */
export function useRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Re-runs a query every `ms` while the page is open ("live enough": the calls list, a provisioning run). */
export function usePolling(reexecute: (opts: { requestPolicy: 'network-only' }) => void, ms: number, active = true): void {
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), ms);
    return () => clearInterval(timer);
  }, [reexecute, ms, active]);
}

export const newKey = (): string => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`);
