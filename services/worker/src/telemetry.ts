import { annotateSpan, describeError, lastFour, redactPhones, type Logger, type MetricsRegistry } from '@mctb/service-kit';
import { ProviderUnavailableError, type OutboundSms, type SmsProvider } from '@mctb/sms';
import { CallSweeper, type SweepReport } from '@mctb/telephony';
import { CORRELATION_HEADER, correlationOf, type Correlation } from '@mctb/workflows';
import { SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptors } from '@temporalio/worker';

/**
 * Names the call and sub-account on each activity's span (the one Temporal's OpenTelemetry
 * interceptor opened, so it goes after it): from the activity's input, else from what its run
 * passed in the correlation header (packages/workflows tracing-interceptors.ts).
 */
export function correlationActivityInterceptor(): ActivityInterceptors {
  return {
    inbound: {
      async execute(input, next) {
        const header = input.headers[CORRELATION_HEADER];
        const fromRun: Correlation = header ? (defaultPayloadConverter.fromPayload(header) as Correlation) : {};
        const correlation = { ...fromRun, ...correlationOf(input.args[0]) };
        annotateSpan({ 'mctb.call_sid': correlation.callSid, 'mctb.sub_account_id': correlation.subAccountId });
        return next(input);
      },
    },
  };
}

/** What the provider said, as a metric label. */
type ProviderResult = 'accepted' | 'rejected' | 'found' | 'not_found' | 'error';

export interface ProviderTelemetry {
  metrics: MetricsRegistry;
  log: Logger;
  /** Spans for each provider request; only when tracing is on. */
  tracer?: Tracer;
}

/**
 * The providers, each request timed and counted (`mctb_provider_request_duration_seconds` by
 * provider, operation and result; `mctb_provider_errors_total` by provider, operation, kind and
 * code: the provider's refusal code or the HTTP status of a transient failure), logged without the
 * recipient's number beyond its last four digits nor the text, and a client span when traced.
 */
export function instrumentProviders(providers: Record<string, SmsProvider>, telemetry: ProviderTelemetry): Record<string, SmsProvider> {
  const duration = telemetry.metrics.histogram('mctb_provider_request_duration_seconds', "SMS provider requests' latency, by provider, operation (send, find) and result", [
    0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
  ]);
  const errors = telemetry.metrics.counter('mctb_provider_errors_total', 'SMS provider requests that failed (kind unavailable: retried) or were refused (kind rejected), by provider, operation and code');
  return Object.fromEntries(Object.entries(providers).map(([key, provider]) => [key, new MeasuredProvider(provider, { ...telemetry, duration, errors })]));
}

class MeasuredProvider implements SmsProvider {
  constructor(
    private readonly inner: SmsProvider,
    private readonly telemetry: ProviderTelemetry & { duration: ReturnType<MetricsRegistry['histogram']>; errors: ReturnType<MetricsRegistry['counter']> },
  ) {}

  get name(): string {
    return this.inner.name;
  }

  send(sms: OutboundSms) {
    return this.measure('send', sms, () => this.inner.send(sms), (result) => {
      if (result.kind === 'accepted') return { result: 'accepted', status: result.status, providerMessageId: result.providerMessageId };
      return { result: 'rejected', code: result.code === null ? 'none' : String(result.code), reason: result.reason };
    });
  }

  findAccepted(sms: OutboundSms, since: Date) {
    return this.measure('find', sms, () => this.inner.findAccepted(sms, since), (found) =>
      found ? { result: 'found', status: found.status, providerMessageId: found.providerMessageId } : { result: 'not_found' },
    );
  }

