import type { EntityManager } from '@mikro-orm/postgresql';

/** A pooled driver connection: what knex hands out for PostgreSQL (node-postgres). */
interface DriverConnection {
  query(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

export type DriverQuery = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Plain SQL ($1 placeholders) on the ORM's own connection pool, for the statements every webhook
 * or text-back runs, where building the query through the ORM costs more than running it.
 * Timestamps come back as text (the ORM parses them itself): read them with `toDate`.
 */
export function driverQuery(em: EntityManager): DriverQuery {
  return async (text, values = []) => {
    const client = em.getConnection().getKnex().client;
    const connection = (await client.acquireConnection()) as DriverConnection;
    try {
      return (await connection.query(text, values)).rows;
    } finally {
      await client.releaseConnection(connection);
    }
  };
}

/** A timestamp column as the driver returns it (text, or a Date), as a Date. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}
