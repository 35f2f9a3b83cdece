import type { CallIntake, DeliveryReports, PluginWebhooks, TextIntake, WebhookSigners } from '@mctb/telephony';
import type { TwilioParams } from './middleware/twilio-signature/index.js';

export interface GatewayDeps {
  calls: CallIntake;
  texts: TextIntake;
  deliveries: DeliveryReports;
  pluginWebhooks: PluginWebhooks;
  /** The gateway's public base URL (no trailing slash). */
  publicUrl: string;
  /** Whose Twilio token signs each webhook (the account holding its number). */
  signers: WebhookSigners;
}

export interface GatewayEnv {
  Variables: { twilioParams: TwilioParams };
}
