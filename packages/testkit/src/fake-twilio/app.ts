import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { DEFAULT_FAULT_CODES, notFound, twilioError, type TwilioErrorBody } from './errors.js';
import { API_VERSION, countSegments, newSid, nowToTheSecond, rfc2822 } from './format.js';
import { callResource, callsPage } from './calls.js';
import { listPage } from './list.js';
import { messageResource } from './resource.js';
import type { FakeTwilioState, PendingFault } from './state.js';
import type { FakeAccount, FakeMessage, FakeOperation } from './types.js';
import { incomingNumberResource, incomingNumbersPage, updateIncomingNumber } from './numbers.js';
import { validateCreate } from './validate.js';

export interface FakeCredentials {
  accountSid: string;
  authToken: string;
}

type FakeContext = Context<{ Bindings: HttpBindings }>;

const errorResponse = (c: FakeContext, error: TwilioErrorBody) =>
  c.json(error, error.status as 400 | 401 | 404 | 429 | 500 | 503);

/** The account whose SID and token the Basic credentials carry, if the fake knows it. */
function authenticated(header: string | undefined, state: FakeTwilioState): FakeAccount | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? state.authenticate(decoded.slice(0, colon), decoded.slice(colon + 1)) : undefined;
}

/** 401 for wrong credentials, 404 for another account's resources, else undefined (go on). */
function denied(c: FakeContext, state: FakeTwilioState): Response | undefined {
  const account = authenticated(c.req.header('authorization'), state);
  if (!account) {
    c.header('WWW-Authenticate', 'Basic realm="Twilio API"');
    return errorResponse(c, twilioError(401, 20003, 'Authenticate', 'Your AccountSid or AuthToken was incorrect.'));
  }
  const inPath = c.req.param('accountSid') ?? c.req.param('account')?.replace(/\.json$/, '');
  if (inPath !== account.accountSid) return errorResponse(c, notFound(c.req.path));
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

function accountResource(account: FakeAccount) {
  const uri = `/${API_VERSION}/Accounts/${account.accountSid}.json`;
  return {
    auth_token: account.authToken,
    date_created: rfc2822(new Date(0)),
    date_updated: rfc2822(new Date(0)),
    friendly_name: account.friendlyName,
    owner_account_sid: account.accountSid,
    sid: account.accountSid,
    status: 'active',
    subresource_uris: { incoming_phone_numbers: uri.replace(/\.json$/, '/IncomingPhoneNumbers.json') },
    type: 'Full',
    uri,
  };
}

/**
 * A Hono app answering like Twilio's 2010-04-01 Messages API, for the real `twilio` SDK: create,
 * fetch and list (with Twilio's filters and paging), Basic auth, Twilio error bodies and codes;
 * fetch and list of the Calls API (calls the test placed), for call lookups; the account itself;
 * and its IncomingPhoneNumbers (list with the PhoneNumber filter, fetch, update of the URLs). Several
 * accounts may be known (addAccount); each sees only its own resources.
 */
export function createFakeTwilioApp(state: FakeTwilioState, credentials: FakeCredentials) {
  state.addAccount({ ...credentials, friendlyName: 'Main account' });
  const app = new Hono<{ Bindings: HttpBindings }>();
  const root = `/${API_VERSION}/Accounts/:accountSid`;

  app.post(`${root}/Messages.json`, async (c) => {
    const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
    state.recordRequest({ method: 'POST', path: c.req.path, form });
    const refused = denied(c, state) ?? (await injectedFault(c, state, 'create'));
    if (refused) return refused;

    const accountSid = c.req.param('accountSid');
    const validation = validateCreate(form, state, accountSid);
    if (!validation.ok) return errorResponse(c, validation.error);
    const { input } = validation;
    const now = nowToTheSecond();
    const message: FakeMessage = {
      sid: newSid('SM'),
      accountSid,
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
    const refused = denied(c, state) ?? (await injectedFault(c, state, 'list'));
    if (refused) return refused;
    const accountSid = c.req.param('accountSid');
    const result = listPage(accountSid, new URL(c.req.url).searchParams, state.newestFirst().filter((m) => m.accountSid === accountSid));
    return result.ok ? c.json(result.page) : errorResponse(c, result.error);
  });

  app.get(`${root}/Messages/:resource`, async (c) => {
    const refused = denied(c, state) ?? (await injectedFault(c, state, 'fetch'));
    if (refused) return refused;
    const resource = c.req.param('resource');
    const found = resource.endsWith('.json') ? state.findMessage(resource.slice(0, -'.json'.length)) : undefined;
    const message = found?.accountSid === c.req.param('accountSid') ? found : undefined;
    return message ? c.json(messageResource(message)) : errorResponse(c, notFound(c.req.path));
  });

  app.get(`${root}/Calls.json`, (c) => denied(c, state) ?? c.json(callsPage(c.req.param('accountSid'), new URL(c.req.url).searchParams, state.callsNewestFirst().filter((call) => call.accountSid === c.req.param('accountSid')))));

  app.get(`${root}/Calls/:resource`, (c) => {
    const refused = denied(c, state);
    if (refused) return refused;
    const resource = c.req.param('resource');
    const found = resource.endsWith('.json') ? state.findCall(resource.slice(0, -'.json'.length)) : undefined;
    const call = found?.accountSid === c.req.param('accountSid') ? found : undefined;
    return call ? c.json(callResource(call)) : errorResponse(c, notFound(c.req.path));
  });

  // The account itself: what a client fetches to check its credentials.
  app.get(`/${API_VERSION}/Accounts/:account`, (c) => {
    const refused = denied(c, state);
    if (refused) return refused;
    const account = state.findAccount(c.req.param('account').replace(/\.json$/, ''))!;
    return c.json(accountResource(account));
  });

  app.get(`${root}/IncomingPhoneNumbers.json`, (c) => {
    const refused = denied(c, state);
    if (refused) return refused;
    const accountSid = c.req.param('accountSid');
    return c.json(incomingNumbersPage(accountSid, new URL(c.req.url).searchParams, state.incomingNumbersOf(accountSid)));
  });

  const ownNumber = (c: FakeContext) => {
    const resource = c.req.param('resource') ?? '';
    const sid = resource.endsWith('.json') ? resource.slice(0, -'.json'.length) : '';
    return state.incomingNumbersOf(c.req.param('accountSid') ?? '').find((number) => number.sid === sid);
  };

  app.get(`${root}/IncomingPhoneNumbers/:resource`, (c) => {
    const refused = denied(c, state);
    if (refused) return refused;
    const number = ownNumber(c);
    return number ? c.json(incomingNumberResource(number)) : errorResponse(c, notFound(c.req.path));
  });

  app.post(`${root}/IncomingPhoneNumbers/:resource`, async (c) => {
    const form = Object.fromEntries(new URLSearchParams(await c.req.text()));
    state.recordRequest({ method: 'POST', path: c.req.path, form });
    const refused = denied(c, state);
    if (refused) return refused;
    const number = ownNumber(c);
    if (!number) return errorResponse(c, notFound(c.req.path));
    const error = updateIncomingNumber(number, form);
    return error ? errorResponse(c, error) : c.json(incomingNumberResource(number));
  });

  app.notFound((c) => errorResponse(c, notFound(c.req.path)));
  return app;
}
