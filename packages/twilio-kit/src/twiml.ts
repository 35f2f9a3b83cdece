import twilio from 'twilio';

/** Builds TwiML for voice webhooks with the SDK's own builder (escaping included). */
export function voiceResponse(): InstanceType<typeof twilio.twiml.VoiceResponse> {
  return new twilio.twiml.VoiceResponse();
}

/** TwiML for messaging webhooks. */
export function messagingResponse(): InstanceType<typeof twilio.twiml.MessagingResponse> {
  return new twilio.twiml.MessagingResponse();
}
