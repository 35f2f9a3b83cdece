import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from '@mctb/plugin-sdk';

/** The most of a receiver's answer we read: enough for an error message, never a memory risk. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** The webhook was not sent: its address is refused, or the URL can't be used. Retrying won't help. */
export class WebhookRefusedError extends Error {
  override name = 'WebhookRefusedError';
}

export interface WebhookResponse {
  status: number;
  /** From sending the request to the end of the answer read. */
  latencyMs: number;
  /** The answer's first MAX_RESPONSE_BYTES at most. */
  body: string;
  truncated: boolean;
}

export interface PostOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  maxResponseBytes?: number;
}

/**
 * POSTs a JSON body and reads the answer. Redirects are not followed (a 3xx is the answer). Where
 * private networks are not allowed, the address is checked where the connection is made (the
 * lookup the socket itself uses), so a name that resolves differently a second time can't slip past.
 * Network errors and the timeout reject; any HTTP status resolves.
 */
export async function postWebhook(url: string, body: string, options: PostOptions): Promise<WebhookResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new WebhookRefusedError(`${target.protocol} URLs are not allowed`);
  if (target.username || target.password) throw new WebhookRefusedError('URLs with credentials are not allowed');
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  // A literal address is connected to without a lookup: check it here.
  if (!options.allowPrivateNetworks && isPrivateAddress(host)) throw refusal(host, host);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const started = performance.now();

  return new Promise<WebhookResponse>((resolve, reject) => {
    const req = request(target, {
      method: 'POST',
      headers: { ...options.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      // A connection of its own each time, so every delivery is checked by the lookup below.
      agent: false,
      ...(options.allowPrivateNetworks ? {} : { lookup: publicOnlyLookup }),
    });
    // The first outcome stands: destroying the connection afterwards may still raise errors.
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new Error(`no complete answer within ${options.timeoutMs} ms`)));
      req.destroy();
    }, options.timeoutMs);
    req.once('error', (error) => finish(() => reject(error)));
    req.once('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (truncated: boolean) =>
        finish(() => resolve({ status: res.statusCode ?? 0, latencyMs: Math.round(performance.now() - started), body: Buffer.concat(chunks).toString('utf8'), truncated }));
      res.on('data', (chunk: Buffer) => {
        const room = limit - size;
        chunks.push(chunk.subarray(0, room));
        size += Math.min(chunk.length, room);
        if (chunk.length > room) {
          // Enough read: the rest is dropped with the connection.
          done(true);
          res.destroy();
        }
      });
      res.once('end', () => done(false));
      res.once('error', (error) => finish(() => reject(error)));
    });
    req.end(body);
  });
}

/** dns.lookup, refusing a name with any private address (the socket then fails with the refusal). */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find(({ address }) => isPrivateAddress(address));
    if (refused) return callback(refusal(hostname, refused.address), '', 0);
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
    callback(null, first.address, first.family);
  });
};

function refusal(host: string, address: string): WebhookRefusedError {
  const where = host === address ? address : `${host} (${address})`;
  return new WebhookRefusedError(`${where} is a private, loopback or link-local address; webhooks may not reach it`);
}
