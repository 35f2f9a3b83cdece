export * from './entities/index.js';
export { createOrm, migrate, ormConfig, type Orm, type OrmOptions } from './orm.js';
export type { EntityManager } from '@mikro-orm/postgresql';
export type { FilterQuery } from '@mikro-orm/core';
export * from './repositories/index.js';
export { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
export { announceRoutingChange, ROUTING_CHANNEL } from './routing-changes.js';
export { CallStore, type CallRecord, type IncomingCall, type OutcomeChange, type OutcomeReport } from './call-store.js';
export { driverQuery, toDate, type DriverQuery } from './driver.js';
export { TextBackStore, type ProvisionedSnapshot, type SubAccountContext, type TextBackContact, type TextBackContext, type TextBackOutcome } from './text-back-store.js';
export { AutomationStore } from './automation-store.js';
export {
  NotificationStore,
  type NotificationAttempt,
  type NotificationChannel,
  type NotificationIntent,
  type NotificationStatus,
  type NotificationView,
} from './notification-store.js';
export { blockedNumbersOf, removeBlockedNumber, storeBlockedNumber, type BlockedNumber } from './block-list.js';
export type { AutomationRunView, ContactFacts, NewTask, RunProgress, RunStart, RunStatus, StepRecord, StepStatus, TaskView } from './automation-types.js';
export { findTwilioCredentials, openTwilioAuthToken, sealTwilioAuthToken } from './twilio-account-tokens.js';
export { isOutage } from './outages.js';
export { METRICS_STATEMENTS, MetricsStore } from './metrics-store.js';
export { daysInRange, MISSED_OUTCOMES, REPLY_WINDOW_DAYS, type MetricsDay, type MetricsFigures, type MetricsRange, type MissedOutcome } from './metrics-figures.js';
export { METRICS_ROLLUP_LOCK, MetricsRollup, RESETTLING_DAYS, type RollupReport } from './metrics-rollup.js';
export { ConversationStore, cursorOf, type ConversationSummary, type ThreadEvent } from './conversation-store.js';
