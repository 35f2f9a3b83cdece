import { repoRoot } from '@mctb/devstack';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTrace, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver.js';
import { onboard } from './provision.js';
import { eventually, startStack, type Stack } from './stack.js';

const BUSINESS_NUMBER = '+15125550300';
const FORWARDING_NUMBER = '+15125550399';
const CALLER = '+15125550277';
const CALL_SID = 'CA-trace-0000000000000000000000001';
const BODY_WORDS = 'sorry we missed your call at Traced Plumbing';
/** The trace dump and the spans it was made from (gitignored), quoted in notes about tracing. */
const ARTIFACTS = join(repoRoot, 'test-artifacts', 'tracing');

interface LogLine {
  source: string;
  text: string;
  json: Record<string, unknown> | null;
}

describe('one trace from the webhook through Temporal to the provider call (separate processes, OTLP/HTTP)', () => {
  let stack: Stack;
  let receiver: OtlpReceiver;
  let subAccountId: string;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    // The standard variables, as an operator sets them; short batches so the test doesn't wait 5 s.
    const traced = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      LOG_LEVEL: 'debug',
    };
    stack = await startStack({
      serviceEnv: { gateway: traced, worker: traced, 'control-plane': traced },
      onLine: (source, text) => {
        let json: Record<string, unknown> | null = null;
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // Not every line a process prints is ours (e.g. a crash's stack); kept as text.
        }
        lines.push({ source, text, json });
      },
    });
    // No delay and no dedup window: the run ends after its text, so its own span is exported too.
    subAccountId = await onboard(stack, {
      name: 'Traced Plumbing',
      timeZone: 'America/Chicago',
      twilioNumber: BUSINESS_NUMBER,
      forwardingNumber: FORWARDING_NUMBER,
      snapshotYaml: (await readFile(join(repoRoot, 'snapshots/missed-call-text-back.yaml'), 'utf8')).replace(/delay: 60s/, 'delay: 0s').replace(/dedupWindow: 24h/, 'dedupWindow: 0s'),
      customValues: { booking_link: 'https://book.example/traced' },
    });
  });

  afterAll(async () => {
    // Everything received, for a failure's diagnosis.
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, 'received-spans.txt'), receiver.spans().map((s) => `${s.traceId} ${s.service} ${s.name} ${JSON.stringify(s.attributes)}`).join('\n'));
    await writeFile(join(ARTIFACTS, 'logs.txt'), lines.map((line) => `[${line.source}] ${line.text}`).join('\n'));
    await stack?.stop();
    await receiver?.stop();
  });

  it('links the webhook span, the workflow spans and the provider send in one trace, each naming the call and sub-account; logs carry the same ids and no phone number or text', async () => {
    const webhook = (path: string, params: Record<string, string>) => stack.webhook(path, { CallSid: CALL_SID, From: CALLER, To: BUSINESS_NUMBER, ...params });
    expect((await webhook('/twilio/voice/incoming', { CallStatus: 'ringing' })).status).toBe(200);
    expect((await webhook('/twilio/voice/dial-result', { CallStatus: 'in-progress', DialCallStatus: 'no-answer' })).status).toBe(200);
    await eventually(async () => expect(stack.twilio.messages().filter((m) => m.to === CALLER)).toHaveLength(1));
    const [text] = stack.twilio.messages().filter((m) => m.to === CALLER);
    expect(text!.body).toContain(BODY_WORDS);

    // The dial result's span: the webhook that decided the call was missed and started the text-back.
    const isDialResult = (span: ReceivedSpan) => span.service === 'mctb-gateway' && span.attributes['http.route'] === '/twilio/voice/dial-result';
    const trace = await eventually(
      async () => {
        const dial = receiver.spans().find((span) => isDialResult(span) && span.attributes['mctb.call_sid'] === CALL_SID);
        expect(dial, 'the dial-result webhook span').toBeDefined();
        const spans = receiver.spans().filter((span) => span.traceId === dial!.traceId);
        expect(spans.map((span) => span.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^sms\.send twilio$/), expect.stringMatching(/^RunWorkflow:textBackWorkflow$/)]));
        return spans;
      },
      { timeoutMs: 30_000 },
    );

    const dump = formatTrace(trace, (name) => /^(mctb\.|http\.route|http\.response\.status_code|messaging\.|temporal(Workflow|Activity)Id$|workflowId$)/.test(name));
    await mkdir(ARTIFACTS, { recursive: true });
    await writeFile(join(ARTIFACTS, 'missed-call-trace.txt'), `${dump}\n`);
    await writeFile(join(ARTIFACTS, 'missed-call-trace.json'), JSON.stringify(trace, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2));
    console.log(`${dump}\n(saved in ${join(ARTIFACTS, 'missed-call-trace.txt')})`);

    const named = (pattern: RegExp) => trace.filter((span) => pattern.test(span.name));
    const gateway = trace.filter(isDialResult);
    const client = named(/^SignalWithStartWorkflow:textBackWorkflow$/);
    const workflow = named(/^(RunWorkflow|HandleSignal|StartActivity):/);
    const activities = named(/^RunActivity:/);
    const send = named(/^sms\.send twilio$/);
    expect(gateway).toHaveLength(1);
    expect(client).toHaveLength(1);
    expect(workflow.map((span) => span.name)).toEqual(expect.arrayContaining(['RunWorkflow:textBackWorkflow', 'HandleSignal:missedCall', 'StartActivity:sendTextBack']));
    expect(activities.map((span) => span.name)).toContain('RunActivity:sendTextBack');
    expect(send).toHaveLength(1);
    // Links: webhook → client → run → … → the send's activity → the provider request.
    expect(client[0]!.parentSpanId).toBe(gateway[0]!.spanId);
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const ancestry = (span: ReceivedSpan): string[] => {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      return parent ? [parent.name, ...ancestry(parent)] : [];
    };
    expect(ancestry(send[0]!)).toEqual(expect.arrayContaining(['RunActivity:sendTextBack', 'StartActivity:sendTextBack', 'RunWorkflow:textBackWorkflow', 'SignalWithStartWorkflow:textBackWorkflow', gateway[0]!.name]));
    expect(send[0]!.attributes).toMatchObject({ 'mctb.provider': 'twilio', 'mctb.provider.result': 'accepted' });
    expect(new Set(trace.map((span) => span.service))).toEqual(new Set(['mctb-gateway', 'mctb-worker']));

    // Every span of the call's trace names the call and the sub-account.
    for (const span of trace) {
      expect(span.attributes, span.name).toMatchObject({ 'mctb.call_sid': CALL_SID, 'mctb.sub_account_id': subAccountId });
    }
    // Nothing exported holds more of a phone number than its last four digits (workflow ids name the caller).
    const exported = JSON.stringify(receiver.requests());
    for (const number of [CALLER, FORWARDING_NUMBER]) expect(exported).not.toContain(number.slice(2));
    expect(exported).not.toContain(BODY_WORDS);

    // Prometheus, in the same processes: the webhook's latency by route and status, the provider
    // request's latency, the text-back's outcome.
    const gatewayMetrics = await (await fetch(`${stack.platform.gatewayUrl}/metrics`)).text();
    expect(gatewayMetrics).toMatch(/^http_request_duration_seconds_count\{method="POST",route="\/twilio\/voice\/dial-result",status="200"\} 1$/m);
    const workerMetrics = await (await fetch(`${stack.platform.workerUrl}/metrics`)).text();
    expect(workerMetrics).toMatch(/^mctb_provider_request_duration_seconds_count\{provider="twilio",operation="send",result="accepted"\} 1$/m);
    expect(workerMetrics).toMatch(/^mctb_textback_outcomes_total\{status="sent",reason="none"\} 1$/m);

    // The control plane traces its requests too (the onboarding's GraphQL calls).
    expect(receiver.spans().some((span) => span.service === 'mctb-control-plane' && span.name === 'POST /graphql')).toBe(true);

    // Logs: JSON lines; the webhook's and the send's name the trace and the call.
    const traceId = gateway[0]!.traceId;
    const ours = lines.filter((line) => line.source === 'gateway' || line.source === 'worker');
    const correlated = (source: string) =>
      ours.filter((line) => line.source === source && line.json?.trace_id === traceId && line.json.callSid === CALL_SID && line.json.subAccountId === subAccountId);
    expect(correlated('gateway').map((line) => line.json!.msg)).toContain('request');
    expect(correlated('worker').map((line) => line.json!.msg)).toContain('SMS provider request');
    expect(correlated('worker').every((line) => typeof line.json!.span_id === 'string')).toBe(true);
    // No full phone number (the caller's, the business's, its forwarding number) nor the text, in any line.
    const leaks = ours.filter((line) => [CALLER, BUSINESS_NUMBER, FORWARDING_NUMBER].some((number) => line.text.includes(number.slice(2))) || line.text.includes(BODY_WORDS));
    expect(leaks.map((line) => `[${line.source}] ${line.text}`)).toEqual([]);
    // The caller appears as its last four digits where it appears at all.
    expect(ours.some((line) => line.text.includes('…0277'))).toBe(true);
  });

  it('traces the next call the same way, after the first run ended (its workflow gone from the worker)', async () => {
    const caller = '+15125550278';
    const callSid = 'CA-trace-0000000000000000000000002';
    const webhook = (path: string, params: Record<string, string>) => stack.webhook(path, { CallSid: callSid, From: caller, To: BUSINESS_NUMBER, ...params });
    expect((await webhook('/twilio/voice/incoming', { CallStatus: 'ringing' })).status).toBe(200);
    expect((await webhook('/twilio/voice/dial-result', { CallStatus: 'in-progress', DialCallStatus: 'no-answer' })).status).toBe(200);
    await eventually(async () => expect(stack.twilio.messages().filter((m) => m.to === caller)).toHaveLength(1));
    const trace = await eventually(async () => {
      const dial = receiver.spans().find((span) => span.attributes['http.route'] === '/twilio/voice/dial-result' && span.attributes['mctb.call_sid'] === callSid);
      expect(dial).toBeDefined();
      const spans = receiver.spans().filter((span) => span.traceId === dial!.traceId);
      expect(spans.map((span) => span.name)).toEqual(expect.arrayContaining(['sms.send twilio', 'RunWorkflow:textBackWorkflow']));
      return spans;
    });
    const byId = new Map(trace.map((span) => [span.spanId, span]));
    const send = trace.find((span) => span.name === 'sms.send twilio')!;
    const ancestry: string[] = [];
    for (let span = byId.get(send.parentSpanId ?? ''); span; span = byId.get(span.parentSpanId ?? '')) ancestry.push(span.name);
    expect(ancestry).toEqual(['RunActivity:sendTextBack', 'StartActivity:sendTextBack', 'RunWorkflow:textBackWorkflow', 'SignalWithStartWorkflow:textBackWorkflow', 'POST /twilio/voice/dial-result']);
    for (const span of trace) expect(span.attributes, span.name).toMatchObject({ 'mctb.call_sid': callSid, 'mctb.sub_account_id': subAccountId });
  });
});
