import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.js';

/** The built `mctb` binary, as `npx mctb` runs it. */
const MCTB = new URL('../../../packages/cli/bin/mctb.js', import.meta.url).pathname;
const STARTER = new URL('../../../snapshots/missed-call-text-back.yaml', import.meta.url);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `mctb` as a user runs it against the platform's control plane: its own process, configured by the
 * environment (MCTB_URL, MCTB_API_KEY), started in a scratch directory holding the user's files.
 */
let stack: Stack;
let workDir: string;

function mctb(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MCTB, ...args],
      { cwd: workDir, env: { ...process.env, MCTB_URL: `${stack.platform.controlPlaneUrl}/graphql`, MCTB_API_KEY: stack.apiKey, ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function createSubAccount(name: string, twilioNumber: string): Promise<string> {
  stack.twilio.addIncomingNumber({ phoneNumber: twilioNumber });
  const created = await stack.graphql<{ createSubAccount: { __typename: string; subAccount?: { id: string } } }>(
    `mutation ($input: CreateSubAccountInput!) { createSubAccount(input: $input) {
      __typename ... on CreateSubAccountPayload { subAccount { id } } } }`,
    { input: { name, timeZone: 'America/Chicago', twilioNumber, forwardingNumber: '+15125550199' } },
  );
  expect(created.createSubAccount.__typename).toBe('CreateSubAccountPayload');
  return created.createSubAccount.subAccount!.id;
}

beforeAll(async () => {
  stack = await startStack();
  workDir = await mkdtemp(join(tmpdir(), 'mctb-cli-e2e-'));
  await writeFile(join(workDir, 'starter.yaml'), await readFile(STARTER, 'utf8'));
});

afterAll(async () => {
  await stack?.stop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the mctb CLI against the running platform', () => {
  it('validates offline: each problem as FILE:LINE:COL path: message, exit 1', async () => {
    const starter = await readFile(STARTER, 'utf8');
    await writeFile(join(workDir, 'broken.yaml'), starter.replace('delay: 60s', 'delay: 90 seconds').replace('{{ location.name }}', '{{ location.nam }}'));
    const result = await mctb(['snapshot', 'validate', 'starter.yaml', 'broken.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('starter.yaml: ok (missed-call-text-back version 1)\n');
    expect(result.stderr).toMatch(/^broken\.yaml:\d+:\d+ textBack\.delay: expected a duration/m);
    expect(result.stderr).toMatch(/^broken\.yaml:\d+:\d+ templates\.missed_call: .*location\.nam/m);
    expect(result.stderr).toMatch(/^broken\.yaml: 2 problems$/m);
  });

  it('pushes a snapshot once: the same file again is unchanged', async () => {
    const first = await mctb(['snapshot', 'push', 'starter.yaml']);
    expect(first).toMatchObject({ code: 0, stdout: 'created missed-call-text-back@1 (Missed call text-back (starter))\n' });
    const second = await mctb(['snapshot', 'push', 'starter.yaml']);
    expect(second).toMatchObject({ code: 0, stdout: 'unchanged (missed-call-text-back@1 is already this file)\n' });
  });

  it('shows what the server refused in a push, with the line', async () => {
    const starter = await readFile(STARTER, 'utf8');
    await writeFile(join(workDir, 'refused.yaml'), starter.replace('template: missed_call', 'template: no_such_template'));
    const result = await mctb(['snapshot', 'push', 'refused.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^refused\.yaml:\d+:\d+ textBack\.template: .*no_such_template/m);
  });

  it('says when the key is wrong or the server is not there (exit 2)', async () => {
    const badKey = await mctb(['snapshot', 'push', 'starter.yaml'], { MCTB_API_KEY: 'mctb_not_a_key' });
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toBe('mctb: the control plane refused the API key (invalid or revoked API key); check --api-key / MCTB_API_KEY\n');
    const noServer = await mctb(['--url', 'http://127.0.0.1:9/graphql', 'deployments', 'missed-call-text-back']);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toContain('mctb: cannot reach the control plane at http://127.0.0.1:9/graphql');
  });

  it('diffs two versions by section', async () => {
    const starter = await readFile(STARTER, 'utf8');
    await writeFile(
      join(workDir, 'v2.yaml'),
      starter.replace('version: 1 ', 'version: 2 ').replace('delay: 60s', 'delay: 30s').replace('How can we help?', 'How can we help today?'),
    );
    expect((await mctb(['snapshot', 'push', 'v2.yaml'])).stdout).toBe('created missed-call-text-back@2 (Missed call text-back (starter))\n');
    const diff = await mctb(['snapshot', 'diff', 'missed-call-text-back@1..2']);
    expect(diff).toMatchObject({ code: 0, stderr: '' });
    expect(diff.stdout).toMatch(/^missed-call-text-back 1 -> 2: \d+ changes$/m);
    expect(diff.stdout).toMatch(/^ {2}~ templates\.missed_call: /m);
    expect(diff.stdout).toMatch(/^ {2}~ textBack\.delay\w*: .* \(60 -> 30\)$/m);
  });

  it('provisions the sub-accounts of a CSV with a result table; the same command again is the same run', async () => {
    const greenfield = await createSubAccount('Greenfield Plumbing', '+15125550141');
    stack.twilio.addIncomingNumber({ phoneNumber: '+15125550142' });
    // An existing sub-account, a new one, and a new one on a number the agency's Twilio account doesn't hold.
    await writeFile(
      join(workDir, 'clients.csv'),
      [
        'subAccountId,name,timeZone,twilioNumber,forwardingNumber,booking_link',
        `${greenfield},,,,,https://book.example/greenfield`,
        ',Riverside Dental,America/Chicago,+15125550142,+15125550198,https://book.example/riverside',
        ',Hilltop Roofing,America/Chicago,+15125550143,+15125550197,https://book.example/hilltop',
      ].join('\n'),
    );
    const args = ['provision', '--snapshot', 'missed-call-text-back@2', '--targets', 'clients.csv'];
    const first = await mctb(args);
    expect(first).toMatchObject({ code: 1, stderr: expect.stringContaining('idempotency key') });
    const rows = first.stdout.split('\n').filter((line) => line.startsWith('│'));
    expect(rows[0]).toMatch(/│ line\s+│ target\s+│ sub-account\s+│ status\s+│ reason/);
    expect(rows.find((row) => row.startsWith('│ 2 '))).toMatch(/Greenfield Plumbing.*│ applied /);
    expect(rows.find((row) => row.startsWith('│ 3 '))).toMatch(/Riverside Dental.*│ applied /);
    expect(rows.find((row) => row.startsWith('│ 4 '))).toMatch(/│ failed /);
    expect(first.stdout).toMatch(/missed-call-text-back@2: 3\/3 done \(applied 2, unchanged 0, failed 1\)/);
    const key = /idempotency key (\S+)/.exec(first.stderr)?.[1];
    expect(key).toMatch(/^mctb-cli-/);

    const again = await mctb(args);
    expect(again.stderr).toContain(`idempotency key ${key}`);
    expect(again.stderr).toMatch(/was already started with this key .*nothing new is applied/);
    expect(again.stdout).toBe(first.stdout);

    const deployments = await mctb(['deployments', 'missed-call-text-back', '--version', '2']);
    expect(deployments).toMatchObject({ code: 0, stderr: '' });
    expect(deployments.stdout).toContain('Greenfield Plumbing');
    expect(deployments.stdout).toContain('Riverside Dental');
    expect(deployments.stdout).toMatch(/2 sub-accounts run missed-call-text-back@2/);
  });

  it('previews an upgrade without changing anything', async () => {
    const preview = await mctb(['provision', '--snapshot', 'missed-call-text-back@2', '--targets', 'clients.csv', '--preview']);
    expect(preview).toMatchObject({ code: 1, stderr: '' });
    expect(preview.stdout).toMatch(/preview of missed-call-text-back@2: 3 targets, 1 with problems; nothing was changed/);
    const rows = preview.stdout.split('\n').filter((line) => line.startsWith('│'));
    expect(rows.find((row) => row.startsWith('│ 2 '))).toMatch(/│ unchanged /);
  });
});
