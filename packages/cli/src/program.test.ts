import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from './io.js';
import { runCli } from './program.js';

const starters = new URL('../../../snapshots/', import.meta.url);

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (text) => out.push(text), err: (text) => err.push(text), errIsTTY: false, errStream: process.stderr };
  const code = await runCli(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('mctb on the command line', () => {
  it('validates the starters offline and exits 0', async () => {
    const file = new URL('missed-call-text-back.yaml', starters).pathname;
    const result = await run('snapshot', 'validate', file);
    expect(result).toMatchObject({ code: 0, out: `${file}: ok (missed-call-text-back version 1)` });
  });

  it('lists every problem of a broken snapshot with its line and path, and exits 1', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mctb-cli-'));
    const file = join(directory, 'broken.yaml');
    const starter = await readFile(new URL('missed-call-text-back.yaml', starters), 'utf8');
    await writeFile(file, starter.replace('delay: 60s', 'delay: soon').replace('template: missed_call', 'template: missed_cal'));
    const result = await run('snapshot', 'validate', file);
    expect(result.code).toBe(1);
    const lines = result.err.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${file}:\\d+:\\d+ textBack\\.delay: expected a duration`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${file}:\\d+:\\d+ textBack\\.template: .*missed_cal`)));
    expect(lines.at(-1)).toBe(`${file}: 2 problems`);
  });

  it("checks a first-party plugin's config offline", async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mctb-cli-'));
    const file = join(directory, 'voice.yaml');
    const starter = await readFile(new URL('missed-call-text-back.yaml', starters), 'utf8');
    await writeFile(file, `${starter}plugins:\n  - id: voice-ai\n    config: { agentUrl: "ftp://agent.example", signingSecret: short }\n`);
    const result = await run('snapshot', 'validate', file);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(new RegExp(`^${file}:\\d+:\\d+ plugins\\[0\\]\\.config\\.agentUrl: agentUrl must be an http\\(s\\) URL$`, 'm'));
    expect(result.err).toMatch(/plugins\[0\]\.config\.signingSecret: signingSecret must be at least 16 characters$/m);
  });

  it('says which file it cannot read (exit 2)', async () => {
    expect(await run('snapshot', 'validate', '/nonexistent/snapshot.yaml')).toMatchObject({ code: 2, err: 'mctb: cannot read /nonexistent/snapshot.yaml: no such file' });
  });

  it('exits 2 on a wrong command line, with a hint', async () => {
    const unknown = await run('snapshot', 'valdate', 'x.yaml');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('(Did you mean validate?)');
    const missing = await run('provision', '--snapshot', 'hvac@2');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '--targets <file.csv>' not specified");
    expect((await run('provision', '--snapshot', 'hvac', '--targets', 'x.csv', '--concurrency', 'lots')).code).toBe(2);
    expect(await run('provision', '--snapshot', 'Hvac@two', '--targets', 'x.csv')).toMatchObject({ code: 2, err: expect.stringContaining('is not a snapshot reference') });
    expect(await run('snapshot', 'diff', 'hvac', '2')).toMatchObject({ code: 2, err: expect.stringContaining('mctb snapshot diff SLUG FROM TO') });
  });

  it('prints help and exits 0', async () => {
    const help = await run('snapshot', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/validate <files\.\.\.> +check snapshot files offline/);
  });

  it('asks for an API key before calling the server, and says when the server is not there (exit 2)', async () => {
    expect(await run('deployments', 'hvac')).toMatchObject({ code: 2, err: expect.stringContaining('no API key: pass --api-key or set MCTB_API_KEY') });
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    const unreachable = await run('--url', url, '--api-key', 'mctb_x', 'deployments', 'hvac');
    expect(unreachable.code).toBe(2);
    expect(unreachable.err).toBe(`mctb: cannot reach the control plane at ${url} (ECONNREFUSED); is it running? (npm start, or --url / MCTB_URL)`);
  });
});
