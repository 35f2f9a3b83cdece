/** The words of the workflow DSL and its size limits, shared by the schema and the checks. */

/** The key that says what a step does; a step has exactly one. */
export const STEP_KEYS = [
  'wait',
  'if',
  'send_sms',
  'wait_for_reply',
  'add_tag',
  'remove_tag',
  'create_task',
  'notify',
  'webhook',
  'start_workflow',
  'plugin',
] as const;
export type StepKey = (typeof STEP_KEYS)[number];

/** The keys that hold nested steps, by the step they belong to. */
export const BRANCH_KEYS: Partial<Record<StepKey, readonly string[]>> = {
  if: ['then', 'else'],
  wait_for_reply: ['replied', 'no_reply'],
};

/**
 * Nested branches (`then` inside `replied` inside …) at most this deep, top-level steps being 1. The
 * interpreter walks the tree recursively and names the current step by its path; deeper trees are
 * hard to read in YAML, and a longer automation reads better as workflows started with start_workflow.
 */
export const MAX_STEP_DEPTH = 6;
/** `all`/`any`/`not` nest at most this deep, for the same reasons. */
export const MAX_CONDITION_DEPTH = 4;
/**
 * Steps in one workflow, branches included. Each step adds events (timers, activities, signals) to
 * the run's history; this keeps the largest run far below Temporal's history limits (and quick to
 * replay) even with retries, and validation linear in a small file.
 */
export const MAX_STEPS_PER_WORKFLOW = 100;
/** Workflows in one snapshot: a real agency automation has a handful. */
export const MAX_WORKFLOWS = 50;

/** Reserved for the workflow the simple text-back settings compile into. */
export const TEXT_BACK_WORKFLOW_KEY = 'text_back';

export const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;
