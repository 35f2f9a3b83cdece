import {
  GraphQLError,
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface QueryLimits {
  /** Deepest nesting of fields allowed; `{ a { b } }` is 2 deep. */
  maxDepth: number;
  /** Largest estimated number of objects a query may ask for. */
  maxCost: number;
  /** Assumed length of a list that has no `first` argument. */
  defaultListSize: number;
  /** Largest page a `first` argument can get (the server clamps to it), also assumed for `first: $variable`. */
  maxPageSize: number;
}

interface Measure {
  depth: number;
  cost: number;
}

/**
 * Refuses queries that are too deep or would fetch too much, before anything runs.
 * Cost estimates objects returned: an object field costs 1 plus its selection, times the number of
 * items for a list (its `first` argument, capped at maxPageSize, else defaultListSize); scalar
 * fields are free. Introspection (`__schema`, `__type`) is not counted, so GraphiQL keeps working.
 */
export function queryLimitsRule(limits: QueryLimits): ValidationRule {
  return function QueryLimits(context: ValidationContext) {
    return {
      OperationDefinition(operation) {
        const root = context.getSchema().getRootType(operation.operation);
        if (!root) return;
        const { depth, cost } = measure(context, limits, root, operation.selectionSet, []);
        if (depth > limits.maxDepth) {
          context.reportError(
            new GraphQLError(`query depth ${depth} exceeds the limit of ${limits.maxDepth} nested fields`, {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP', limit: limits.maxDepth, depth },
            }),
          );
        }
        if (cost > limits.maxCost) {
          context.reportError(
            new GraphQLError(
              `query cost ${cost} exceeds the budget of ${limits.maxCost} (lists cost their \`first\` × their selection); ask for smaller pages or fewer fields`,
              { nodes: [operation], extensions: { code: 'QUERY_TOO_COSTLY', limit: limits.maxCost, cost } },
            ),
          );
        }
      },
    };
  };
}

function measure(
  context: ValidationContext,
  limits: QueryLimits,
  parent: GraphQLNamedType,
  selectionSet: SelectionSetNode,
  fragmentsInUse: string[],
): Measure {
  let depth = 0;
  let cost = 0;
  for (const selection of selectionSet.selections) {
    let inner: Measure = { depth: 0, cost: 0 };
    if (selection.kind === Kind.FIELD) {
      inner = measureField(context, limits, parent, selection, fragmentsInUse);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const on = selection.typeCondition ? context.getSchema().getType(selection.typeCondition.name.value) : parent;
      if (on) inner = measure(context, limits, on, selection.selectionSet, fragmentsInUse);
    } else {
      const name = selection.name.value;
      const fragment = context.getFragment(name);
      // A fragment cycle is reported by graphql's own rules; here it just must not recurse forever.
      const on = fragment && context.getSchema().getType(fragment.typeCondition.name.value);
      if (fragment && on && !fragmentsInUse.includes(name)) {
        inner = measure(context, limits, on, fragment.selectionSet, [...fragmentsInUse, name]);
      }
    }
    depth = Math.max(depth, inner.depth);
    cost += inner.cost;
  }
  return { depth, cost };
}

function measureField(
  context: ValidationContext,
  limits: QueryLimits,
  parent: GraphQLNamedType,
  field: FieldNode,
  fragmentsInUse: string[],
): Measure {
  const name = field.name.value;
  if (name.startsWith('__')) return { depth: 0, cost: 0 };
  const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  // Unknown fields are reported by graphql's own rules.
  if (!definition || !field.selectionSet) return { depth: 1, cost: 0 };
  const below = measure(context, limits, getNamedType(definition.type), field.selectionSet, fragmentsInUse);
  return { depth: 1 + below.depth, cost: itemsOf(limits, definition, field) * (1 + below.cost) };
}

function itemsOf(limits: QueryLimits, definition: GraphQLField<unknown, unknown>, field: FieldNode): number {
  const first = definition.args.find((arg) => arg.name === 'first');
  if (first) {
    const given = field.arguments?.find((arg) => arg.name.value === 'first')?.value;
    let requested: number = limits.maxPageSize;
    if (!given) requested = typeof first.defaultValue === 'number' ? first.defaultValue : limits.maxPageSize;
    else if (given.kind === Kind.INT) requested = Number.parseInt(given.value, 10);
    return Math.min(Math.max(requested, 1), limits.maxPageSize);
  }
  return isList(definition.type) ? limits.defaultListSize : 1;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}
