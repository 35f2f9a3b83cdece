import { z } from 'zod';
import { CALL_OUTCOMES } from '@mctb/domain';
import type { HookEvents, StepInput } from './hooks.js';
import type { HookName } from './published-manifest.js';

/**
 * The wire contract between the platform and a remote plugin (DESIGN §6).
 *
 * The platform POSTs JSON to the plugin's `runtime.url` with
 *   X-Mctb-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> (the plugin's signing secret)
 *   Idempotency-Key:  the delivery id, the same on every attempt of one delivery
 * A plugin rejects a request whose signature doesn't match or whose timestamp is more than
 * 5 minutes away (`verifyWebhookSignature`), and answers within its declared timeout.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const REMOTE_PROTOCOL_VERSION = 1;

interface Envelope {
  protocol: typeof REMOTE_PROTOCOL_VERSION;
  deliveryId: string;
  attempt: number;
  plugin: { id: string; version: string };
  installation: { id: string; subAccountId: string; config: Record<string, unknown> };
}

export type HookRequest<H extends HookName = HookName> = Envelope & { type: 'hook'; hook: H; event: HookEvents[H] };
export type StepRequest = Envelope & { type: 'step'; step: string; input: StepInput };
export type RemoteRequest = HookRequest | StepRequest;

const envelope = {
  protocol: z.literal(REMOTE_PROTOCOL_VERSION),
  deliveryId: z.string().min(1),
  attempt: z.int().min(1),
  plugin: z.object({ id: z.string(), version: z.string() }),
  installation: z.object({ id: z.string(), subAccountId: z.string(), config: z.record(z.string(), z.unknown()) }),
};

/** What a plugin's server accepts (the event's own fields are the platform's to keep stable; they are passed through). */
export const remoteRequestSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('hook'), hook: z.string(), event: z.record(z.string(), z.unknown()) }),
  z.object({ ...envelope, type: z.literal('step'), step: z.string(), input: z.record(z.string(), z.unknown()) }),
]);

/**
 * Answers, in a 2xx JSON body:
 *   textback.beforeSend  {"veto": false} or {"veto": true, "reason": "…"}
 *   call.completed       {} or {"outcome": "<call outcome>"}
 *   other hooks          any JSON object (ignored)
 *   steps                {"summary"?: "…", "output"?: {…}}; a 422 with {"error": "…"} fails the step at once
 * Anything else (another status, a timeout, a body that isn't one of these) is a failed attempt.
 */
export const hookAnswerSchemas = {
  'textback.beforeSend': z.discriminatedUnion(
    'veto',
    [
      z.strictObject({ veto: z.literal(false) }),
      z.strictObject({ veto: z.literal(true), reason: z.string('a veto needs a reason').trim().min(1, 'a veto needs a reason').max(500) }),
    ],
    { error: 'must be {"veto": false} or {"veto": true, "reason": "…"}' },
  ),
  'call.completed': z.strictObject({ outcome: z.enum(CALL_OUTCOMES).optional() }),
  'textback.sent': z.record(z.string(), z.unknown()),
  'message.received': z.record(z.string(), z.unknown()),
  'subaccount.provisioned': z.record(z.string(), z.unknown()),
} satisfies Record<HookName, z.ZodType>;

export const stepAnswerSchema = z.strictObject({
  summary: z.string().max(500).optional(),
  output: z.record(z.string(), z.unknown()).optional(),
});

export const stepRefusalSchema = z.object({ error: z.string().min(1).max(1_000) });
