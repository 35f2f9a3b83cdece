import { repoRoot } from '@mctb/devstack';
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The repo's lint config, applied to code as if it were a workflow file. */
async function lintAsWorkflow(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: repoRoot });
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, 'packages/workflows/src/example-workflow.ts') });
  return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('workflow determinism lint rule', () => {
  it.each([
    `import { readFile } from 'node:fs/promises';`,
    `import fs from 'fs';`,
    `import pg from 'pg';`,
    `import { Client } from '@temporalio/client';`,
    `import { createOrm } from '@mctb/db';`,
    `import { createActivities } from '@mctb/activities';`,
    `import twilio from 'twilio';`,
  ])('rejects %s', async (line) => {
    const messages = await lintAsWorkflow(`${line}\nexport const x = 1;\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/Workflow code must be deterministic/);
  });

  it.each([
    `import { sleep } from '@temporalio/workflow';`,
    `import { sendIntentId } from '@mctb/domain';`,
    `import { missedCallSignal } from './textback-signals.js';`,
    `import type { TextBackActivities } from '@mctb/activities';`,
  ])('allows %s', async (line) => {
    expect(await lintAsWorkflow(`${line}\nexport const x = 1;\n`)).toEqual([]);
  });
});
