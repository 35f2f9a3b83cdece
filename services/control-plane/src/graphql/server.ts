import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import type { GraphQLContext } from './context.js';
import { queryLimitsRule, type QueryLimits } from './limits.js';
import { MAX_RECENT_PAGE } from '@mctb/db';
import { controlPlaneSchema } from './schema.js';

export const QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxCost: 5000, defaultListSize: 20, maxPageSize: MAX_RECENT_PAGE };

/** Adds the depth and cost rule to graphql's own validation of every operation. */
function useQueryLimits(limits: QueryLimits): Plugin {
  const rule = queryLimitsRule(limits);
  return { onValidate: ({ addValidationRule }) => addValidationRule(rule) };
}

/**
 * The GraphQL engine, without HTTP concerns: the Hono route authenticates first and passes each
 * request's context in. GraphiQL is served by that route too, so yoga never renders it.
 */
export function createGraphQLServer(limits: QueryLimits = QUERY_LIMITS) {
  return createYoga<GraphQLContext>({
    schema: controlPlaneSchema(),
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    logging: 'warn',
    maskedErrors: {
      // Unexpected errors reach clients as "Unexpected error." only (never stack traces, even
      // with NODE_ENV=development); the operator finds the cause in the log.
      maskError: (error, message) => {
        const masked = maskError(error, message, false);
        if (masked !== error) console.error('[control-plane] unexpected error in a GraphQL operation', error);
        return masked;
      },
    },
    plugins: [useQueryLimits(limits)],
  });
}
