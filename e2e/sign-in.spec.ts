import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot, url } from './browser';

// The demo accounts of configs/sample/demo.json share one password (lib/demo/seed.ts).
const DEMO_PASSWORD = 'Kooperacja-demo-2026';

/** Submits the sign-in form once and waits for the server's answer (success or a message on the page). */
async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.fill('#email', email);
  await page.fill('#password', password);
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials')), page.click('button[type=submit]')]);
}

describe('sign-in', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('signs a demo user in (name in the header) and out again', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await page.goto(url('/logowanie'));
      await screenshot(page, 'sign-in-form');
      await submitSignIn(page, 'ps@sample.kooperacja.test', DEMO_PASSWORD);
      const name = page.getByTestId('user-name');
      await name.waitFor();
      expect(await name.textContent()).toBe('Paulina Socjalna');
      await screenshot(page, 'sign-in-signed-in');

      await page.getByRole('button', { name: 'Wyloguj' }).click();
      await page.waitForURL(/\/logowanie/);
      await page.getByRole('link', { name: 'Logowanie' }).waitFor();
      expect(await page.getByTestId('user-name').count()).toBe(0);
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('locks an account after ten wrong passwords and refuses even the right one while locked', async () => {
    const { context, page } = await openPage(browser);
    const email = 'policja@sample.kooperacja.test';
    const error = page.getByTestId('sign-in-error');
    try {
      await page.goto(url('/logowanie'));
      for (let i = 1; i <= 9; i++) {
        await submitSignIn(page, email, `zle-haslo-${i}`);
        await expect.poll(() => error.textContent()).toContain('Nieprawidłowy adres e-mail lub hasło');
      }
      await submitSignIn(page, email, 'zle-haslo-10');
      await expect.poll(() => error.textContent()).toContain('zablokowane');
      await screenshot(page, 'sign-in-locked');

      await submitSignIn(page, email, DEMO_PASSWORD);
      await expect.poll(() => error.textContent()).toMatch(/Konto jest czasowo zablokowane.*Spróbuj ponownie za \d+ min/);
      expect(page.url()).toContain('/logowanie');
      expect(await page.getByTestId('user-name').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
