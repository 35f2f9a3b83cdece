import { GraphQLError, Kind, valueFromASTUntyped } from 'graphql';
import { builder } from '../builder.js';

function toDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime must be an ISO 8601 string such as "2026-01-31T09:30:00Z", got ${JSON.stringify(value)}`);
  }
  return date;
}

builder.scalarType('DateTime', {
  description: 'An instant in time, as an ISO 8601 string in UTC (e.g. "2026-01-31T09:30:00.000Z").',
  serialize: (value) => (value instanceof Date ? value.toISOString() : toDate(value).toISOString()),
  parseValue: toDate,
  parseLiteral: (ast) => toDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** A calendar date as YYYY-MM-DD, checked to exist (no 2026-02-30). */
function toCalendarDate(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  const at = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== text) {
    throw new GraphQLError(`Date must be a calendar date such as "2026-01-31", got ${JSON.stringify(value)}`);
  }
  return text;
}

builder.scalarType('Date', {
  description: 'A calendar date, "YYYY-MM-DD", read in the time zone of whatever it is about (e.g. a sub-account\'s day).',
  serialize: (value) => toCalendarDate(value),
  parseValue: toCalendarDate,
  parseLiteral: (ast) => toCalendarDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
