import type { LogLevel as TemporalLogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { describeError, redactPhones, type Logger } from '@mctb/service-kit';

/**
 * The Temporal SDK's logs (activity failures, worker state) through our JSON logger: errors are
 * summarised (a database error quotes its SQL and parameters), task tokens dropped, and phone
 * numbers in workflow ids reduced to their last four digits.
 */
export function temporalLogger(log: Logger): TemporalLogger {
  // The SDK's own info messages (worker state changes) are chatter unless we are debugging.
  const sdkDetail = log.level === 'debug' || log.level === 'trace';
  const write = (level: TemporalLogLevel, message: string, meta: LogMetadata = {}) => {
    if (!sdkDetail && (level === 'TRACE' || level === 'DEBUG' || level === 'INFO')) return;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(meta)) {
      if (key === 'taskToken') continue;
      if (value instanceof Error) fields[key] = describeError(value);
      else if (typeof value === 'string') fields[key] = redactPhones(value);
      else if (typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
    }
    const method = level === 'TRACE' ? 'trace' : level === 'DEBUG' ? 'debug' : level === 'INFO' ? 'info' : level === 'WARN' ? 'warn' : 'error';
    log[method](fields, redactPhones(message));
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
