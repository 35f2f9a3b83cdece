import { authenticateApiKey, type Scope } from '@mctb/control';
import type { EntityManager, Orm } from '@mctb/db';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

/** The caller behind a valid API key. */
export type Viewer = Scope & { keyId: string };

export interface ApiKeyAuthEnv {
  Variables: {
    /** This request's own EntityManager fork (the global one is never used). */
    em: EntityManager;
    viewer: Viewer;
  };
}

export interface ApiKeyAuthOptions {
  orm: Orm;
}

export const MISSING_KEY = 'missing Authorization: Bearer <api key>';
export const INVALID_KEY = 'invalid or revoked API key';

/**
 * Requires `Authorization: Bearer <api key>` and resolves it to a Viewer. A missing or bad key
 * ends the request with 401 (via app.onError), before any GraphQL work is done.
 */
export function apiKeyAuth(options: ApiKeyAuthOptions): MiddlewareHandler<ApiKeyAuthEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('authorization'));
    if (token === null) throw new HTTPException(401, { message: MISSING_KEY });
    const em = options.orm.em.fork();
    const viewer = await authenticateApiKey(em, token);
    if (!viewer) throw new HTTPException(401, { message: INVALID_KEY });
    c.set('em', em);
    c.set('viewer', viewer);
    await next();
  };
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
