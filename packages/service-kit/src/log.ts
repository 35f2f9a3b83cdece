import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { describeError } from './redact.js';
import { logCorrelation } from './tracing.js';

/** Structured JSON logs (pino). Fields holding errors go through describeError, never raw. */
export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A JSON-lines logger for one service. A line written inside a traced span carries its trace_id and
 * span_id and the call it is about (callSid, subAccountId) when the span names it. `destination` defaults to stdout, written asynchronously so
 * a request never waits for a log line (pino flushes what is buffered when the process exits).
 */
export function createLogger(service: string, level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: describeError, error: describeError },
    // Fields given to the call win over these.
    mixin: logCorrelation,
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}

/** For libraries and tests that were given no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
