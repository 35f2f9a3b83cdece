import { CHROMIUM_ARGS, ensureChromium, repoRoot } from '@mctb/devstack';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onboard } from './provision.js';
import { eventually, startStack, type Stack } from './stack.js';

const BUSINESS_NUMBER = '+15125550140';
const CALLER = '+15125550341';
const SLUG = 'e2e-dashboard';

const snapshot = (version: number, template: string) => `apiVersion: mctb.dev/v1
kind: Snapshot
metadata: { slug: ${SLUG}, name: Dashboard text-back, version: ${version} }
customValues:
  - { key: booking_link, name: Booking link, required: true }
textBack: { enabled: true, delay: 1s, dedupWindow: 24h, template: missed_call }
templates:
  missed_call: "${template}"
`;
const FIRST_TEXT = 'Sorry we missed you at {{ location.name }}! Book: {{ custom_values.booking_link }}';

/** Screenshots of each page, kept as test artifacts (gitignored). */
const ARTIFACTS = join(repoRoot, 'test-artifacts', 'dashboard');
/** Waits in the browser are for things the stack does (a workflow, a poll), not a measure of speed. */
const PATIENCE = { timeout: 45_000 };

describe('the agency dashboard in Debian Chromium against the real stack', () => {
  let stack: Stack;
  let subAccountId: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    const executablePath = await ensureChromium();
    stack = await startStack();
    subAccountId = await onboard(stack, {
      name: 'Lakeside Dental',
      timeZone: 'America/Chicago',
      twilioNumber: BUSINESS_NUMBER,
      forwardingNumber: '+15125550198',
      snapshotYaml: snapshot(1, FIRST_TEXT),
      customValues: { booking_link: 'https://book.example/lakeside' },
    });
    await mkdir(ARTIFACTS, { recursive: true });
    // playwright-core gives each launch a fresh, empty profile of its own (a new user-data dir).
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  // A failed step leaves a picture of the page and what the page logged, to see why.
  const pageErrors: string[] = [];
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail' || !page) return;
    await shoot(`failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    if (pageErrors.length > 0) console.error(`the page logged:\n${pageErrors.join('\n')}`);
  });

  const shoot = (name: string, target: Page = page) => target.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  it('refuses a wrong API key with a clear message, then signs in and lists the sub-accounts with today’s figures', async () => {
    await page.goto(`${stack.platform.controlPlaneUrl}/`);
    await page.getByLabel('API key').fill('mctb_not_a_real_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor(PATIENCE);
    expect(await alert.textContent()).toContain('not accepted');
    await shoot('sign-in-error');

    await page.getByLabel('API key').fill(stack.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sub-accounts', level: 1 }).waitFor(PATIENCE);
    const row = page.getByRole('row', { name: /Lakeside Dental/ });
    await row.waitFor(PATIENCE);
    expect(await row.getByRole('link', { name: 'Lakeside Dental' }).getAttribute('href')).toBe(`#/sub-accounts/${subAccountId}`);
    await shoot('sub-accounts');

    // The key stays for this tab only: a reload keeps the session.
    await page.reload();
    await page.getByRole('heading', { name: 'Sub-accounts', level: 1 }).waitFor(PATIENCE);
  }, 180_000);

  it('shows a missed call appear with its text-back while the page is open', async () => {
    await page.getByRole('link', { name: 'Lakeside Dental' }).click();
    await page.getByRole('heading', { name: 'Calls', level: 2 }).waitFor(PATIENCE);

    const callSid = 'CA-e2e-dashboard-1';
    await stack.webhook('/twilio/voice/incoming', { CallSid: callSid, From: CALLER, To: BUSINESS_NUMBER, CallStatus: 'ringing' });
    await stack.webhook('/twilio/voice/dial-result', { CallSid: callSid, From: CALLER, To: BUSINESS_NUMBER, CallStatus: 'in-progress', DialCallStatus: 'no-answer' });

    // The calls list polls; the row appears, then its text once the worker sent it.
    const row = page.locator(`tr[data-call-sid="${callSid}"]`);
    await row.locator('q.texted').waitFor(PATIENCE);
    expect(await row.textContent()).toContain('Sorry we missed you at Lakeside Dental! Book: https://book.example/lakeside');
    expect(await row.locator('td[data-label="Outcome"]').textContent()).toContain('no answer');
    expect(await row.locator('td[data-label="Text-back"]').textContent()).toContain('sent');
    expect(stack.twilio.messages().filter((m) => m.to === CALLER).map((m) => m.body)).toEqual(['Sorry we missed you at Lakeside Dental! Book: https://book.example/lakeside']);
    await shoot('calls');
  }, 180_000);

  it('replies from the inbox: the caller’s text is unread, the reply reaches Twilio once', async () => {
    await stack.webhook('/twilio/sms/incoming', { MessageSid: 'SM-e2e-dashboard-in', From: CALLER, To: BUSINESS_NUMBER, Body: 'Can I come in tomorrow at 9?' });
    await page.getByRole('navigation', { name: 'Sub-account sections' }).getByRole('link', { name: /Inbox/ }).click();
    const conversation = page.locator('.conversations a', { hasText: 'Can I come in tomorrow at 9?' });
    await conversation.waitFor(PATIENCE);
    expect(await conversation.locator('.badge').textContent()).toBe('1');
    await conversation.click();

    await page.locator('.events', { hasText: 'Can I come in tomorrow at 9?' }).waitFor(PATIENCE);
    // Opening the thread marks it read.
    await page.locator('.conversations a .badge').waitFor({ state: 'detached', ...PATIENCE });

    const reply = 'Hi, this is Lakeside Dental: 9am tomorrow works, see you then!';
    await page.getByLabel(/Reply to/).fill(reply);
    await page.getByRole('button', { name: 'Send reply' }).click();
    const sent = page.getByRole('status');
    await sent.waitFor(PATIENCE);
    expect(await sent.textContent()).toContain('Sent (1 segment)');
    await page.locator('.event.out .body', { hasText: reply }).waitFor(PATIENCE);
    await eventually(async () => expect(stack.twilio.messages().filter((m) => m.to === CALLER).map((m) => m.body)).toContain(reply));
    expect(stack.twilio.messages().filter((m) => m.body === reply)).toHaveLength(1);
    expect(await page.getByLabel(/Reply to/).inputValue()).toBe('');
    await shoot('inbox');
  }, 180_000);

  it('draws the metrics charts over a date range', async () => {
    await page.getByRole('navigation', { name: 'Sub-account sections' }).getByRole('link', { name: 'Metrics' }).click();
    await page.getByRole('heading', { name: 'Metrics', level: 2 }).waitFor(PATIENCE);
    const missed = page.locator('.totals div', { hasText: 'Missed calls' }).locator('dd');
    await missed.waitFor(PATIENCE);
    expect(await missed.textContent()).toBe('1');
    const charts = page.getByTestId('chart');
    await charts.first().locator('canvas').waitFor(PATIENCE);
    expect(await charts.count()).toBe(2);
    // Drawn content: the canvas has painted (non-transparent) pixels.
    const painted = await charts.first().locator('canvas').evaluate((element) => {
      // Runs in the browser (this package is typed for Node, without the DOM's types).
      const canvas = element as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let count = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) count++;
      return count;
    });
    expect(painted).toBeGreaterThan(100);
    await shoot('metrics');
  }, 180_000);

  it('shows snapshots with versions, a diff and where they are deployed, and a provisioning run to completion', async () => {
    const imported = await stack.graphql<{ importSnapshot: { __typename: string } }>(
      `mutation ($yaml: String!) { importSnapshot(yaml: $yaml) { __typename } }`,
      { yaml: snapshot(2, 'Hi from {{ location.name }}, sorry we missed you! Book: {{ custom_values.booking_link }}') },
    );
    expect(imported.importSnapshot.__typename).toBe('ImportSnapshotPayload');
    const started = await stack.graphql<{ startProvisioning: { __typename: string; run?: { id: string } } }>(
      `mutation ($input: StartProvisioningInput!) { startProvisioning(input: $input) { __typename ... on StartProvisioningPayload { run { id } } } }`,
      { input: { idempotencyKey: 'dashboard-upgrade', snapshot: { slug: SLUG, version: 2 }, targets: [{ subAccountId }] } },
    );
    expect(started.startProvisioning.__typename).toBe('StartProvisioningPayload');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Snapshots' }).click();
    await page.getByRole('link', { name: /Dashboard text-back/ }).click();
    await page.getByRole('heading', { name: 'Versions' }).waitFor(PATIENCE);
    await page.locator('.diff', { hasText: 'templates' }).waitFor(PATIENCE);
    await page.locator('li', { hasText: 'Lakeside Dental' }).waitFor(PATIENCE);
    await shoot('snapshots');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Provisioning' }).click();
    await page.getByRole('link', { name: new RegExp(`${SLUG} v2`) }).click();
    await page.locator('#run-heading').waitFor(PATIENCE);
    // The page polls the run until it completes.
    await page.locator('main .status-completed').first().waitFor(PATIENCE);
    expect(await page.locator('label[for="run-progress"]').textContent()).toContain('1 of 1 targets done: 1 applied');
    await shoot('provisioning-run');
  }, 180_000);

  it('counts today’s call, text and reply on the sub-accounts page', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sub-accounts' }).click();
    const row = page.getByRole('row', { name: /Lakeside Dental/ });
    await row.locator('td[data-label="Missed calls"]', { hasText: '1' }).waitFor(PATIENCE);
    expect(await row.locator('td[data-label="Texts sent"]').textContent()).toBe('1');
    expect(await row.locator('td[data-label="Replies"]').textContent()).toBe('1');
    await shoot('sub-accounts-today');
  }, 180_000);

  it('is readable on a phone', async () => {
    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${stack.platform.controlPlaneUrl}/dashboard/#/sub-accounts/${subAccountId}/calls`);
    // A new tab has its own sessionStorage, so it asks for the key again, then opens the linked page.
    await phone.getByLabel('API key').fill(stack.apiKey);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await phone.locator('q.texted').first().waitFor(PATIENCE);
    // No sideways scrolling: the page is no wider than the screen.
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shoot('calls-phone', phone);
    await phone.close();
  }, 180_000);
});
