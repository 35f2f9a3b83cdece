import { trace, type Context, type Span } from '@opentelemetry/api';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Resource } from '@opentelemetry/resources';
import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { redactPhones } from './redact.js';

/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured with the standard variables
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT). Off means nothing is
 * loaded and no middleware or interceptor is installed: the services run exactly as without it.
 */

/** Span attributes naming the call (and sub-account) a span belongs to; logs carry them too. */
export const CALL_SID_ATTRIBUTE = 'mctb.call_sid';
export const SUB_ACCOUNT_ID_ATTRIBUTE = 'mctb.sub_account_id';
export const MESSAGE_SID_ATTRIBUTE = 'mctb.message_sid';
/** The attributes a span started in a process inherits from its parent span in that process. */
const CORRELATION_ATTRIBUTES = [CALL_SID_ATTRIBUTE, SUB_ACCOUNT_ID_ATTRIBUTE, MESSAGE_SID_ATTRIBUTE] as const;

/** The standard OpenTelemetry variables a service reads (spread into its env.ts schema). */
export const tracingVariables = {
  /** Where spans go, e.g. http://otel-collector:4318 (the exporter appends /v1/traces). Unset: tracing is off. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** The full traces URL, instead of OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** http/protobuf (default) or http/json; gRPC is not built in (collectors take HTTP on 4318). */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/protobuf', 'http/json']).optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(['http/protobuf', 'http/json']).optional(),
  /** true turns tracing off even with an endpoint set. */
  OTEL_SDK_DISABLED: z.stringbool().default(false),
  /** otlp (default) or none. */
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'none']).default('otlp'),
  /** Defaults to mctb-<service>. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
};

export type TracingEnv = { [K in keyof typeof tracingVariables]?: z.infer<(typeof tracingVariables)[K]> };

export interface Tracing {
  /** Ends spans here (the worker hands it to the workflow span exporter). */
  spanProcessor: SpanProcessor;
  resource: Resource;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

export function tracingEnabled(env: TracingEnv): boolean {
  return !env.OTEL_SDK_DISABLED && env.OTEL_TRACES_EXPORTER !== 'none' && Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Registers a global tracer provider exporting over OTLP/HTTP (batched; the exporter reads the
 * rest of the standard variables itself: headers, timeout, compression, OTEL_BSP_*), with W3C
 * trace-context and baggage propagation. Returns null, loading nothing, when tracing is off.
 */
export async function startTracing(service: string, env: TracingEnv): Promise<Tracing | null> {
  if (!tracingEnabled(env)) return null;
  const [{ BasicTracerProvider, BatchSpanProcessor }, { Resource, envDetectorSync }, { AsyncLocalStorageContextManager }, core] = await Promise.all([
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
  ]);
  const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  const exporter =
    protocol === 'http/json'
      ? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter()
      : new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter();
  const resource = Resource.default()
    .merge(new Resource({ 'service.name': `mctb-${service}`, 'service.namespace': 'mctb' }))
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win.
    .merge(envDetectorSync.detect());
  const spanProcessor = new CorrelationSpanProcessor(new BatchSpanProcessor(exporter));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({
    contextManager: new AsyncLocalStorageContextManager(),
    propagator: new core.CompositePropagator({ propagators: [new core.W3CTraceContextPropagator(), new core.W3CBaggagePropagator()] }),
  });
  return { spanProcessor, resource, shutdown: () => provider.shutdown() };
}

/**
 * Sets correlation attributes on the active span (the webhook's, an activity's). Without tracing
 * there is no active span and this does nothing.
 */
export function annotateSpan(attributes: Partial<Record<(typeof CORRELATION_ATTRIBUTES)[number], string | null | undefined>>): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  for (const [name, value] of Object.entries(attributes)) if (value) span.setAttribute(name, value);
}

/** The trace, span and call a log line is written in (empty outside a span). */
export function logCorrelation(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  const fields: Record<string, string> = { trace_id: traceId, span_id: spanId };
  const attributes = spanAttributes(span);
  if (attributes) {
    const callSid = attributes[CALL_SID_ATTRIBUTE];
    const subAccountId = attributes[SUB_ACCOUNT_ID_ATTRIBUTE];
    const messageSid = attributes[MESSAGE_SID_ATTRIBUTE];
    if (typeof callSid === 'string') fields.callSid = callSid;
    if (typeof subAccountId === 'string') fields.subAccountId = subAccountId;
    if (typeof messageSid === 'string') fields.messageSid = messageSid;
  }
  return fields;
}

/** The SDK's spans keep their attributes readable; the API's interface does not show them. */
function spanAttributes(span: Span | undefined): Record<string, unknown> | undefined {
  const attributes = (span as { attributes?: unknown } | undefined)?.attributes;
  return attributes && typeof attributes === 'object' ? (attributes as Record<string, unknown>) : undefined;
}

/**
 * Every span inherits the call's attributes from its parent in this process (the Temporal client
 * span from the webhook's, the provider's from the activity's), and nothing leaves the process with
 * more of a phone number than its last four digits: workflow ids name the caller, errors may too.
 */
export class CorrelationSpanProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}

  onStart(span: Parameters<SpanProcessor['onStart']>[0], parentContext: Context): void {
    const parent = spanAttributes(trace.getSpan(parentContext));
    if (parent) {
      for (const name of CORRELATION_ATTRIBUTES) {
        const value = parent[name];
        if (typeof value === 'string' && span.attributes[name] === undefined) span.setAttribute(name, value);
      }
    }
    this.next.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    redactAttributes(span.attributes as Record<string, unknown>);
    for (const event of span.events) if (event.attributes) redactAttributes(event.attributes as Record<string, unknown>);
    if (span.status.message) (span.status as { message?: string }).message = redactPhones(span.status.message);
    this.next.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

/**
 * Attributes that hold only identifiers (a CallSid or run id may hold seven digits in a row, which
 * redactPhones would take for a phone number): kept as they are.
 */
const IDENTIFIERS = new Set<string>([
  ...CORRELATION_ATTRIBUTES,
  'run_id',
  'runId',
  'firstExecutionRunId',
  'continuedFromExecutionRunId',
  'originalRunId',
  'temporalActivityId',
  'messaging.message.id',
]);

/**
 * Phone numbers in string attributes reduced to their last four digits; values that are not
 * OpenTelemetry attribute values (objects such as a workflow's memo) dropped, dates made strings.
 */
export function redactAttributes(attributes: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'string') attributes[name] = IDENTIFIERS.has(name) ? value : redactPhones(value);
    else if (typeof value === 'number' || typeof value === 'boolean') continue;
    else if (value instanceof Date) attributes[name] = value.toISOString();
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')) {
      attributes[name] = value.map((item) => (typeof item === 'string' ? redactPhones(item) : item));
    } else delete attributes[name];
  }
}

/**
 * A server span per request (@hono/otel: named by method and route pattern, W3C context taken from
 * the request's headers). Loaded only when tracing is on; install it first so it spans the rest.
 */
export async function requestTracing(service: string): Promise<MiddlewareHandler> {
  const { httpInstrumentationMiddleware } = await import('@hono/otel');
  // Its own request metrics would go to the no-op meter: /metrics (metrics.ts) keeps ours.
  return httpInstrumentationMiddleware({ serviceName: `mctb-${service}`, captureActiveRequests: false });
}
