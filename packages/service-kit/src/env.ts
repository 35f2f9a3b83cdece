import type { z } from 'zod';

/**
 * Validates a service's environment against its schema. Called only from each service's env.ts;
 * a bad or missing variable stops the process at start with every problem named.
 */
export function loadEnv<Schema extends z.ZodType>(schema: Schema, source: Record<string, string | undefined>): z.infer<Schema> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new Error(`invalid environment:\n${problems.join('\n')}`);
}
