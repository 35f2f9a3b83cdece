import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { DEFAULT_FAULT_CODES, notFound, twilioError, type TwilioErrorBody } from './errors.js';
import { API_VERSION, countSegments, newSid, nowToTheSecond } from './format.js';
import { callResource, callsPage } from './calls.js';
import { listPage } from './list.js';
import { messageResource } from './resource.js';
import type { FakeTwilioState, PendingFault } from './state.js';
import type { FakeMessage, FakeOperation } from './types.js';
import { validateCreate } from './validate.js';

export interface FakeCredentials {
  accountSid: string;
  authToken: string;
}

type FakeContext = Context<{ Bindings: HttpBindings }>;

const errorResponse = (c: FakeContext, error: TwilioErrorBody) =>
  c.json(error, error.status as 400 | 401 | 404 | 429 | 500 | 503);

function isAuthorized(header: string | undefined, credentials: FakeCredentials): boolean {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return (
    colon > 0 &&
    decoded.slice(0, colon) === credentials.accountSid &&
    decoded.slice(colon + 1) === credentials.authToken
  );
}

/** 401 for wrong credentials, 404 for another account's resources, else undefined (go on). */
function denied(c: FakeContext, credentials: FakeCredentials): Response | undefined {
  if (!isAuthorized(c.req.header('authorization'), credentials)) {
    c.header('WWW-Authenticate', 'Basic realm="Twilio API"');
    return errorResponse(c, twilioError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.'));
  }
  if (c.req.param('accountSid') !== credentials.accountSid) return errorResponse(c, notFound(c.req.path));
  return undefined;
}

/** The raw socket is only there when served over real HTTP (not through app.request). */
function dropConnection(c: FakeContext): boolean {
  const socket = (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket;
  if (!socket) return false;
  socket.destroy();
  return true;
}

/** Applies a failure or hang queued for this operation; undefined when none is queued. */
async function injectedFault(
  c: FakeContext,
  state: FakeTwilioState,
  operation: FakeOperation,
): Promise<Response | undefined> {
  const pending: PendingFault | undefined = state.peekFault(operation);
  if (!pending || pending.kind === 'accept-then-fail') return undefined;
  state.takeFault(operation);
  if (pending.kind === 'hang') {
    await state.hang(); // released only when the server stops; the client has long given up
    return c.body(null, 503);
  }
  const { status, code, message } = pending.fault;
  const defaults = DEFAULT_FAULT_CODES[status] ?? { code: 20500, message: 'Internal Server Error' };
  if (status === 429) c.header('Retry-After', '1');
  return errorResponse(c, twilioError(status, code ?? defaults.code, message ?? defaults.message));
}

/**
 * A Hono app answering like Twilio's 2010-04-01 Messages API, for the real `twilio` SDK: create,
 * fetch and list (with Twilio's filters and paging), Basic auth, Twilio error bodies and codes;
 * and fetch and list of the Calls API (calls the test placed), for call lookups.
 */
export function createFakeTwilioApp(state: FakeTwilioState, credentials: FakeCredentials) {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const root = `/${API_VERSION}/Accounts/:accountSid`;

  app.post(`${root}/Messages.json`, async (c) => {
    const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
    state.recordRequest({ method: 'POST', path: c.req.path, form });
    const refused = denied(c, credentials) ?? (await injectedFault(c, state, 'create'));
    if (refused) return refused;

    const validation = validateCreate(form, state);
    if (!validation.ok) return errorResponse(c, validation.error);
    const { input } = validation;
    const now = nowToTheSecond();
    const message: FakeMessage = {
      sid: newSid('SM'),
      accountSid: credentials.accountSid,
      ...input,
      // Through a Messaging Service without a From, Twilio has not picked a sender yet.
      status: input.from ? 'queued' : 'accepted',
      errorCode: null,
      numSegments: input.from ? countSegments(input.body) : 0,
      dateCreated: now,
      dateUpdated: now,
      dateSent: now,
    };
    state.addMessage(message);

    const after = state.peekFault('create');
    if (after?.kind === 'accept-then-fail') {
      state.takeFault('create');
      if (after.mode === 'drop-connection' && dropConnection(c)) return c.body(null, 500);
      if (after.mode === 'hang') {
        await state.hang(); // released only when the server stops
        return c.body(null, 503);
      }
      return errorResponse(c, twilioError(500, 20500, 'Internal Server Error'));
    }
    return c.json(messageResource(message, { asCreated: true }), 201);
  });

  app.get(`${root}/Messages.json`, async (c) => {
    const refused = denied(c, credentials) ?? (await injectedFault(c, state, 'list'));
    if (refused) return refused;
    const result = listPage(credentials.accountSid, new URL(c.req.url).searchParams, state.newestFirst());
    return result.ok ? c.json(result.page) : errorResponse(c, result.error);
  });

  app.get(`${root}/Messages/:resource`, async (c) => {
    const refused = denied(c, credentials) ?? (await injectedFault(c, state, 'fetch'));
    if (refused) return refused;
    const resource = c.req.param('resource');
    const message = resource.endsWith('.json') ? state.findMessage(resource.slice(0, -'.json'.length)) : undefined;
    return message ? c.json(messageResource(message)) : errorResponse(c, notFound(c.req.path));
  });

  app.get(`${root}/Calls.json`, (c) => denied(c, credentials) ?? c.json(callsPage(credentials.accountSid, new URL(c.req.url).searchParams, state.callsNewestFirst())));

  app.get(`${root}/Calls/:resource`, (c) => {
    const refused = denied(c, credentials);
    if (refused) return refused;
    const resource = c.req.param('resource');
    const call = resource.endsWith('.json') ? state.findCall(resource.slice(0, -'.json'.length)) : undefined;
    return call ? c.json(callResource(call)) : errorResponse(c, notFound(c.req.path));
  });

  app.notFound((c) => errorResponse(c, notFound(c.req.path)));
  return app;
}
