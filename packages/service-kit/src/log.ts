import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { describeError } from './redact.js';

/** Structured JSON logs (pino). Fields holding errors go through describeError, never raw. */
export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A JSON-lines logger for one service; `destination` defaults to stdout (tests pass their own). */
export function createLogger(service: string, level: LogLevel = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    serializers: { err: describeError, error: describeError },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** For libraries and tests that were given no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
