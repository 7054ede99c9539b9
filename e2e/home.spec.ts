import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot, url } from './browser';

describe('home page', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens in Polish with the product name', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      const response = await page.goto(url('/'), { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(await page.locator('html').getAttribute('lang')).toBe('pl');
      expect(await page.title()).toContain('Kooperacja');
      await expect.poll(() => page.locator('h1').first().textContent()).toContain('Kooperacja');
      await screenshot(page, 'home');
      expect(pageErrors.map((error) => error.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
