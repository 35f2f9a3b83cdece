import { AgencySchema } from './agency.js';
import { ApiKeySchema } from './api-key.js';
import { CallSchema } from './call.js';
import { ContactSchema } from './contact.js';
import { ConversationReadSchema } from './conversation-read.js';
import { MessageSchema } from './message.js';
import { OutboxMessageSchema } from './outbox-message.js';
import { PhoneNumberSchema } from './phone-number.js';
import { MarketplacePluginSchema, PluginDeliverySchema, PluginVersionSchema } from './marketplace-plugin.js';
import { PluginInstallationSchema } from './plugin-installation.js';
import { ProvisioningSchema } from './provisioning.js';
import { AppliedVersionSchema, ProvisioningRunSchema, ProvisioningTargetSchema } from './provisioning-run.js';
import { SnapshotSchema, SnapshotVersionSchema } from './snapshot.js';
import { SubAccountSchema } from './sub-account.js';
import { TwilioAccountSchema } from './twilio-account.js';

export { Agency } from './agency.js';
export { ApiKey } from './api-key.js';
export { Call, type IntakeDecision } from './call.js';
export { Contact } from './contact.js';
export { ConversationRead } from './conversation-read.js';
export { Message, type MessageDirection } from './message.js';
export { OutboxMessage } from './outbox-message.js';
export { PhoneNumber } from './phone-number.js';
export { MarketplacePlugin, PluginDelivery, PluginVersion, type PluginDeliveryOutcome } from './marketplace-plugin.js';
export { PluginInstallation } from './plugin-installation.js';
export { Provisioning, type LocalEdits } from './provisioning.js';
export {
  AppliedVersion,
  ProvisioningRun,
  ProvisioningTarget,
  type NewSubAccountDetails,
  type ProvisioningRunStatus,
  type ProvisioningTargetStatus,
  type TargetIssue,
} from './provisioning-run.js';
export { Snapshot, SnapshotVersion } from './snapshot.js';
export { SubAccount, SMS_PROVIDERS, type SmsProviderName } from './sub-account.js';
export { TwilioAccount } from './twilio-account.js';

/** Every entity, listed explicitly (no folder scanning). */
export const ENTITIES = [
  AgencySchema,
  ApiKeySchema,
  SubAccountSchema,
  PhoneNumberSchema,
  SnapshotSchema,
  SnapshotVersionSchema,
  ProvisioningSchema,
  ProvisioningRunSchema,
  ProvisioningTargetSchema,
  AppliedVersionSchema,
  ContactSchema,
  ConversationReadSchema,
  CallSchema,
  MessageSchema,
  OutboxMessageSchema,
  PluginInstallationSchema,
  MarketplacePluginSchema,
  PluginVersionSchema,
  PluginDeliverySchema,
  TwilioAccountSchema,
];
