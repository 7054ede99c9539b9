/**
 * Chromium for browser journeys, driven by playwright-core. Uses the system Chromium
 * (`apt-get install chromium`); `CHROMIUM_PATH` points elsewhere, e.g. at a Playwright-installed browser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import './context';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function getChromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export async function launchBrowser(): Promise<Browser> {
  const executablePath = getChromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
}

/** Origin of the app under test (no trailing slash); `url('/sprawy')` gives an absolute URL. */
export function url(pathname = '/'): string {
  return new URL(pathname, inject('baseUrl')).toString();
}

/**
 * Headers for API calls a spec makes with Playwright's request context (which, unlike the page, sends no
 * Origin): state-changing routes refuse requests that do not come from our own origin (lib/http/origin.ts).
 */
export function sameOrigin(): Record<string, string> {
  return { origin: new URL(inject('baseUrl')).origin };
}

export type TJourneyPage = { context: BrowserContext; page: Page; pageErrors: Error[] };

/** A fresh, isolated browser context in Polish; uncaught page errors are collected for assertions. */
export async function openPage(browser: Browser): Promise<TJourneyPage> {
  const context = await browser.newContext({ locale: 'pl-PL', timezoneId: 'Europe/Warsaw', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: Error[] = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  return { context, page, pageErrors };
}

/** Saves a full-page PNG to test-results/screenshots/<name>.png (git-ignored, uploaded by CI). */
/** For failure paths: a screenshot that cannot be taken is reported, and never replaces the error being reported. */
export function reportScreenshotFailure(e: unknown): void {
  console.warn(`[e2e] screenshot failed: ${e instanceof Error ? e.message : String(e)}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const safeName = name.replace(/[^a-z0-9._-]+/gi, '-');
  const file = path.join(inject('resultsDir'), 'screenshots', `${safeName}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