  private async measure<T>(
    operation: 'send' | 'find',
    sms: OutboundSms,
    call: () => Promise<T>,
    describe: (value: T) => { result: ProviderResult; status?: string; providerMessageId?: string; code?: string; reason?: string },
  ): Promise<T> {
    const { tracer } = this.telemetry;
    if (!tracer) return this.observe(operation, sms, call, describe);
    return tracer.startActiveSpan(
      `sms.${operation} ${this.inner.name}`,
      { kind: SpanKind.CLIENT, attributes: { 'mctb.provider': this.inner.name, 'mctb.send_intent': sms.intentId, 'messaging.system': this.inner.name } },
      async (span) => {
        try {
          return await this.observe(operation, sms, call, (value) => {
            const described = describe(value);
            span.setAttribute('mctb.provider.result', described.result);
            if (described.status) span.setAttribute('mctb.provider.status', described.status);
            if (described.providerMessageId) span.setAttribute('messaging.message.id', described.providerMessageId);
            if (described.code) span.setAttribute('mctb.provider.error_code', described.code);
            return described;
          });
        } catch (error) {
          span.setAttribute('mctb.provider.result', 'error');
          span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async observe<T>(
    operation: 'send' | 'find',
    sms: OutboundSms,
    call: () => Promise<T>,
    describe: (value: T) => { result: ProviderResult; status?: string; code?: string; reason?: string },
  ): Promise<T> {
    const { duration, errors, log } = this.telemetry;
    const provider = this.inner.name;
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    let value: T;
    try {
      value = await call();
    } catch (error) {
      const elapsed = seconds();
      duration.observe({ provider, operation, result: 'error' }, elapsed);
      const code = errorCode(error);
      errors.inc({ provider, operation, kind: 'unavailable', code });
      log.warn({ provider, operation, intentId: redactPhones(sms.intentId), to: lastFour(sms.to), code, ms: Math.round(elapsed * 1000), err: error }, 'SMS provider request failed; the send is retried');
      throw error;
    }
    const elapsed = seconds();
    const described = describe(value);
    duration.observe({ provider, operation, result: described.result }, elapsed);
    if (described.result === 'rejected') {
      errors.inc({ provider, operation, kind: 'rejected', code: described.code ?? 'none' });
      log.warn(
        { provider, operation, intentId: redactPhones(sms.intentId), to: lastFour(sms.to), code: described.code, reason: redactPhones(described.reason ?? '') },
        'SMS provider refused the text',
      );
    } else {
      log.debug({ provider, operation, intentId: redactPhones(sms.intentId), to: lastFour(sms.to), result: described.result, status: described.status, ms: Math.round(elapsed * 1000) }, 'SMS provider request');
    }
    return value;
  }
}

/** A transient failure's code for the metric: the HTTP status, the error's own code, else its kind. */
function errorCode(error: unknown): string {
  if (error instanceof ProviderUnavailableError && error.httpStatus !== null) return String(error.httpStatus);
  const code = (error as { code?: unknown; status?: unknown } | null)?.code ?? (error as { status?: unknown } | null)?.status;
  if (typeof code === 'string' || typeof code === 'number') return String(code).slice(0, 32);
  return error instanceof Error ? error.name.slice(0, 32) : 'unknown';
}

/**
 * `mctb_textback_outcomes_total`: calls whose text-back was settled, by status (sent, skipped,
 * failed) and the reason's kind (its words before the colon: dedup, excluded, refused, …).
 */
export function countTextBackOutcomes(metrics: MetricsRegistry): (status: string, reason: string | null, calls: number) => void {
  const outcomes = metrics.counter('mctb_textback_outcomes_total', "Calls whose text-back was settled, by status and the reason's kind");
  return (status, reason, calls) => outcomes.inc({ status, reason: reasonKind(reason) }, calls);
}

/** "dedup: already texted within…" → "dedup"; free-form reasons → "other" (labels stay few). */
export function reasonKind(reason: string | null): string {
  if (!reason) return 'none';
  const kind = /^([a-z][a-z -]{0,30}):/.exec(reason)?.[1];
  return kind ?? 'other';
}

/** The worker's tracer for spans of its own (provider requests). */
export function workerTracer(): Tracer {
  return trace.getTracer('mctb-worker');
}

/**
 * `mctb_sweeper_redrives_total`: what the sweeper re-drove, by kind: resignalled (an outcome's
 * signal that never reached its workflow), redriven (a text-back left unsettled, handed to its
 * workflow again), settled_from_provider (a call without an outcome, settled from Twilio's record).
 */
export class CountingCallSweeper extends CallSweeper {
  private readonly redrives;

  constructor(deps: ConstructorParameters<typeof CallSweeper>[0], metrics: MetricsRegistry) {
    super(deps);
    this.redrives = metrics.counter('mctb_sweeper_redrives_total', 'Calls the sweeper re-drove, by kind: resignalled, redriven, settled_from_provider');
  }

  override async sweep(): Promise<SweepReport | null> {
    const report = await super.sweep();
    if (report) {
      if (report.resignalled > 0) this.redrives.inc({ kind: 'resignalled' }, report.resignalled);
      if (report.redriven > 0) this.redrives.inc({ kind: 'redriven' }, report.redriven);
      if (report.settledFromProvider > 0) this.redrives.inc({ kind: 'settled_from_provider' }, report.settledFromProvider);
    }
    return report;
  }
}
