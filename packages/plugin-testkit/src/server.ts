import { randomUUID } from 'node:crypto';
import {
  IDEMPOTENCY_KEY_HEADER,
  newSigningSecret,
  REMOTE_PROTOCOL_VERSION,
  REPLAYED_HEADER,
  servePlugin,
  SIGNATURE_HEADER,
  signWebhook,
  type AnyPlugin,
  type HookEvents,
  type HookName,
  type PluginHandlerOptions,
  type RemoteRequest,
  type StepInput,
} from '@mctb/plugin-sdk';

/**
 * The headers the platform sends with a request body: the signature over `<t>.<body>` and the
 * idempotency key (the delivery id). `now` (epoch ms) sets the signature's timestamp.
 */
export function signedHeaders(options: { secret: string; body: string; deliveryId?: string; now?: number }): Record<string, string> {
  const timestamp = Math.floor((options.now ?? Date.now()) / 1000);
  return {
    'content-type': 'application/json',
    [SIGNATURE_HEADER]: signWebhook(options.secret, options.body, timestamp),
    ...(options.deliveryId === undefined ? {} : { [IDEMPOTENCY_KEY_HEADER]: options.deliveryId }),
  };
}

interface DeliveryEnvelope {
  /** A new id per delivery unless given: give the same one to play a retry. */
  deliveryId?: string;
  attempt?: number;
  /** The installation's config (`installation.config`), {} unless given. */
  config?: Record<string, unknown>;
  installation?: { id?: string; subAccountId?: string; config?: Record<string, unknown> };
  protocol?: number;
  /** The plugin's own id and version unless given. */
  plugin?: { id: string; version: string };
}

/** A request to deliver: a hook with its event or a step with its input, the envelope filled in. */
export type Delivery = DeliveryEnvelope &
  ({ [H in HookName]: { type: 'hook'; hook: H; event: HookEvents[H] } }[HookName] | { type: 'step'; step: string; input: StepInput });

export interface DeliverOptions {
  /** Signs with this secret instead of the server's (to see a badly signed request refused). */
  secret?: string;
  /** The signature's timestamp, epoch ms (to see a replayed request refused). */
  now?: number;
  /** Sends this body instead of the signed one (to see a tampered request refused). */
  tamper?: (body: string) => string;
  /** Leaves the signature header out. */
  unsigned?: boolean;
}

export interface DeliveryResult {
  status: number;
  /** The JSON answer (the hook's answer, a step's result, or `{error}`). */
  body: Record<string, unknown>;
  /** True when the server gave a kept answer to a delivery it had seen (no handler ran). */
  replayed: boolean;
  /** The request as sent (signed); `deliver({ ...sent, attempt: 2 })` plays the platform's retry of it. */
  sent: RemoteRequest;
}

export interface StartedPluginServer {
  url: string;
  secret: string;
  /** Signs and POSTs a request to the plugin's server exactly as the platform does. */
  deliver(request: Delivery | RemoteRequest, options?: DeliverOptions): Promise<DeliveryResult>;
  close(): Promise<void>;
}

/**
 * Serves a plugin on a free local port (servePlugin, as its main does in production) with a new
 * signing secret unless given, and delivers requests to it as the platform does: end to end through
 * the signature check, the wire format, the dedupe and the deadlines.
 */
export async function startPluginServer(plugin: AnyPlugin, options: Partial<PluginHandlerOptions> & { secret?: string } = {}): Promise<StartedPluginServer> {
  const secret = options.secret ?? newSigningSecret();
  const running = await servePlugin(plugin, { ...options, secret });
  return {
    url: running.url,
    secret,
    close: () => running.close(),
    async deliver(delivery, deliverOptions = {}) {
      const { deliveryId, attempt, config, installation, plugin: pluginRef, protocol: _protocol, ...call } = delivery as Delivery;
      const request = {
        protocol: REMOTE_PROTOCOL_VERSION,
        deliveryId: deliveryId ?? randomUUID(),
        attempt: attempt ?? 1,
        plugin: pluginRef ?? { id: plugin.manifest.id, version: plugin.manifest.version },
        installation: { id: installation?.id ?? 'inst_fixture', subAccountId: installation?.subAccountId ?? 'sa_fixture', config: config ?? installation?.config ?? {} },
        ...call,
      } as RemoteRequest;
      const signed = JSON.stringify(request);
      const headers = signedHeaders({
        secret: deliverOptions.secret ?? secret,
        body: signed,
        deliveryId: request.deliveryId,
        ...(deliverOptions.now === undefined ? {} : { now: deliverOptions.now }),
      });
      if (deliverOptions.unsigned) delete headers[SIGNATURE_HEADER];
      const response = await fetch(running.url, { method: 'POST', headers, body: deliverOptions.tamper ? deliverOptions.tamper(signed) : signed });
      const text = await response.text();
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { error: `not JSON: ${text.slice(0, 200)}` };
      }
      return { status: response.status, body, replayed: response.headers.get(REPLAYED_HEADER) === 'true', sent: request };
    },
  };
}
