import { definePlugin, StepFailure, type Plugin } from '@mctb/plugin-sdk';
import { scoreCallerSettingsSchema, spamGuardConfigSchema, type SpamGuardConfig } from './config.js';

export const DEFAULT_THRESHOLD = 70;
/** Calls from one number within this window count as a burst (robodialers retry fast). */
export const BURST_WINDOW_MS = 10 * 60_000;
const BURST_POINTS = 25;
const TRACKED_CALLERS = 10_000;

export interface CallerVerdict {
  /** 0 (nothing suspicious) to 100 (a known robocaller). */
  score: number;
  reasons: string[];
  /** Why a text to this caller is refused, or null when it may go out. */
  block: string | null;
}

/** What the lists say about a caller, plus the calls it made lately. */
export function judgeCaller(config: SpamGuardConfig, caller: string | null, recentCalls = 0): CallerVerdict {
  if (caller === null) return { score: 0, reasons: ['caller ID withheld'], block: null };
  if (config.allowNumbers.includes(caller)) return { score: 0, reasons: ['allowed number'], block: null };
  const reasons: string[] = [];
  let score = 0;
  let block: string | null = null;
  const prefix = config.blockedPrefixes.filter((candidate) => caller.startsWith(candidate)).sort((a, b) => b.length - a.length)[0];
  if (config.blockedNumbers.includes(caller)) {
    score = 100;
    reasons.push('known robocaller');
    block = `${caller} is a known robocaller`;
  } else if (prefix !== undefined) {
    score = 90;
    reasons.push(`blocked prefix ${prefix}`);
    block = `${caller} matches the blocked prefix ${prefix}`;
  }
  if (recentCalls > 1) {
    score = Math.min(100, score + BURST_POINTS * (recentCalls - 1));
    reasons.push(`called ${recentCalls} times in ${BURST_WINDOW_MS / 60_000} min`);
  }
  return { score, reasons: reasons.length > 0 ? reasons : ['no spam signals'], block };
}

/** Recent calls per sub-account and caller, in memory (bounded: the least recently seen callers go first). */
class RecentCalls {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  record(subAccountId: string, caller: string): void {
    const key = `${subAccountId} ${caller}`;
    const times = this.recent(key);
    times.push(this.now());
    this.calls.delete(key);
    this.calls.set(key, times);
    while (this.calls.size > TRACKED_CALLERS) this.calls.delete(this.calls.keys().next().value!);
  }

  count(subAccountId: string, caller: string): number {
    return this.recent(`${subAccountId} ${caller}`).length;
  }

  private recent(key: string): number[] {
    const since = this.now() - BURST_WINDOW_MS;
    return (this.calls.get(key) ?? []).filter((time) => time > since);
  }
}

/**
 * Spam Guard, a remote plugin: no text-back to known robocallers or blocked prefixes (vetoed with
 * the reason), and a `score_caller` workflow step that scores the caller, counting bursts of calls
 * it saw through `call.completed`. Each server keeps its own recent calls (a retried delivery is
 * not counted twice: the server answers it from its kept answers).
 */
export function createSpamGuard(options: { now?: () => number } = {}): Plugin<SpamGuardConfig> {
  const recent = new RecentCalls(options.now ?? Date.now);
  return definePlugin<SpamGuardConfig>({
    manifest: {
      id: 'spam-guard',
      name: 'Spam Guard',
      version: '0.1.0',
      description: 'Keeps missed-call text-backs away from known robocallers and premium-rate prefixes, and scores callers for workflows.',
      author: 'Spam Guard Labs',
      permissions: ['calls:read', 'textback:veto'],
      configSchema: spamGuardConfigSchema,
      // Better to text a robocaller now and then than to stay silent to a customer because we were down.
      failurePolicy: 'open',
      hookPolicies: {
        'textback.beforeSend': { timeoutMs: 2_000, failurePolicy: 'open' },
        'call.completed': { timeoutMs: 2_000, retries: 2 },
      },
      steps: {
        score_caller: {
          description: 'Scores the caller from 0 to 100 (blocked number 100, blocked prefix 90, bursts of calls); output.flagged when at or above the threshold.',
          configSchema: scoreCallerSettingsSchema,
          timeoutMs: 2_000,
          retries: 1,
        },
      },
    },
    hooks: {
      async 'textback.beforeSend'({ call }, { config }) {
        const { block } = judgeCaller(config, call.from);
        return block === null ? { veto: false } : { veto: true, reason: `spam-guard: ${block}` };
      },
      // Outcomes stay as they are; the call only counts toward its caller's burst.
      async 'call.completed'({ call }) {
        if (call.from !== null) recent.record(call.subAccountId, call.from);
        return {};
      },
    },
    steps: {
      async score_caller(input, { config }) {
        const settings = scoreCallerSettingsSchema.safeParse(input.with);
        if (!settings.success) {
          throw new StepFailure(`score_caller: ${settings.error.issues.map((issue) => `with.${issue.path.map(String).join('.') || '(settings)'}: ${issue.message}`).join('; ')}`);
        }
        const threshold = settings.data.threshold ?? DEFAULT_THRESHOLD;
        const caller = input.call ? input.call.from : input.contact.phone;
        const subAccountId = input.call?.subAccountId;
        const calls = caller !== null && subAccountId !== undefined ? recent.count(subAccountId, caller) : 0;
        const verdict = judgeCaller(config, caller, calls);
        return {
          summary: `score ${verdict.score}: ${verdict.reasons.join(', ')}`,
          output: { score: verdict.score, threshold, flagged: verdict.score >= threshold, reasons: verdict.reasons },
        };
      },
    },
  });
}

export const spamGuard = createSpamGuard();
