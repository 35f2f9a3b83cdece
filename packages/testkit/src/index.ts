import './provided-context.js';
export { createEmptyDatabase, type TestDatabase } from './database.js';
export {
  startFakeTwilio,
  type FakeTwilio,
  type FakeTwilioOptions,
  type FakeMessage,
  type FakeCall,
  type FakeIncomingNumber,
  type FakeNumberCapabilities,
  type FakeFault,
  type FakeRequest,
  type FakeOperation,
  type AcceptThenFailMode,
  type DeliverableStatus,
} from './fake-twilio/index.js';
export { postTwilioWebhook, type TwilioWebhookOptions } from './webhooks.js';
export { startTcpProxy, type ProxyMode, type TcpProxy } from './tcp-proxy.js';
export { startWebhookReceiver, type ReceivedWebhook, type WebhookAnswer, type WebhookReceiver } from './webhook-receiver.js';
export { graphqlClient, type GraphQLClient } from './graphql-client.js';
