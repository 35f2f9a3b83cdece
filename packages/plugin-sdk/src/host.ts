import type { CallOutcome } from '@mctb/domain';
import type { CallView } from './hooks.js';

/**
 * What the platform lets a plugin do from its webhooks. Each call throws when the platform is
 * unavailable for now; the event's webhook then answers 503, so the plugin's service retries.
 */
export interface PluginHost {
  calls: {
    /** Reports what really happened to a call, e.g. that an AI agent answered it. */
    reportOutcome(callSid: string, outcome: CallOutcome, note: string): Promise<void>;
    /**
     * Reports that the caller left a call handed to the plugin (voice routing) before its agent
     * answered: the text-back, which holds its first text about the call for the plugin's verdict,
     * goes out as usual. A hand-off with no verdict is treated so after a bound, later.
     */
    reportCallerLeft(callSid: string, note: string): Promise<void>;
  };
}

export interface WebhookRequest {
  /** The body exactly as received, for signature checks. */
  rawBody: string;
  headers: Readonly<Record<string, string>>;
}

/**
 * An endpoint of the plugin on the gateway (`POST /plugins/<id>/webhooks/<name>`), for events
 * from the plugin's own service. The host finds the call and installation; the plugin
 * authenticates the request with its installation's config and acts on it.
 */
export interface PluginWebhook<Config> {
  /** The provider CallSid the event is about, or null when the payload names none. */
  callSidOf(payload: unknown): string | null;
  authenticate(request: WebhookRequest, config: Config, now: Date): boolean;
  handle(payload: unknown, context: { config: Config; call: CallView; host: PluginHost }): Promise<void>;
}

/** A plugin that takes unanswered calls (before voicemail) returns where to send them. */
export interface VoiceRouting<Config> {
  onUnanswered(call: CallView, config: Config): { redirectUrl: string } | null;
}
