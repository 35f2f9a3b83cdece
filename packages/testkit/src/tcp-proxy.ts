import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * How the proxy treats connections: pass them through; refuse them (the dependency is down:
 * existing connections drop, new ones are refused); or swallow them (the dependency hangs:
 * bytes go in and nothing ever comes back).
 */
export type ProxyMode = 'open' | 'down' | 'hang';

export interface TcpProxy {
  /** Connect here instead of the target, e.g. `127.0.0.1:${port}`. */
  readonly port: number;
  readonly mode: ProxyMode;
  /** Changes how connections are treated from now on; going down or hanging also breaks the ones open now. */
  set(mode: ProxyMode): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A TCP proxy in front of a real dependency (PostgreSQL, Temporal), so a test can take it away
 * from one client and give it back, without stopping a server other tests share.
 */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = 'open';
  const open = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer((client) => {
        open.add(client);
        client.on('close', () => open.delete(client));
        client.on('error', () => client.destroy());
        if (mode === 'hang') return; // accepted, never answered
        const upstream = connect(target.port, target.host);
        open.add(upstream);
        upstream.on('close', () => {
          open.delete(upstream);
          client.destroy();
        });
        upstream.on('error', () => upstream.destroy());
        client.on('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of open) socket.destroy();
      open.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();
  return {
    get port() {
      return port;
    },
    get mode() {
      return mode;
    },
    async set(next) {
      if (next === mode) return;
      const previous = mode;
      mode = next;
      if (next === 'down') return close();
      for (const socket of open) socket.destroy();
      open.clear();
      if (previous === 'down') await listen();
    },
    async stop() {
      mode = 'down';
      await close();
    },
  };
}
