import type { CallIntake, DeliveryReports, PluginWebhooks, TextIntake } from '@mctb/telephony';
import type { TwilioParams } from './middleware/twilio-signature/index.js';

export interface GatewayDeps {
  calls: CallIntake;
  texts: TextIntake;
  deliveries: DeliveryReports;
  pluginWebhooks: PluginWebhooks;
  /** The gateway's public base URL (no trailing slash). */
  publicUrl: string;
  twilio: { authToken: string; accountSid?: string };
}

export interface GatewayEnv {
  Variables: { twilioParams: TwilioParams };
}
