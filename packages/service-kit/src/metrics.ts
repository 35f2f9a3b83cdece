import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';

type Labels = Record<string, string>;

/** One series per label set, whatever the order its labels were given in (plain code-unit order: no locale on the hot path). */
const key = (labels: Labels) => JSON.stringify(Object.keys(labels).sort().map((name) => [name, labels[name]]));
const format = (labels: Labels) => {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
};

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    const entry = this.values.get(k) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(k, entry);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values()) lines.push(`${this.name}${format(labels)} ${value}`);
    return lines.join('\n');
  }
}

export class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ) {}

  observe(labels: Labels, value: number): void {
    const k = key(labels);
    const entry = this.series.get(k) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((bound, i) => {
      if (value <= bound) entry.counts[i] = (entry.counts[i] ?? 0) + 1;
    });
    entry.sum += value;
    entry.count += 1;
    this.series.set(k, entry);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${format({ ...labels, le: String(bound) })} ${counts[i]}`));
      lines.push(`${this.name}_bucket${format({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`${this.name}_sum${format(labels)} ${sum}`, `${this.name}_count${format(labels)} ${count}`);
    }
    return lines.join('\n');
  }
}

/** A process's metrics, rendered in Prometheus' text format at /metrics. */
export class MetricsRegistry {
  private readonly metrics: (Counter | Histogram)[] = [];

  counter(name: string, help: string): Counter {
    return this.add(new Counter(name, help));
  }

  histogram(name: string, help: string, buckets?: readonly number[]): Histogram {
    return this.add(new Histogram(name, help, buckets));
  }

  render(): string {
    return `${this.metrics.map((metric) => metric.render()).join('\n')}\n`;
  }

  private add<M extends Counter | Histogram>(metric: M): M {
    if (this.metrics.some((m) => m.name === metric.name)) throw new Error(`metric ${metric.name} is registered twice`);
    this.metrics.push(metric);
    return metric;
  }
}

/**
 * Counts requests and their latency by method, route pattern (not raw path) and status: on the
 * gateway, the webhook latency per Twilio route and answer.
 */
export function httpMetrics(registry: MetricsRegistry): MiddlewareHandler {
  const requests = registry.counter('http_requests_total', 'HTTP requests handled');
  const duration = registry.histogram('http_request_duration_seconds', 'HTTP request latency');
  return async (c, next) => {
    const started = performance.now();
    await next();
    const labels = { method: c.req.method, route: routePath(c), status: String(c.res.status) };
    requests.inc(labels);
    duration.observe(labels, (performance.now() - started) / 1000);
  };
}
