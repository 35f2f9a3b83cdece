import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './log.js';
import { annotateSpan, CorrelationSpanProcessor, logCorrelation, redactAttributes, startTracing, tracingEnabled } from './tracing.js';

describe('tracing is off unless an OTLP endpoint is configured', () => {
  it('is off with nothing set, when disabled, or with the exporter set to none', async () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: true })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(await startTracing('test', {})).toBeNull();
  });

  it('without a tracer provider, annotating and log correlation do nothing', () => {
    expect(() => annotateSpan({ 'mctb.call_sid': 'CA1' })).not.toThrow();
    expect(logCorrelation()).toEqual({});
  });
});

describe('with a tracer provider (the correlation processor in front of an exporter)', () => {
  const exporter = new InMemorySpanExporter();
  const contextManager = new AsyncLocalStorageContextManager();
  let provider: BasicTracerProvider;

  beforeAll(() => {
    provider = new BasicTracerProvider({ spanProcessors: [new CorrelationSpanProcessor(new SimpleSpanProcessor(exporter))] });
    context.setGlobalContextManager(contextManager.enable());
    trace.setGlobalTracerProvider(provider);
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('children inherit the call and sub-account from their parent in the process; phone numbers leave as their last four digits', () => {
    exporter.reset();
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan('webhook', (webhook) => {
      annotateSpan({ 'mctb.call_sid': 'CA1234567890abcdef1234567890abcdef', 'mctb.sub_account_id': '12345678-1234-4234-8234-123456789012' });
      tracer.startActiveSpan('SignalWithStartWorkflow', (client) => {
        client.setAttribute('temporalWorkflowId', 'textback/sub/+15125550123');
        client.recordException(new Error('could not reach +1 (512) 555-0123'));
        client.setStatus({ code: 2, message: 'failed for +15125550123' });
        client.end();
      });
      webhook.end();
    });
    const [client, webhook] = exporter.getFinishedSpans();
    expect(webhook!.attributes).toMatchObject({ 'mctb.call_sid': 'CA1234567890abcdef1234567890abcdef' });
    // Identifiers are kept as they are, even where they hold seven digits in a row.
    expect(client!.attributes).toEqual({
      'mctb.call_sid': 'CA1234567890abcdef1234567890abcdef',
      'mctb.sub_account_id': '12345678-1234-4234-8234-123456789012',
      temporalWorkflowId: 'textback/sub/…0123',
    });
    expect(JSON.stringify(client!.events)).not.toContain('555');
    expect(client!.status.message).toBe('failed for …0123');
  });

  it('log lines written in a span carry its trace, span, call and sub-account; fields given win', () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const log = createLogger('test', 'info', sink);
    log.info('outside');
    trace.getTracer('test').startActiveSpan('activity', (span) => {
      annotateSpan({ 'mctb.call_sid': 'CA1', 'mctb.sub_account_id': 'sub-1' });
      log.info('inside');
      log.info({ callSid: 'CA2' }, 'given');
      span.end();
    });
    const { traceId, spanId } = exporter.getFinishedSpans().at(-1)!.spanContext();
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({ trace_id: traceId, span_id: spanId, callSid: 'CA1', subAccountId: 'sub-1', msg: 'inside' });
    expect(lines[2]).toMatchObject({ trace_id: traceId, callSid: 'CA2' });
  });
});

describe('redactAttributes', () => {
  it('keeps numbers and booleans, makes dates strings, drops objects, redacts strings and string arrays', () => {
    const attributes: Record<string, unknown> = {
      count: 3,
      ok: true,
      at: new Date('2026-01-02T03:04:05Z'),
      memo: { caller: '+15125550123' },
      to: ['+15125550123', 'x'],
      runId: '01234567-89ab-4cde-8f01-234567890123',
    };
    redactAttributes(attributes);
    expect(attributes).toEqual({ count: 3, ok: true, at: '2026-01-02T03:04:05.000Z', to: ['…0123', 'x'], runId: '01234567-89ab-4cde-8f01-234567890123' });
  });
});
