export { describeOpening } from './describe-opening.js';
export { isOpenAt } from './is-open.js';
export { nextOpening } from './next-opening.js';
export { localDate, localWeekday, startOfLocalDay } from './local-day.js';
export { inWindow, windowEnd } from './quiet-window.js';
export {
  clockTime,
  isTimeZone,
  parseBusinessHours,
  parseDailyWindow,
  WEEKDAYS,
  type BusinessHours,
  type DayInterval,
  type ScheduleIssue,
  type ScheduleParse,
  type Weekday,
} from './schedule.js';
