import type { Logger } from '@mctb/service-kit';
import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

const CODES: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE' };

/**
 * Every error response is JSON shaped like a GraphQL response, so clients parse one format.
 * Deliberate HTTP errors keep their status and message; anything else is a 500 that says
 * nothing about the cause (the log has a summary, never the SQL or its parameters).
 */
export function errorHandler(log: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof HTTPException) {
      if (error.status === 401) c.header('WWW-Authenticate', 'Bearer');
      return c.json({ errors: [{ message: error.message, extensions: { code: CODES[error.status] ?? 'HTTP_ERROR' } }] }, error.status);
    }
    log.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
    return c.json({ errors: [{ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, 500);
  };
}
