export { encodeTwilioForm, parseTwilioForm, signTwilioRequest, verifyTwilioRequest, type TwilioParams } from './signature.js';
export { createTwilioClient, type Twilio, type TwilioClientOptions } from './client.js';
export { isTwilioRestError, type TwilioRestError } from './errors.js';
export { messagingResponse, voiceResponse } from './twiml.js';
export { fetchCallWithLegs, type TwilioCallWithLegs } from './calls.js';
export {
  checkAccount,
  findIncomingNumber,
  setIncomingNumberUrls,
  type AccountCheck,
  type IncomingNumber,
  type IncomingNumberUrls,
} from './incoming-numbers.js';
