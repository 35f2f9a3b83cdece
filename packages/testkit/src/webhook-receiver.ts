import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver got it. Header names are lower case. */
export interface ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The raw body, as a signature is computed over it. */
  body: string;
  /** The status it was answered with. */
  answeredWith: number;
  receivedAt: Date;
}

export interface WebhookAnswer {
  status: number;
  body?: string;
  /** Wait this long before answering (a slow receiver). */
  delayMs?: number;
}

/** A plain HTTP server on 127.0.0.1 standing in for a customer's webhook endpoint. */
export interface WebhookReceiver {
  /** Origin, e.g. http://127.0.0.1:41234; any path is accepted. */
  readonly url: string;
  /** Requests received so far (on one path, when given), oldest first. */
  requests(path?: string): ReceivedWebhook[];
  /** Requests to `path` get these answers in turn, then the path's default. */
  answerNext(path: string, ...answers: (number | WebhookAnswer)[]): void;
  /** Every request to `path` gets this answer (until changed); 200 when never set. */
  answerAlways(path: string, answer: number | WebhookAnswer): void;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queued = new Map<string, WebhookAnswer[]>();
  const defaults = new Map<string, WebhookAnswer>();
  const answerOf = (value: number | WebhookAnswer): WebhookAnswer => (typeof value === 'number' ? { status: value } : value);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://receiver').pathname;
      const answer = queued.get(path)?.shift() ?? defaults.get(path) ?? { status: 200 };
      received.push({ method: req.method ?? '', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answeredWith: answer.status, receivedAt: new Date() });
      setTimeout(() => res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? ''), answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    requests: (path) => received.filter((request) => path === undefined || request.path === path),
    answerNext(path, ...answers) {
      queued.set(path, [...(queued.get(path) ?? []), ...answers.map(answerOf)]);
    },
    answerAlways(path, answer) {
      defaults.set(path, answerOf(answer));
    },
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
