/**
 * OpenID Connect sign-in in Chromium against a real OIDC provider the harness runs locally: an existing
 * account is linked by e-mail on first SSO sign-in; an identity without an account is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, url } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signInThroughProvider(page: Page, login: string): Promise<void> {
  await page.goto(url('/logowanie'));
  await page.getByRole('button', { name: 'Logowanie instytucjonalne (SSO)' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('dowolne');
  await page.locator('button[type="submit"]').click();
  // The provider asks once for consent to share the identity with the app.
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('sign-in with OpenID Connect', () => {
  it('links an existing account by e-mail and signs it in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughProvider(page, 'kierownik@sample.kooperacja.test');
    await expect.poll(() => page.getByTestId('user-name').textContent(), { timeout: 15_000 }).toBe('Krzysztof Kierownik');
    await screenshot(page, 'oidc-01-signed-in');
    await context.close();
  });

  it('refuses an identity that has no account, with a clear message', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInThroughProvider(page, 'nieznany@example.test');
    await expect.poll(() => page.getByTestId('sign-in-error').textContent(), { timeout: 15_000 }).toContain('Nie znaleziono konta');
    await screenshot(page, 'oidc-02-no-account');
    await context.close();
  });
});
