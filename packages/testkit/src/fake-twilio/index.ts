export { startFakeTwilio, type FakeTwilio, type FakeTwilioOptions } from './server.js';
export { createFakeTwilioApp, type FakeCredentials } from './app.js';
export { FakeTwilioState } from './state.js';
export type {
  AcceptThenFailMode,
  DeliverableStatus,
  FakeFault,
  FakeMessage,
  FakeCall,
  FakeAccount,
  FakeIncomingNumber,
  FakeNumberCapabilities,
  FakeMessageStatus,
  FakeOperation,
  FakeRequest,
} from './types.js';
