/**
 * Workflow interceptors of the traced workflow bundle (services/worker build-workflow-bundle.ts),
 * placed after @temporalio/interceptors-opentelemetry's so its span is the active one here: they
 * name the call and sub-account on the run's spans (the run, each signal, each activity it
 * schedules) and hand them to the activities in a header. Setting span attributes and headers
 * issues no command, so replay and histories are the same with or without them.
 */
import { trace, type Span } from '@opentelemetry/api';
import { defaultPayloadConverter, type Headers } from '@temporalio/common';
import type { WorkflowInboundCallsInterceptor, WorkflowInterceptors, WorkflowOutboundCallsInterceptor } from '@temporalio/workflow';
import { CORRELATION_HEADER, correlationOf, type Correlation } from './correlation.js';

// The same names as @mctb/service-kit's CALL_SID_ATTRIBUTE and SUB_ACCOUNT_ID_ATTRIBUTE.
const CALL_SID = 'mctb.call_sid';
const SUB_ACCOUNT_ID = 'mctb.sub_account_id';

function annotate(span: Span | undefined, correlation: Correlation): void {
  if (!span) return;
  if (correlation.callSid) span.setAttribute(CALL_SID, correlation.callSid);
  if (correlation.subAccountId) span.setAttribute(SUB_ACCOUNT_ID, correlation.subAccountId);
}

function withHeader(headers: Headers, correlation: Correlation): Headers {
  return { ...headers, [CORRELATION_HEADER]: defaultPayloadConverter.toPayload(correlation) };
}

/** One set per run: the run is about its sub-account and the call that started it. */
export const interceptors = (): WorkflowInterceptors => {
  const run: Correlation = {};
  let runSpan: Span | undefined;
  const learn = (found: Correlation) => {
    const changed = (run.subAccountId === undefined && found.subAccountId !== undefined) || (run.callSid === undefined && found.callSid !== undefined);
    run.subAccountId ??= found.subAccountId;
    run.callSid ??= found.callSid;
    if (run.subAccountId === undefined) delete run.subAccountId;
    if (run.callSid === undefined) delete run.callSid;
    if (changed) annotate(runSpan, run);
  };
  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input, next) {
      learn(correlationOf(input.args[0]));
      runSpan = trace.getActiveSpan();
      annotate(runSpan, run);
      return next(input);
    },
    handleSignal(input, next) {
      const found = correlationOf(input.args[0]);
      learn(found);
      // A signal about another call (a repeat caller) names that call on its own span.
      annotate(trace.getActiveSpan(), { ...run, ...found });
      return next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity(input, next) {
      const correlation = { ...run, ...correlationOf(input.args[0]) };
      annotate(trace.getActiveSpan(), correlation);
      return next({ ...input, headers: withHeader(input.headers, correlation) });
    },
    scheduleLocalActivity(input, next) {
      const correlation = { ...run, ...correlationOf(input.args[0]) };
      annotate(trace.getActiveSpan(), correlation);
      return next({ ...input, headers: withHeader(input.headers, correlation) });
    },
  };
  return { inbound: [inbound], outbound: [outbound] };
};
