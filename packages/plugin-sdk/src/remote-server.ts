import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokePlugin, type InvocationOutcome } from './invoke.js';
import type { AnyPlugin } from './plugin.js';
import { IDEMPOTENCY_KEY_HEADER, remoteRequestSchema } from './remote-protocol.js';
import { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, verifyWebhookSignature } from './request-signature.js';

/** A retried delivery whose answer was kept gets it again with this header set to "true". */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_DEDUPE_ENTRIES = 10_000;
export const DEFAULT_DEDUPE_TTL_MS = 15 * 60_000;

export interface PluginHandlerOptions {
  /** The plugin's signing secret (the marketplace gives it on first publish); several during a rotation. */
  secret: string | readonly string[];
  /** Epoch ms; defaults to the clock. Used for the signature's age and the kept answers' expiry. */
  now?: () => number;
  /** How far a signature's timestamp may be from now: 300 s (5 minutes) unless set. */
  toleranceSeconds?: number;
  /** Larger bodies are refused with 413: 1 MB unless set. */
  maxBodyBytes?: number;
  /** Answers kept for retried deliveries: at most `maxEntries` (10,000), each for `ttlMs` (15 minutes). */
  dedupe?: { maxEntries?: number; ttlMs?: number };
  /** Told about every failed invocation (500 and 504 answers); defaults to a line on stderr. */
  onError?: (error: string, cause: unknown) => void;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** Only these endings are kept for a retry: running the handler again would give the same. */
const KEPT_STATUSES = new Set([200, 422]);

/**
 * Kept answers by delivery. An entry holds the run while it is under way (concurrent duplicates
 * share it) and its answer afterwards, until it expires or the oldest entries make room.
 */
class AnswerCache {
  private readonly entries = new Map<string, { reply: Promise<Reply>; expiresAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** The kept or running answer for this key, else runs `produce` (keeping the run while it lasts). */
  answer(key: string, produce: () => Promise<Reply>): { reply: Promise<Reply>; replayed: boolean } {
    const found = this.entries.get(key);
    if (found && found.expiresAt > this.now()) return { reply: found.reply, replayed: true };
    if (found) this.entries.delete(key);
    const entry = { reply: produce(), expiresAt: Number.POSITIVE_INFINITY };
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    void entry.reply.then((reply) => {
      if (this.entries.get(key) !== entry) return;
      if (KEPT_STATUSES.has(reply.status)) entry.expiresAt = this.now() + this.ttlMs;
      // A failure isn't kept: the host's retry (same delivery id) is a fresh attempt.
      else this.entries.delete(key);
    });
    return { reply: entry.reply, replayed: false };
  }
}

const STATUS_OF: Record<InvocationOutcome['kind'], number> = {
  answer: 200,
  'not-found': 404,
  'invalid-config': 422,
  'step-failure': 422,
  timeout: 504,
  error: 500,
  'invalid-answer': 500,
};

function replyOf(outcome: InvocationOutcome): Reply {
  switch (outcome.kind) {
    case 'answer':
      return { status: 200, body: outcome.answer };
    case 'invalid-config':
      return { status: 422, body: { error: outcome.error, issues: outcome.issues } };
    default:
      return { status: STATUS_OF[outcome.kind], body: { error: outcome.error } };
  }
}

function send(res: ServerResponse, reply: Reply, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The raw body, or null when it grows past the limit. */
async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const declared = Number(header(req, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The plugin's side of the remote protocol (remote-protocol.ts) as a node:http request listener:
 * checks the signature over the raw body (401), the request's shape (400), finds the hook or step
 * (404), parses the installation's config with the plugin's schema (422), runs the handler within
 * its declared timeout (504 past it) and answers the wire JSON; a StepFailure is a 422 `{error}`,
 * anything else thrown a 500 `{error}`. Deliveries are deduplicated by installation and delivery id:
 * a retry gets the kept answer and concurrent duplicates share one run.
 */
export function createPluginHandler(plugin: AnyPlugin, options: PluginHandlerOptions): RequestListener {
  const secrets = typeof options.secret === 'string' ? [options.secret] : [...options.secret];
  if (secrets.length === 0 || secrets.some((secret) => secret.length === 0)) {
    throw new Error(`plugin "${plugin.manifest.id}": the signing secret is empty`);
  }
  const now = options.now ?? Date.now;
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const onError = options.onError ?? ((error: string) => console.error(`[${plugin.manifest.id}] ${error}`));
  const cache = new AnswerCache(options.dedupe?.maxEntries ?? DEFAULT_DEDUPE_ENTRIES, options.dedupe?.ttlMs ?? DEFAULT_DEDUPE_TTL_MS, now);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      req.resume();
      return send(res, { status: 405, body: { error: `${req.method} is not accepted: the platform POSTs signed JSON` } }, { allow: 'POST' });
    }
    const body = await readBody(req, limit);
    if (body === null) {
      return send(res, { status: 413, body: { error: `the body is larger than ${limit} bytes` } }, { connection: 'close' });
    }

    const signature = header(req, SIGNATURE_HEADER);
    const checks = secrets.map((secret) => verifyWebhookSignature({ secret, header: signature, body, now: now(), toleranceSeconds: tolerance }));
    const refused = checks.every((check) => !check.ok) ? checks[0] : undefined;
    if (refused && !refused.ok) {
      return send(res, { status: 401, body: { error: `the request is not signed by the platform: ${refused.reason}` } });
    }

    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return send(res, { status: 400, body: { error: 'the body is not JSON' } });
    }
    const parsed = remoteRequestSchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`);
      return send(res, { status: 400, body: { error: `not a plugin request: ${problems.join('; ')}` } });
    }
    const request = parsed.data;
    const key = header(req, IDEMPOTENCY_KEY_HEADER);
    if (key !== undefined && key !== request.deliveryId) {
      return send(res, { status: 400, body: { error: `the ${IDEMPOTENCY_KEY_HEADER} header ("${key}") is not the body's deliveryId ("${request.deliveryId}")` } });
    }
    if (request.plugin.id !== plugin.manifest.id) {
      return send(res, { status: 404, body: { error: `this server runs the plugin "${plugin.manifest.id}", not "${request.plugin.id}"` } });
    }

    const invocation = request.type === 'hook' ? { type: 'hook' as const, hook: request.hook, event: request.event } : { type: 'step' as const, step: request.step, input: request.input };
    const name = request.type === 'hook' ? request.hook : request.step;
    const dedupeKey = JSON.stringify([request.installation.id, request.type, name, request.deliveryId]);
    const { reply, replayed } = cache.answer(dedupeKey, async () => {
      const outcome = await invokePlugin(plugin, invocation, { config: request.installation.config, deliveryId: request.deliveryId, attempt: request.attempt });
      if (outcome.kind === 'error') onError(outcome.error, outcome.cause);
      if (outcome.kind === 'invalid-answer' || outcome.kind === 'timeout') onError(outcome.error, undefined);
      return replyOf(outcome);
    });
    send(res, await reply, replayed ? { [REPLAYED_HEADER.toLowerCase()]: 'true' } : {});
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      onError(`the request could not be handled: ${error instanceof Error ? error.message : String(error)}`, error);
      if (!res.headersSent) send(res, { status: 500, body: { error: 'the request could not be handled' } });
      else res.destroy();
    });
  };
}

export interface ServePluginOptions extends PluginHandlerOptions {
  /** 0 (the default) takes a free port; the returned URL says which. */
  port?: number;
  /** 127.0.0.1 unless set; "0.0.0.0" or "::" to listen on every interface. */
  host?: string;
}

export interface RunningPlugin {
  /** Where the platform reaches the plugin: the manifest's `runtime.url`. */
  url: string;
  port: number;
  server: Server;
  /** Stops taking requests and closes open connections. */
  close(): Promise<void>;
}

/** Serves a plugin over HTTP (createPluginHandler) and resolves once it listens. */
export async function servePlugin(plugin: AnyPlugin, options: ServePluginOptions): Promise<RunningPlugin> {
  const server = createServer(createPluginHandler(plugin, options));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
