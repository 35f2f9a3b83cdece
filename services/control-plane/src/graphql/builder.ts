import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { GraphQLContext } from './context.js';
import { ForbiddenError } from './errors.js';

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { agencyKey: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Order matters: errors must wrap scope-auth (so a refusal becomes a typed ForbiddenError) and
  // the dataloader plugin (so typed errors thrown while loading are caught too).
  plugins: [ErrorsPlugin, ScopeAuthPlugin, DataloaderPlugin, ComplexityPlugin],
  // Every field costs 1; a list multiplies its selection by its page (fields say so) or by 10.
  // The limits are enforced before execution by the validation rule in limits.ts.
  complexity: { defaultComplexity: 1, defaultListMultiplier: 10 },
  // Fields are non-null unless they say otherwise, so the schema tells clients what is optional.
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (context) => ({ agencyKey: context.viewer.subAccountId === null }),
    unauthorizedError: (_parent, _context, info) => new ForbiddenError(`${info.fieldName} needs an agency API key; this key is bound to one sub-account`),
  },
  errors: {
    // Mutation results are unions named after the mutation, e.g. CreateSubAccountResult.
    defaultUnionOptions: { name: ({ fieldName }) => `${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}Result` },
    // Success payloads sit in the union themselves, without a `data` wrapper object.
    directResult: true,
  },
});

builder.queryType({});
builder.mutationType({});
