import { repoRoot, startProcess, waitFor, type ManagedProcess } from '@mctb/devstack';
import { join } from 'node:path';

export type ServiceName = 'control-plane' | 'gateway' | 'worker';

export interface RunningService {
  name: ServiceName;
  url: string;
  process: ManagedProcess;
}

/**
 * Starts one service from its build (services/<name>/dist/main.js) as its own process, with only
 * the environment given (plus PATH/HOME), and waits until its /readyz answers 200.
 */
export async function startService(
  name: ServiceName,
  options: { port: number; env: Record<string, string>; onLine?: (line: string) => void; /** e.g. --cpu-prof */ nodeArgs?: string[] },
): Promise<RunningService> {
  const url = `http://127.0.0.1:${options.port}`;
  const child = startProcess(name, process.execPath, [...(options.nodeArgs ?? []), join(repoRoot, 'services', name, 'dist/main.js')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production', ...options.env },
    onLine: options.onLine,
  });
  try {
    await Promise.race([
      waitFor(`${name} to be ready at ${url}/readyz`, async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200, {
        timeoutMs: 120_000,
        intervalMs: 200,
      }),
      child.exited.then((code) => {
        throw new Error(`${name} exited during start (code ${code}):\n${child.recentOutput()}`);
      }),
    ]);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { name, url, process: child };
}
