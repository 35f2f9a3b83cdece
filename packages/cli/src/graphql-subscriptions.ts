import { createClient } from 'graphql-sse';
import { CliError, EXIT_FAILED } from './exit-codes.js';
import type { ServerOptions } from './graphql-client.js';

export type GraphQLSubscribe = <Data>(document: string, variables: Record<string, unknown>) => AsyncIterable<Data>;

/**
 * GraphQL subscriptions over server-sent events (graphql-yoga's protocol, which graphql-sse's client
 * speaks): each event's data as it comes. One connection per subscription, no retries: the caller
 * decides what to do when the stream breaks (provision falls back to polling).
 */
export function graphqlSubscriptions(server: ServerOptions): GraphQLSubscribe {
  return async function* subscribe<Data>(document: string, variables: Record<string, unknown>): AsyncIterable<Data> {
    const client = createClient({
      url: server.url,
      headers: server.apiKey ? { authorization: `Bearer ${server.apiKey}` } : {},
      retryAttempts: 0,
    });
    try {
      for await (const result of client.iterate<Data>({ query: document, variables })) {
        if (result.errors && result.errors.length > 0) {
          throw new CliError(`the control plane answered with an error:\n${result.errors.map((error) => `  ${error.message}`).join('\n')}`, EXIT_FAILED);
        }
        if (result.data) yield result.data;
      }
    } finally {
      client.dispose();
    }
  };
}
