/**
 * Shared steps of the browser journeys: signing in with a demo account and filling Form.io forms the way a
 * user does (inputs are `input[name="data[key]"]`; Choices.js selects open by clicking their box).
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { url } from './browser';

/** Every demo account's password (lib/demo/seed.ts). */
export const DEMO_PASSWORD = 'Kooperacja-demo-2026';

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(url('/logowanie'));
  await page.fill('#email', email);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials')), page.click('button[type=submit]')]);
  await page.getByTestId('user-name').waitFor();
}

/** Types a date into a Form.io datetime (flatpickr with allowInput): Enter makes flatpickr parse it. */
export async function fillDate(page: Page, scope: string, iso: string): Promise<void> {
  const input = page.locator(`${scope} input.form-control:visible`).first();
  await input.click();
  await input.fill(iso);
  await input.press('Enter');
  await page.keyboard.press('Escape');
  await expect.poll(() => input.inputValue()).toBe(iso);
}

/** Picks the option whose text contains `text` in a Choices.js select inside `scope`. */
export async function chooseOption(page: Page, scope: string, text: string): Promise<void> {
  await page.locator(`${scope} .choices`).first().click();
  await page.locator(`${scope} .choices__list--dropdown .choices__item--choice`, { hasText: text }).first().click();
}

/** Opens a case form from the case page ("Wypełnij: <title>") and waits until Form.io has built it. */
export async function openCaseForm(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: `Wypełnij: ${title}` }).click();
  await page.waitForURL(/\/formularze\//);
  await expect.poll(() => page.getByTestId('form-submit').isEnabled(), { timeout: 15_000 }).toBe(true);
}

/** Submits the open case form and waits for the case page's confirmation. */
export async function submitCaseForm(page: Page, caseUrl: string): Promise<void> {
  await page.getByTestId('form-submit').click();
  await page.waitForURL((u) => u.toString().startsWith(caseUrl) && u.searchParams.has('zatwierdzono'));
  await page.getByTestId('case-notice').waitFor();
}
