import { isOutage as isInfrastructureOutage } from '@mctb/db';
import { DeadlineExceededError } from './deadline.js';

/** PostgreSQL or Temporal unavailable for now (see @mctb/db isOutage), or a deadline we gave up at. */
export function isOutage(error: unknown): boolean {
  return isInfrastructureOutage(error, (current) => current instanceof DeadlineExceededError);
}
