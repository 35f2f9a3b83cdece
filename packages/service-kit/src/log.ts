import { pino, type Logger as PinoLogger } from 'pino';
import { describeError } from './redact.js';

/** Structured JSON logs (pino). Fields holding errors go through describeError, never raw. */
export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(service: string, level: LogLevel = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: describeError, error: describeError },
  });
}

/** For libraries and tests that were given no logger. */
export const silentLogger: Logger = pino({ level: 'silent' });
