/** Headless Chromium (Debian's) through playwright-core, plus a local runtime serving the dashboard. */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { silentLogger } from '../../functions/core/deps.ts';
import { createDashboardSite } from '../../local/dashboard/serve.ts';
import { startLocalRuntime, type LocalRuntime } from '../../local/runtime.ts';
import { REPO_DIR } from '../support/paths.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(REPO_DIR, 'test-results', 'screenshots');
export const sample = (name: string) => join(REPO_DIR, 'samples', name);

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH).`,
    );
  const userDataDir = mkdtempSync(join(tmpdir(), 'docuhook-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 1000 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    args: [
      '--no-sandbox',
      '--headless=new',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  context.setDefaultTimeout(20_000);
  const errors: string[] = [];
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      return page;
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
      if (errors.length) throw new Error(`uncaught errors in the page: ${errors.join('; ')}`);
    },
  };
}

export interface DashboardRuntime extends LocalRuntime {
  cleanup(): Promise<void>;
}

export async function startDashboardRuntime(): Promise<DashboardRuntime> {
  const dataDir = mkdtempSync(join(tmpdir(), 'docuhook-e2e-'));
  const runtime = await startLocalRuntime({
    dataDir,
    port: 0,
    logger: silentLogger,
    site: createDashboardSite(),
    sweepIntervalMs: 0,
    // Retries at once, so a failing receiver reaches the DLQ within a test.
    env: { RETRY_SCHEDULE: '0,0,0' },
  });
  return {
    ...runtime,
    async cleanup() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** Opens the dashboard and enters the API key, as a person would. */
export async function connect(page: Page, baseUrl: string, apiKey: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByRole('heading', { name: 'Upload invoices' }).waitFor();
}

/** Creates the built-in inbox endpoint and returns the secret the page showed once. */
export async function createInboxEndpoint(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Create inbox endpoint' }).click();
  await page.locator('#secret-code').waitFor();
  const secret = (await page.locator('#secret-code').textContent()) ?? '';
  await page.locator('#webhook-list li.endpoint').filter({ hasText: '/inbox/' }).waitFor();
  await page.locator('#inbox-controls').waitFor();
  return secret;
}
