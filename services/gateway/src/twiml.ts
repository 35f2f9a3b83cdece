import type { CallScreening } from '@mctb/domain';
import type { VoiceDecision } from '@mctb/telephony';
import { voiceResponse } from '@mctb/twilio-kit';

/** Absolute URLs Twilio calls back (signatures are computed over them, query included). */
export interface VoiceUrls {
  dialResult: string;
  recording: string;
  screen: string;
  screenResult: string;
  machineVerdict: string;
}

export function voiceUrls(publicUrl: string): VoiceUrls {
  const base = `${publicUrl}/twilio/voice`;
  return {
    dialResult: `${base}/dial-result`,
    recording: `${base}/recording`,
    screen: `${base}/screen`,
    screenResult: `${base}/screen-result`,
    machineVerdict: `${base}/machine-verdict`,
  };
}

/** The screening a forward was made with travels in the dial action URL, so the result is read with it. */
export function screeningQuery(screening: CallScreening): string {
  return `accept=${screening.pressOneToAccept ? 1 : 0}&amd=${screening.machineDetection ? 1 : 0}&min=${screening.minAnsweredSeconds}`;
}

export function screeningFromQuery(query: (name: string) => string | undefined): CallScreening {
  const min = Number(query('min') ?? '0');
  return {
    pressOneToAccept: query('accept') === '1',
    machineDetection: query('amd') === '1',
    minAnsweredSeconds: Number.isInteger(min) && min >= 0 && min <= 600 ? min : 0,
  };
}

const rendered = new Map<string, string>();

/**
 * TwiML for a decision that names no call (voicemail, hang up, redirect): the same few answers
 * again and again, so each is built once.
 */
export function renderVoiceCached(decision: Exclude<VoiceDecision, { kind: 'unknown_number' | 'forward' }>, urls: VoiceUrls): string {
  const key = JSON.stringify(decision);
  let twiml = rendered.get(key);
  if (twiml === undefined) {
    if (rendered.size >= 1_000) rendered.clear();
    twiml = renderVoice(decision, urls, '');
    rendered.set(key, twiml);
  }
  return twiml;
}

/** Renders what call intake decided as TwiML. */
export function renderVoice(decision: Exclude<VoiceDecision, { kind: 'unknown_number' }>, urls: VoiceUrls, callSid: string): string {
  const response = voiceResponse();
  switch (decision.kind) {
    case 'forward': {
      const { screening } = decision;
      const dial = response.dial({
        timeout: decision.timeoutSeconds,
        action: `${urls.dialResult}?${screeningQuery(screening)}`,
        method: 'POST',
        answerOnBridge: true,
      });
      const parent = `parent=${encodeURIComponent(callSid)}`;
      const screened = screening.pressOneToAccept || screening.machineDetection;
      dial.number(
        {
          // The whisper runs on the business's side before the caller is connected.
          ...(screened ? { url: `${urls.screen}?${parent}&${screeningQuery(screening)}`, method: 'POST' } : {}),
          ...(screening.machineDetection
            ? { machineDetection: 'Enable', machineDetectionTimeout: 5, amdStatusCallback: `${urls.machineVerdict}?${parent}`, amdStatusCallbackMethod: 'POST' }
            : {}),
        },
        decision.forwardTo,
      );
      break;
    }
    case 'voicemail': {
      const who = decision.businessName ?? 'we';
      response.say(`Sorry, ${who} can't take your call right now. Please leave a message after the tone.`);
      const missed = decision.missed ? `?missed=${decision.missed}` : '';
      response.record({ action: `${urls.recording}${missed}`, method: 'POST', maxLength: 120, timeout: 5, playBeep: true });
      break;
    }
    case 'redirect':
      response.redirect({ method: 'POST' }, decision.url);
      break;
    case 'hangup':
      response.hangup();
      break;
  }
  return response.toString();
}

/** What the business hears when it picks up a screened call: press 1 to take it. */
export function renderScreenPrompt(urls: VoiceUrls, parentCallSid: string): string {
  const response = voiceResponse();
  const gather = response.gather({ numDigits: 1, timeout: 8, action: `${urls.screenResult}?parent=${encodeURIComponent(parentCallSid)}`, method: 'POST' });
  gather.say('You have a call from a customer. Press 1 to accept it.');
  response.say('The call was not accepted.');
  response.hangup();
  return response.toString();
}

/** An empty response on the business's leg connects the caller. */
export function renderConnect(): string {
  return voiceResponse().toString();
}

export function renderHangup(): string {
  const response = voiceResponse();
  response.hangup();
  return response.toString();
}
