import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface QueryLimits {
  /** Deepest nesting of fields allowed; `{ a { b } }` is 2 deep. */
  maxDepth: number;
  /** Largest estimated cost: every field costs 1, and a list multiplies what it selects by its page size. */
  maxComplexity: number;
  /** Longest document, in GraphQL tokens, that is parsed at all. */
  maxTokens: number;
}

export const QUERY_LIMITS: QueryLimits = { maxDepth: 10, maxComplexity: 20_000, maxTokens: 5_000 };

/**
 * Refuses documents that are too long, too deep or would fetch too much, before anything runs.
 * The cost comes from @pothos/plugin-complexity, which walks each fragment once per type (linear
 * in the document, whatever the fragments spread) and reads `first` arguments, variables included;
 * the token limit (GraphQL Armor) bounds the parse itself.
 */
export function queryLimits(limits: QueryLimits = QUERY_LIMITS): Plugin[] {
  // The cost depends on the variables (`first: $n`), so it is checked for every execution rather
  // than in the validation yoga caches per document.
  const costCheck: Plugin = {
    onExecute: ({ args, setResultAndStopExecution }) => {
      const errors = costErrors(limits, args.schema, args.document, args.variableValues ?? {}, args.operationName ?? undefined, args.contextValue);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe: ({ args, setResultAndStopExecution }) => {
      const errors = costErrors(limits, args.schema, args.document, args.variableValues ?? {}, args.operationName ?? undefined, args.contextValue);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
  return [maxTokensPlugin({ n: limits.maxTokens }) as Plugin, costCheck];
}

function costErrors(
  limits: QueryLimits,
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown>,
  operationName: string | undefined,
  context: unknown,
): readonly GraphQLError[] {
  const rule = createComplexityRule({
    variableValues,
    operationName,
    context: context as object,
    validate: (state, report) => {
      if (state.depth > limits.maxDepth) {
        report(
          new GraphQLError(`query depth ${state.depth} exceeds the limit of ${limits.maxDepth} nested fields`, {
            extensions: { code: 'QUERY_TOO_DEEP', limit: limits.maxDepth, depth: state.depth },
          }),
        );
      }
      if (state.complexity > limits.maxComplexity) {
        report(
          new GraphQLError(
            `query cost ${state.complexity} exceeds the budget of ${limits.maxComplexity} (every field costs 1; a list multiplies its selection by \`first\`); ask for smaller pages or fewer fields`,
            { extensions: { code: 'QUERY_TOO_COSTLY', limit: limits.maxComplexity, cost: state.complexity } },
          ),
        );
      }
    },
  });
  return validate(schema, document, [rule]);
}
