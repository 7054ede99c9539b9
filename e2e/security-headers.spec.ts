import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser, openPage, url } from './browser';
import { signIn } from './helpers';

/**
 * Web defences as a browser sees them: the security headers on pages, and — the measurement behind the
 * CSP's missing 'unsafe-eval' (README, Decisions) — Form.io's renderer, its calendar and its selects work
 * under that CSP with no violation reported. A state-changing API call from another origin is refused.
 */
async function recordViolations(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
}

describe('security headers and CSP', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('sends the security headers; Form.io pages run under the CSP without eval and without a violation', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    const consoleCsp: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|unsafe-eval|EvalError/i.test(m.text())) consoleCsp.push(m.text());
    });
    try {
      await recordViolations(context);
      const res = await page.goto(url('/logowanie'));
      const h = res!.headers();
      expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(h['content-security-policy']).not.toContain('unsafe-eval');
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['referrer-policy']).toBe('same-origin');
      expect(h['strict-transport-security']).toContain('max-age=');

      await signIn(page, 'ps@sample.kooperacja.test');
      await page.goto(url('/pakiety/sample/1.0.0/formularze/zgloszenie'));
      await page.locator('[data-testid="form-submit"]:enabled').waitFor();
      await page.locator('.formio-component-dataZgloszenia input.form-control:visible').first().click();
      await page.locator('.flatpickr-calendar.open').waitFor();
      await page.keyboard.press('Escape');
      await page.getByLabel('Instytucja').first().check();
      await page.locator('.formio-component-instytucjaZglaszajaca .choices').first().click();
      await page.locator('.formio-component-instytucjaZglaszajaca .choices__list--dropdown').first().waitFor();
      await page.getByRole('button', { name: 'Sprawdź' }).click();
      await page.getByTestId('form-errors').waitFor();

      await page.goto(url('/sprawy'));
      await page.locator('a[href^="/sprawy/"]').first().click();
      await page.waitForURL(/\/sprawy\/[^/]+$/);
      const formLink = page.locator('a[href*="/formularze/"]').first();
      if (await formLink.count()) {
        await formLink.click();
        await page.locator('.formio-form').first().waitFor();
      }
      const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
      expect(violations).toEqual([]);
      expect(consoleCsp).toEqual([]);
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('refuses a state-changing API call from another origin, accepts it from ours', async () => {
    const { context, page } = await openPage(browser);
    try {
      await signIn(page, 'ps@sample.kooperacja.test');
      const foreign = await page.request.post(url('/api/notifications/read'), { data: { all: true }, headers: { origin: 'https://evil.example' } });
      expect(foreign.status()).toBe(403);
      expect(((await foreign.json()) as { detail: string }).detail).toMatch(/stron[yę] aplikacji/);
      const status = await page.evaluate(async () => (await fetch('/api/notifications/read', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ all: true }) })).status);
      expect(status).toBeLessThan(500);
      expect(status).not.toBe(403);
    } finally {
      await context.close();
    }
  });
});
