import { describeError } from './redact.js';
import { serve, type ServerType } from '@hono/node-server';

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Anything with a fetch handler: a Hono app of any env type. */
export interface FetchApp {
  fetch: (request: Request) => Response | Promise<Response>;
}

/** Serves an app; resolves once listening. */
export function startHttpServer(app: FetchApp, options: { port: number; host: string }): Promise<RunningServer> {
  return new Promise((resolveServer, reject) => {
    let server: ServerType | undefined = undefined;
    server = serve({ fetch: (request) => app.fetch(request), port: options.port, hostname: options.host }, (info) => {
      resolveServer({
        url: `http://${options.host}:${info.port}`,
        close: () =>
          new Promise((resolveClose) => {
            if ('closeAllConnections' in server!) server!.closeAllConnections();
            server!.close(() => resolveClose());
          }),
      });
    });
    server.once('error', reject);
  });
}

/**
 * Runs the cleanup steps once on SIGINT/SIGTERM (in order), then exits. A second signal
 * exits at once.
 */
export function onShutdown(name: string, steps: (() => Promise<unknown>)[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`[${name}] ${signal}: shutting down`);
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        console.error(`[${name}] error while shutting down: ${describeError(error)}`);
      }
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
