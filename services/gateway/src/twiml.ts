import type { VoiceDecision } from '@mctb/telephony';
import { voiceResponse } from '@mctb/twilio-kit';

/** Renders what the call intake decided as TwiML; `urls` are absolute, as signatures need. */
export function renderVoice(decision: Exclude<VoiceDecision, { kind: 'unknown_number' }>, urls: { dialResult: string; recording: string }): string {
  const response = voiceResponse();
  switch (decision.kind) {
    case 'forward': {
      const dial = response.dial({ timeout: decision.timeoutSeconds, action: urls.dialResult, method: 'POST', answerOnBridge: true });
      dial.number(decision.forwardTo);
      break;
    }
    case 'voicemail':
      response.say(`Sorry, ${decision.businessName} can't take your call right now. Please leave a message after the tone.`);
      response.record({ action: urls.recording, method: 'POST', maxLength: 120, timeout: 5, playBeep: true });
      break;
    case 'redirect':
      response.redirect({ method: 'POST' }, decision.url);
      break;
    case 'hangup':
      response.hangup();
      break;
  }
  return response.toString();
}
