import { classifyDialResult, type CallOutcome, type DialCallStatus } from './outcomes.js';

/**
 * Twilio's answering-machine verdicts (`AnsweredBy`) for the forwarded leg. Anything but "human" or
 * "unknown" means a machine picked up: typically the owner's carrier voicemail after a decline.
 */
export const ANSWERED_BY = [
  'human',
  'unknown',
  'machine_start',
  'machine_end_beep',
  'machine_end_silence',
  'machine_end_other',
  'fax',
] as const;
export type AnsweredBy = (typeof ANSWERED_BY)[number];

export function isAnsweredBy(value: string): value is AnsweredBy {
  return (ANSWERED_BY as readonly string[]).includes(value);
}

export function isMachine(answeredBy: AnsweredBy | null): boolean {
  return answeredBy !== null && answeredBy !== 'human' && answeredBy !== 'unknown';
}

/**
 * How the business's phone is rung (DESIGN §3): "press 1 to accept" screening, answering-machine
 * detection, and the shortest connection that still counts as a human answer.
 */
export interface CallScreening {
  /** The person who picks up must press 1 before the caller is connected. */
  pressOneToAccept: boolean;
  /** Twilio's answering-machine detection on the forwarded leg. */
  machineDetection: boolean;
  /** A completed forward connected for less than this is not an answer (0: off). */
  minAnsweredSeconds: number;
}

export const DEFAULT_CALL_SCREENING: CallScreening = { pressOneToAccept: false, machineDetection: true, minAnsweredSeconds: 0 };

export const MIN_ANSWERED_SECONDS_MAX = 60;

/** What we learned about the forwarded leg by the time Twilio reports the `<Dial>` result. */
export interface ForwardedLegReport {
  dialCallStatus: DialCallStatus;
  /** Seconds the forwarded leg was connected (DialCallDuration); null when not reported. */
  connectedSeconds: number | null;
  /** The machine-detection verdict, when it ran. */
  answeredBy: AnsweredBy | null;
  /** True when the person who picked up pressed 1 (only meaningful with pressOneToAccept). */
  accepted: boolean;
  /** The screening the call was forwarded with (carried in the dial action URL). */
  screening: CallScreening;
}

export interface ForwardedLegOutcome {
  outcome: CallOutcome;
  /** Why a connected forward is not counted as answered; null otherwise. */
  detail: string | null;
}

/**
 * The outcome of the forwarded leg. A completed dial is a human answer only when nothing says
 * otherwise: a machine verdict, a screening that was not accepted, or a connection shorter than the
 * threshold make it a missed call, because the carrier's voicemail also "completes" a dial.
 */
export function classifyForwardedLeg(report: ForwardedLegReport): ForwardedLegOutcome {
  const outcome = classifyDialResult(report.dialCallStatus);
  if (outcome !== 'answered') return { outcome, detail: null };
  if (isMachine(report.answeredBy)) {
    return { outcome: 'no_answer', detail: `a machine answered the forwarded call (${report.answeredBy}), e.g. the carrier's voicemail` };
  }
  if (report.screening.pressOneToAccept && !report.accepted) {
    return { outcome: 'no_answer', detail: 'call screening: the forwarded call was picked up but not accepted with 1' };
  }
  const { minAnsweredSeconds } = report.screening;
  if (minAnsweredSeconds > 0 && report.connectedSeconds !== null && report.connectedSeconds < minAnsweredSeconds) {
    return { outcome: 'no_answer', detail: `the forwarded call was connected for ${report.connectedSeconds}s, under the ${minAnsweredSeconds}s that count as answered` };
  }
  return { outcome, detail: null };
}
