import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as the OTLP/JSON exporters send it, flattened with its service. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
  status: { code: number; message?: string };
}

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT (the exporters post to /v1/traces). */
  url: string;
  spans(): ReceivedSpan[];
  /** Every request body as received, for the record. */
  requests(): unknown[];
  stop(): Promise<void>;
}

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: AnyValue[] };
  kvlistValue?: { values?: KeyValue[] };
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: KeyValue[];
  status?: { code?: number; message?: string };
}
interface ExportTraceServiceRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

function valueOf(value: AnyValue | undefined): unknown {
  if (!value) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.kvlistValue) return attributesOf(value.kvlistValue.values);
  return undefined;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, valueOf(value)]));
}

/**
 * A local OTLP/HTTP trace receiver for the JSON encoding (OTEL_EXPORTER_OTLP_PROTOCOL=http/json):
 * what an OpenTelemetry Collector's otlp receiver takes on :4318/v1/traces, kept in memory.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces' || !(req.headers['content-type'] ?? '').startsWith('application/json')) {
        res.writeHead(415, { 'content-type': 'text/plain' }).end(`this receiver takes OTLP/JSON at POST /v1/traces, not ${req.method} ${req.url} ${req.headers['content-type']}`);
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportTraceServiceRequest;
      bodies.push(body);
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? 'unknown');
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            received.push({
              service,
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ? span.parentSpanId : null,
              name: span.name,
              kind: span.kind ?? 0,
              startNs: BigInt(span.startTimeUnixNano),
              endNs: BigInt(span.endTimeUnixNano),
              attributes: attributesOf(span.attributes),
              status: { code: span.status?.code ?? 0, ...(span.status?.message ? { message: span.status.message } : {}) },
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...received],
    requests: () => [...bodies],
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/**
 * A trace as text: its span tree (parents that never arrived, such as a workflow run still open,
 * shown as such), each span with its service, kind, start offset, duration and the attributes named.
 */
export function formatTrace(spans: ReceivedSpan[], shownAttributes: (name: string) => boolean): string {
  if (spans.length === 0) return '(no spans)';
  const start = spans.reduce((min, span) => (span.startNs < min ? span.startNs : min), spans[0]!.startNs);
  const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(1);
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, ReceivedSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : span.parentSpanId ? `missing:${span.parentSpanId}` : null;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  for (const list of children.values()) list.sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const lines = [`trace ${spans[0]!.traceId}: ${spans.length} spans`];
  const print = (span: ReceivedSpan, indent: string, last: boolean) => {
    const attributes = Object.entries(span.attributes)
      .filter(([name]) => shownAttributes(name))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    const status = span.status.code === 2 ? ` ERROR${span.status.message ? ` (${span.status.message})` : ''}` : '';
    lines.push(
      `${indent}${last ? '└─ ' : '├─ '}${span.name}  [${span.service}, ${KINDS[span.kind] ?? span.kind}] +${ms(span.startNs - start)} ms, ${ms(span.endNs - span.startNs)} ms${status}`,
    );
    const childIndent = `${indent}${last ? '   ' : '│  '}`;
    if (attributes.length > 0) lines.push(`${childIndent}${(children.get(span.spanId) ?? []).length > 0 ? '│' : ' '}    ${attributes.join('  ')}`);
    const mine = children.get(span.spanId) ?? [];
    mine.forEach((child, i) => print(child, childIndent, i === mine.length - 1));
  };
  const roots = [...(children.get(null) ?? [])];
  roots.forEach((span, i) => print(span, '', i === roots.length - 1));
  for (const [parent, list] of children) {
    if (parent === null || !parent.startsWith('missing:')) continue;
    lines.push(`(span ${parent.slice('missing:'.length)}, not exported: a span still open, e.g. a workflow run waiting)`);
    list.forEach((span, i) => print(span, '', i === list.length - 1));
  }
  return lines.join('\n');
}
