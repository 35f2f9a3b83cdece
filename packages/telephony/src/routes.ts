import { PhoneNumber, type Orm } from '@mctb/db';
import type { CallScreening } from '@mctb/domain';
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
}

export type RouteLookup =
  | { kind: 'found'; route: Route; stale: boolean }
  | { kind: 'unknown' }
  /** The database could not be asked and the number was never seen by this process. */
  | { kind: 'unavailable'; error: unknown };

/**
 * Number → sub-account routing, read from PostgreSQL on every call. The last answer for each number
 * is remembered, so when PostgreSQL is down or slow a known number still rings the business
 * instead of the caller hearing an application error.
 */
export class Routes {
  private readonly lastKnown = new Map<string, Route>();

  constructor(private readonly deps: { orm: Orm; deadlineMs: number }) {}

  async lookup(number: string): Promise<RouteLookup> {
    try {
      const found = await withDeadline('number lookup', this.deps.deadlineMs, () => this.deps.orm.em.fork().getRepository(PhoneNumber).route(number));
      if (!found) {
        this.lastKnown.delete(number);
        return { kind: 'unknown' };
      }
      const route = routeOf(found);
      this.lastKnown.set(number, route);
      return { kind: 'found', route, stale: false };
    } catch (error) {
      const known = this.lastKnown.get(number);
      return known ? { kind: 'found', route: known, stale: true } : { kind: 'unavailable', error };
    }
  }
}

function routeOf(number: PhoneNumber): Route {
  const { subAccount } = number;
  return {
    number: number.e164,
    subAccountId: subAccount.id,
    businessName: subAccount.name,
    forwardingNumber: subAccount.forwardingNumber,
    ringTimeoutSeconds: subAccount.incomingCallTimeout,
    screening: {
      pressOneToAccept: subAccount.pressOneToAccept,
      machineDetection: subAccount.machineDetection,
      minAnsweredSeconds: subAccount.minAnsweredSeconds,
    },
    smsCapable: number.smsCapable,
  };
}
