import { CliError, EXIT_FAILED, EXIT_USAGE } from './exit-codes.js';

export interface ServerOptions {
  /** The control plane's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  apiKey: string | undefined;
}

export type GraphQLRequest = <Data>(document: string, variables?: Record<string, unknown>) => Promise<Data>;

/** What graphql-yoga and the control plane's error handler say instead of an unexpected error. */
const INTERNAL_MESSAGES = new Set(['Unexpected error.', 'internal server error']);

/** How long one request may take before the CLI gives up on it. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A GraphQL client over fetch: one POST per operation with the API key as a bearer token. Every
 * way it can fail ends in a CliError that says what to do: the server is not running, the key is
 * missing or wrong, or the server answered with GraphQL errors.
 */
export function graphqlClient(server: ServerOptions): GraphQLRequest {
  return async <Data>(document: string, variables: Record<string, unknown> = {}): Promise<Data> => {
    if (!server.apiKey) {
      throw new CliError('no API key: pass --api-key or set MCTB_API_KEY (npm start prints the demo key)', EXIT_USAGE);
    }
    let response: Response;
    try {
      response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${server.apiKey}` },
        body: JSON.stringify({ query: document, variables }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new CliError(`cannot reach the control plane at ${server.url} (${reason(error)}); is it running? (npm start, or --url / MCTB_URL)`, EXIT_USAGE);
    }
    const body = await readJson(response, server.url);
    if (response.status === 401) {
      throw new CliError(`the control plane refused the API key (${firstMessage(body) ?? 'unauthorized'}); check --api-key / MCTB_API_KEY`, EXIT_USAGE);
    }
    if (body.errors && body.errors.length > 0) {
      const messages = body.errors.map((error) => `  ${error.message}`).join('\n');
      // The server says nothing more about a failure of its own; its log has the details.
      const internal = body.errors.some((error) => INTERNAL_MESSAGES.has(error.message)) ? '\n(a failure in the control plane itself: its log has the details)' : '';
      throw new CliError(`the control plane answered with ${body.errors.length === 1 ? 'an error' : 'errors'}:\n${messages}${internal}`, EXIT_FAILED);
    }
    if (!response.ok || body.data === undefined || body.data === null) {
      throw new CliError(`the control plane answered HTTP ${response.status} without data`, EXIT_FAILED);
    }
    return body.data as Data;
  };
}

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string }[];
}

async function readJson(response: Response, url: string): Promise<GraphQLBody> {
  const text = await response.text();
  try {
    return JSON.parse(text) as GraphQLBody;
  } catch {
    throw new CliError(`${url} answered HTTP ${response.status} with something that is not GraphQL; is --url the control plane's /graphql?`, EXIT_USAGE);
  }
}

function firstMessage(body: GraphQLBody): string | undefined {
  return body.errors?.[0]?.message;
}

/** fetch hides the socket error in `cause`: ECONNREFUSED says far more than "fetch failed". */
function reason(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
