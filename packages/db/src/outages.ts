/**
 * Whether an error says that PostgreSQL or Temporal is unavailable for now, rather than that the
 * request is wrong: PostgreSQL's connection, rollback, resource and
 * shutdown errors (SQLSTATE classes 08, 40, 53, 57), a refused or lost socket, or a pool that could
 * not connect; Temporal answering gRPC UNAVAILABLE, DEADLINE_EXCEEDED or RESOURCE_EXHAUSTED.
 * Provisioning retries on these; webhooks answer 503 for them. Follows `cause`; `also` names the
 * caller's own errors of the kind (e.g. a deadline it gave up at).
 */
export function isOutage(error: unknown, also: (error: Error) => boolean = () => false): boolean {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth += 1) {
    if (also(current)) return true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (SQLSTATE_OUTAGE.test(code)) return true;
      if (/^E[A-Z_]+$/.test(code)) return true; // ECONNREFUSED, ECONNRESET, ETIMEDOUT, EAI_AGAIN…
    }
    // A gRPC status (Temporal's client): it carries metadata, which no error of ours does.
    if (typeof code === 'number' && GRPC_OUTAGE.has(code) && 'metadata' in current) return true;
    if (DRIVER_OUTAGE_NAMES.has(current.name) || DRIVER_OUTAGE_MESSAGE.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

const SQLSTATE_OUTAGE = /^(08|40|53|57)[0-9A-Z]{3}$/;
/** DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const GRPC_OUTAGE = new Set([4, 8, 14]);
/** MikroORM's and knex's names for a database that can't be reached. */
const DRIVER_OUTAGE_NAMES = new Set(['ConnectionException', 'KnexTimeoutError']);
/**
 * node-postgres and knex, when the server went away or never answered: the message itself, or
 * after the statement MikroORM puts first ("select … - Connection terminated unexpectedly").
 */
const DRIVER_OUTAGE_MESSAGE = /(?:^| - )(?:Connection terminated|timeout exceeded when trying to connect|Knex: Timeout acquiring a connection|Client has encountered a connection error)/i;
