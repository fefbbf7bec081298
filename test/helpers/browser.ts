// Debian's Chromium driven by playwright-core for the web app tests (issue 11): headless, no sandbox (root in
// CI), a fresh profile, and no outside connections (background networking, updates and sync off). A machine
// without /usr/bin/chromium skips the browser tests (a user's fresh clone must still pass `npm test`).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { trackOpen } from './leak-guard.ts';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Screenshots of the main pages, for a person to look at: test-output/screenshots/ (gitignored). */
export const SCREENSHOT_DIR = new URL('../../test-output/screenshots/', import.meta.url).pathname;

export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** Builds the web apps into dist/web/ (a second; the sources may be newer than the last npm install). */
export function buildWebApps(): void {
  const built = spawnSync(process.execPath, [new URL('../../scripts/build-web.js', import.meta.url).pathname], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`web build failed: ${built.stderr}`);
}

export interface TestBrowser { context: BrowserContext; page: Page; close(): Promise<void> }

/** One browser per test file: a persistent context on a fresh profile directory, removed at close. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'cpms-chromium-'));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  trackOpen({ name: 'chromium', isOpen: () => !closed, forceClose: close });
  return { context, page: context.pages()[0] ?? (await context.newPage()), close };
}
