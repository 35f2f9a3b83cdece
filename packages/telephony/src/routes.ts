import { PhoneNumber, PluginInstallation, type Orm } from '@mctb/db';
import type { CallScreening } from '@mctb/domain';
import { annotateSpan } from '@mctb/service-kit';
import { withDeadline } from './deadline.js';

/** Where calls and texts to one of our numbers go: the sub-account and how to ring it. */
export interface Route {
  number: string;
  subAccountId: string;
  businessName: string;
  forwardingNumber: string;
  ringTimeoutSeconds: number;
  screening: CallScreening;
  smsCapable: boolean;
  /** The Twilio account holding the number (its token signs the webhooks about it); null: the platform's. */
  accountSid: string | null;
  /** Enabled plugin installations, oldest first (voice routing asks them about unanswered calls). */
  plugins: { pluginId: string; config: unknown }[];
}

export type RouteLookup =
  | { kind: 'found'; route: Route; stale: boolean }
  | { kind: 'unknown' }
  /** The database could not be asked and the number was never seen by this process. */
  | { kind: 'unavailable'; error: unknown };

export interface RoutesOptions {
  orm: Orm;
  deadlineMs: number;
  /** How long an answer is reused before PostgreSQL is asked again (default 5 s). */
  ttlMs?: number;
  now?: () => number;
}

/**
 * Number → sub-account routing for every call and text. Answers are reused for a few seconds (and
 * dropped at once when the sub-account changes, see RoutingChanges), so the hot path skips a
 * query; when PostgreSQL is down or slow, the last answer still rings the business instead of the
 * caller hearing an application error.
 */
export class Routes {
  private readonly known = new Map<string, { route: Route; at: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RoutesOptions) {
    this.ttlMs = options.ttlMs ?? 5_000;
    this.now = options.now ?? Date.now;
  }

  /** Names the sub-account on the request's span (when traced): every call and text is routed here first. */
  async lookup(number: string): Promise<RouteLookup> {
    const result = await this.find(number);
    if (result.kind === 'found') annotateSpan({ 'mctb.sub_account_id': result.route.subAccountId });
    return result;
  }

  private async find(number: string): Promise<RouteLookup> {
    const cached = this.known.get(number);
    if (cached && this.now() - cached.at < this.ttlMs) return { kind: 'found', route: cached.route, stale: false };
    try {
      const route = await withDeadline('number lookup', this.options.deadlineMs, () => this.load(number));
      if (!route) {
        this.known.delete(number);
        return { kind: 'unknown' };
      }
      this.known.set(number, { route, at: this.now() });
      return { kind: 'found', route, stale: false };
    } catch (error) {
      return cached ? { kind: 'found', route: cached.route, stale: true } : { kind: 'unavailable', error };
    }
  }

  /** Forgets what is known of a sub-account's numbers (its settings or plugins changed). */
  forgetSubAccount(subAccountId: string): void {
    for (const [number, { route }] of this.known) if (route.subAccountId === subAccountId) this.known.delete(number);
  }

  /**
   * Changes may have been missed (the change feed was interrupted): every answer is asked again
   * before it is reused, but kept, so it still serves if PostgreSQL itself is what went away.
   */
  expireAll(): void {
    for (const entry of this.known.values()) entry.at = Number.NEGATIVE_INFINITY;
  }

  private async load(number: string): Promise<Route | null> {
    const em = this.options.orm.em.fork();
    const found = await em.getRepository(PhoneNumber).route(number);
    if (!found) return null;
    const { subAccount } = found;
    const installations = await em.find(PluginInstallation, { subAccount, enabled: true }, { orderBy: { installedAt: 'asc', pluginId: 'asc' } });
    return {
      number: found.e164,
      subAccountId: subAccount.id,
      businessName: subAccount.name,
      forwardingNumber: subAccount.forwardingNumber,
      ringTimeoutSeconds: subAccount.incomingCallTimeout,
      screening: {
        pressOneToAccept: subAccount.pressOneToAccept,
        machineDetection: subAccount.machineDetection,
        minAnsweredSeconds: subAccount.minAnsweredSeconds,
      },
      smsCapable: found.smsCapable,
      accountSid: found.accountSid,
      plugins: installations.map((installation) => ({ pluginId: installation.pluginId, config: installation.config })),
    };
  }
}
