import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux everywhere that matters). */
const TICKS_PER_SECOND = 100;

interface Reading {
  at: number;
  /** Per process: its CPU ticks and those of the children it has reaped, and its parent. */
  processes: Map<number, { ppid: number; ticks: number }>;
  machine: { busy: number; iowait: number; total: number };
  self: NodeJS.CpuUsage;
}

/** CPU use while `work` ran, in cores (1 = one core busy the whole time), from /proc before and after. */
export interface CpuFigures<Role extends string> {
  seconds: number;
  /** Per role, the sum over its processes. */
  byRole: Record<Role, number>;
  /** Each process with its descendants, by role and pid. */
  byProcess: { role: Role; pid: number; cores: number }[];
  /** This process: the load generator and the stand-in Twilio. */
  bench: number;
  /** Everything on the machine, others' work included, and time spent waiting on disk. */
  machineBusy: number;
  machineIowait: number;
  machineCores: number;
}

/**
 * Runs `work` and reports what each process with its descendants (a service, or PostgreSQL with
 * its backends) used of the CPU meanwhile, from readings of /proc once a second. A descendant that
 * ended in between counts through its parent's reaped-children time. `busyMs` (from the start) ends
 * the window early, at the last reading before it: a burst's last text, not its wait for lost ones.
 */
export async function measureCpu<Role extends string, T>(
  processes: () => { role: Role; pid: number }[],
  work: () => Promise<T>,
  busyMs?: (result: T) => number,
): Promise<{ result: T; cpu: CpuFigures<Role> }> {
  const before = read();
  const readings: Reading[] = [];
  const timer = setInterval(() => readings.push(read()), 1_000);
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(timer);
  }
  const end = busyMs ? before.at + busyMs(result) : Number.POSITIVE_INFINITY;
  const last = read();
  const after = last.at <= end ? last : (readings.filter((r) => r.at <= end).at(-1) ?? last);
  const seconds = (after.at - before.at) / 1000;
  const cores = (ticks: number) => ticks / TICKS_PER_SECOND / seconds;
  const byProcess = processes().map(({ role, pid }) => ({ role, pid, cores: cores(treeTicks(after, pid) - treeTicks(before, pid)) }));
  const byRole = {} as Record<Role, number>;
  for (const { role, cores: used } of byProcess) byRole[role] = (byRole[role] ?? 0) + used;
  const total = after.machine.total - before.machine.total;
  const machineCores = readFileSync('/proc/stat', 'utf8').split('\n').filter((line) => /^cpu\d+ /.test(line)).length;
  return {
    result,
    cpu: {
      seconds,
      byRole,
      byProcess,
      bench: (after.self.user + after.self.system - before.self.user - before.self.system) / 1e6 / seconds,
      machineBusy: ((after.machine.busy - before.machine.busy) / total) * machineCores,
      machineIowait: ((after.machine.iowait - before.machine.iowait) / total) * machineCores,
      machineCores,
    },
  };
}

/** Ticks of `root` and every process below it (PostgreSQL's backends each lead a session of their own, so not its group). */
function treeTicks(reading: Reading, root: number): number {
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of reading.processes) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  let ticks = 0;
  const pending = reading.processes.has(root) ? [root] : [];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    ticks += reading.processes.get(pid)!.ticks;
    pending.push(...(children.get(pid) ?? []));
  }
  return ticks;
}

/** Synchronous on purpose: a few hundred small reads cost a few ms so, and several times that through the thread pool. */
function read(): Reading {
  const processes = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone since the listing
    }
    // After the command name (which may hold spaces and parentheses): state ppid … utime stime cutime cstime.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [ppid, utime, stime, cutime, cstime] = [1, 11, 12, 13, 14].map((i) => Number(fields[i])) as [number, number, number, number, number];
    processes.set(Number(entry), { ppid, ticks: utime + stime + cutime + cstime });
  }
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return { at: performance.now(), processes, machine: { busy, iowait, total: busy + idle + iowait }, self: process.cpuUsage() };
}
