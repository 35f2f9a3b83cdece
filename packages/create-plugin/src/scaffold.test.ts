import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCreatePlugin } from './program.js';
import { PINNED_VERSIONS } from './templates.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// Inside the repository (gitignored), so the scaffolded plugin resolves the workspace's
// @mctb/plugin-sdk, @mctb/plugin-testkit, zod, vitest and typescript as a plugin in plugins/ does.
let work: string;

beforeAll(async () => {
  await mkdir(join(root, '.scaffold-tmp'), { recursive: true });
  work = await mkdtemp(join(root, '.scaffold-tmp', 'run-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function create(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCreatePlugin(argv, { out: (text) => out.push(text), err: (text) => err.push(text) }, work);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: stripVTControlCharacters(output) }));
  });
}

describe('create-mctb-plugin', () => {
  it('scaffolds a plugin whose own tests pass and which type-checks and builds', { timeout: 180_000 }, async () => {
    const made = await create('call-notes', '--author', 'Acme "Plugins" Ltd', '--description', 'Keeps notes on calls');
    expect(made).toMatchObject({ code: 0, err: '' });
    expect(made.out).toContain('Created plugin "call-notes" in plugins/call-notes: package.json, tsconfig.json, vitest.config.ts, README.md, src/plugin.ts, src/main.ts, src/plugin.test.ts');
    const dir = join(work, 'plugins', 'call-notes');
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(pkg).toMatchObject({ name: 'mctb-plugin-call-notes', dependencies: { '@mctb/plugin-sdk': 'workspace:*' }, devDependencies: { '@mctb/plugin-testkit': 'workspace:*' } });
    expect(await readFile(join(dir, 'src', 'plugin.ts'), 'utf8')).toContain('author: "Acme \\"Plugins\\" Ltd"');
    expect(await readFile(join(dir, 'src', 'main.ts'), 'utf8')).toContain('secretVariable: "CALL_NOTES_SIGNING_SECRET"');

    // Its own test, on its own (not this repository's vitest config), then the compiler on it.
    const tests = await run(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--root', dir], dir);
    expect(tests.output).toMatch(/Tests\s+4 passed \(4\)/);
    expect(tests.code).toBe(0);
    const compiled = await run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
    expect(compiled).toEqual({ code: 0, output: '' });

    // The built server prints its manifest for publishing.
    const manifest = await run(process.execPath, [join(dir, 'dist', 'main.js'), '--print-manifest', 'https://call-notes.example.com/'], dir);
    expect(manifest.code).toBe(0);
    expect(JSON.parse(manifest.output)).toMatchObject({
      id: 'call-notes',
      author: 'Acme "Plugins" Ltd',
      description: 'Keeps notes on calls',
      permissions: ['textback:veto'],
      runtime: { kind: 'remote', url: 'https://call-notes.example.com/' },
      hooks: { 'textback.beforeSend': { timeoutMs: 2000, failurePolicy: 'open' } },
      steps: { greet_caller: { timeoutMs: 5000 } },
    });
  });

  it('writes into --dir, refuses a non-empty directory (exit 1) and an invalid id (exit 2)', async () => {
    expect((await create('quiet-hours', '--dir', 'elsewhere/qh', '--name', 'Quiet Hours')).code).toBe(0);
    expect(await readFile(join(work, 'elsewhere', 'qh', 'src', 'plugin.ts'), 'utf8')).toContain('name: "Quiet Hours"');

    await mkdir(join(work, 'taken'));
    await writeFile(join(work, 'taken', 'notes.txt'), 'mine');
    expect(await create('taken-plugin', '--dir', 'taken')).toEqual({
      code: 1,
      out: '',
      err: `create-mctb-plugin: ${join(work, 'taken')} is not empty (notes.txt): nothing was written; choose another --dir`,
    });
    expect(await readFile(join(work, 'taken', 'notes.txt'), 'utf8')).toBe('mine');

    expect(await create('Spam_Guard')).toEqual({
      code: 2,
      out: '',
      err: 'create-mctb-plugin: "Spam_Guard" is not a plugin id: it must be lowercase words joined by dashes, e.g. "spam-guard"',
    });
    expect((await create()).code).toBe(2);
    expect((await create('x-y', '--colour', 'red')).code).toBe(2);
  });

  it('pins the versions this repository builds with', async () => {
    const rootPackage = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    for (const name of ['zod', 'typescript', 'vitest', '@types/node'] as const) {
      expect(PINNED_VERSIONS[name], name).toBe(rootPackage.devDependencies[name]);
    }
  });
});
