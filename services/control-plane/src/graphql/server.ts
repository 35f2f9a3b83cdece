import { describeError, redactPhones, silentLogger, type Logger } from '@mctb/service-kit';
import { createYoga, maskError } from 'graphql-yoga';
import type { GraphQLContext } from './context.js';
import { queryLimits, QUERY_LIMITS, type QueryLimits } from './limits.js';
import { controlPlaneSchema } from './schema.js';

/**
 * The GraphQL engine, without HTTP concerns: the Hono route authenticates first and passes each
 * request's context in. GraphiQL is served by that route too, so yoga never renders it.
 */
export function createGraphQLServer(options: { limits?: QueryLimits; log?: Logger } = {}) {
  const log = options.log ?? silentLogger;
  return createYoga<GraphQLContext>({
    schema: controlPlaneSchema(),
    graphqlEndpoint: '/graphql',
    graphiql: false,
    landingPage: false,
    // Yoga's own messages go to our log, summarised like every other error.
    logging: yogaLogger(log),
    maskedErrors: {
      // Unexpected errors reach clients as "Unexpected error." only (never stack traces, even
      // with NODE_ENV=development); the operator finds the cause in the log.
      maskError: (error, message) => {
        const masked = maskError(error, message, false);
        if (masked !== error) log.error({ err: error }, 'unexpected error in a GraphQL operation');
        return masked;
      },
    },
    plugins: queryLimits(options.limits ?? QUERY_LIMITS),
  });
}

function yogaLogger(log: Logger) {
  const summary = (args: unknown[]) => ({ detail: args.map((arg) => (arg instanceof Error ? describeError(arg) : typeof arg === 'string' ? redactPhones(arg) : typeof arg)) });
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => log.warn(summary(args), 'graphql-yoga warning'),
    error: (...args: unknown[]) => log.error(summary(args), 'graphql-yoga error'),
  };
}
