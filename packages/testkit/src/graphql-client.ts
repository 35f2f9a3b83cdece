/** Runs operations on a control plane with an API key, as an agency's script would; throws on GraphQL errors. */
export type GraphQLClient = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function graphqlClient(controlPlaneUrl: string, apiKey: string): GraphQLClient {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${controlPlaneUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const result = (await response.json()) as { data?: T; errors?: { message: string }[] };
    if (result.errors?.length) throw new Error(`GraphQL: ${result.errors.map((e) => e.message).join('; ')}`);
    return result.data as T;
  };
}
