import { ReferenceKind, type EntityClass, type EntityManager } from '@mikro-orm/postgresql';
import { createHash } from 'node:crypto';

/** A pooled driver connection: what knex hands out for PostgreSQL (node-postgres). */
interface DriverConnection {
  query(query: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }>;
}

export type DriverQuery = (text: string, values?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Plain SQL ($1 placeholders) on the ORM's own connection pool, for the statements every webhook
 * or text-back runs, where building the query through the ORM costs more than running it.
 *
 * Each statement is prepared once per connection (named by its text), so PostgreSQL parses and
 * plans it once instead of on every webhook: that halves the database's share of a webhook. A
 * prepared statement fails if a migration changes its result's columns, so these statements name
 * their columns (never `*`): a column added later leaves them valid.
 *
 * Timestamps come back as text (the ORM parses them itself): read them with `toDate`.
 */
export function driverQuery(em: EntityManager): DriverQuery {
  return async (text, values = []) => {
    const client = em.getConnection().getKnex().client;
    const connection = (await client.acquireConnection()) as DriverConnection;
    try {
      return (await connection.query({ name: statementName(text), text, values })).rows;
    } finally {
      await client.releaseConnection(connection);
    }
  };
}

/**
 * `work` in one transaction on one pooled connection, with the same prepared statements as
 * driverQuery: committed when it resolves, rolled back when it throws.
 */
export async function driverTransaction<T>(em: EntityManager, work: (query: DriverQuery) => Promise<T>): Promise<T> {
  const client = em.getConnection().getKnex().client;
  const connection = (await client.acquireConnection()) as DriverConnection & { query(text: string): Promise<unknown> };
  const query: DriverQuery = async (text, values = []) => (await connection.query({ name: statementName(text), text, values })).rows;
  try {
    await connection.query('begin');
    try {
      const result = await work(query);
      await connection.query('commit');
      return result;
    } catch (error) {
      await connection.query('rollback');
      throw error;
    }
  } finally {
    await client.releaseConnection(connection);
  }
}

const names = new Map<string, string>();

/** A stable name per statement text (a few dozen texts in all, so the map stays small). */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `mctb_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * An entity's own columns, qualified by `alias`, for a prepared statement that the ORM maps back
 * (`em.map`): the list follows the entity, so it can't drift from it.
 */
export function entityColumns(em: EntityManager, entity: EntityClass<object>, alias: string): string {
  const stored = em.getMetadata(entity).props.filter(
    (prop) => prop.persist !== false && (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)),
  );
  return stored.flatMap((prop) => prop.fieldNames).map((column) => `${alias}.${column}`).join(', ');
}

/** A timestamp column as the driver returns it (text, or a Date), as a Date. */
export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(value as string);
}
