export { ProviderUnavailableError, type OutboundSms, type ProviderSendResult, type SmsProvider } from './provider.js';
export { OutboxProvider } from './outbox-provider.js';
export { TwilioProvider, type TwilioProviderOptions } from './twilio-provider.js';
export { ProviderNotConfiguredError, SendInProgressError, SmsSender, type SendOutcome, type SendRequest, type SmsSenderDeps } from './sender.js';
export { TwilioAccountsProvider, type TwilioAccountsProviderOptions } from './twilio-accounts-provider.js';
