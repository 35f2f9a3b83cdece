import type { ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

const CODES: Record<number, string> = { 400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' };

/**
 * Every error response is JSON shaped like a GraphQL response, so clients parse one format.
 * Deliberate HTTP errors keep their status and message; anything else is a 500 that says
 * nothing about the cause (the log has it).
 */
export const errorHandler: ErrorHandler = (error, c) => {
  if (error instanceof HTTPException) {
    if (error.status === 401) c.header('WWW-Authenticate', 'Bearer');
    return c.json({ errors: [{ message: error.message, extensions: { code: CODES[error.status] ?? 'HTTP_ERROR' } }] }, error.status);
  }
  console.error(`[control-plane] ${c.req.method} ${c.req.path} failed`, error);
  return c.json({ errors: [{ message: 'internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }, 500);
};
