import { spawn, type ChildProcess } from 'node:child_process';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The last lines the process printed, for error messages. */
  recentOutput(): string;
  stop(): Promise<void>;
  /** Sends `signal` to the whole group at once (SIGKILL: a crash) and waits until the process is gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

export interface StartProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives each line of stdout and stderr. */
  onLine?: (line: string) => void;
  /** The signal stop() sends first (SIGTERM unless the program wants another). */
  stopSignal?: NodeJS.Signals;
  /** Run as this user (we must be root). */
  uid?: number;
  gid?: number;
}

const running = new Set<ChildProcess>();

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the whole group is already gone
  }
}

// Children run in their own process group; whatever way this process ends, take them with it.
process.once('exit', () => {
  for (const child of running) signalGroup(child.pid, 'SIGKILL');
});

/** Starts a long-running child in its own process group, so stop() also ends its descendants. */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: StartProcessOptions = {},
): ManagedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    ...(options.gid !== undefined ? { gid: options.gid } : {}),
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  running.add(child);

  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > 200) lines.shift();
      options.onLine?.(line);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => {
      running.delete(child);
      resolveExit(code);
    });
    child.once('error', () => {
      running.delete(child);
      resolveExit(-1);
    });
  });

  return {
    name,
    pid: child.pid,
    exited,
    recentOutput: () => lines.join('\n'),
    async kill(signal) {
      if (!running.has(child)) return;
      signalGroup(child.pid, signal);
      await exited;
      signalGroup(child.pid, 'SIGKILL');
    },
    async stop() {
      if (!running.has(child)) return;
      signalGroup(child.pid, options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
      // The leader may exit before the rest of its group.
      signalGroup(child.pid, 'SIGKILL');
    },
  };
}
