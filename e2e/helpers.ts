/**
 * Shared steps of the browser journeys: signing in with a demo account and filling Form.io forms the way a
 * user does (inputs are `input[name="data[key]"]`; Choices.js selects open by clicking their box).
 */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { reportScreenshotFailure, screenshot, url } from './browser';

/** Every demo account's password (lib/demo/seed.ts). */
export const DEMO_PASSWORD = 'Kooperacja-demo-2026';

export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(url('/logowanie'));
  await page.fill('#email', email);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials')), page.click('button[type=submit]')]);
  await page.getByTestId('user-name').waitFor();
}

/** The day of a typed `dd.MM.yyyy[ HH:mm]` or `yyyy-MM-dd[ HH:mm]` (the packs' display formats) as `yyyy-MM-dd`. */
function typedDay(value: string): string {
  const pl = /^(\d{2})\.(\d{2})\.(\d{4})/.exec(value);
  return pl ? `${pl[3]}-${pl[2]}-${pl[1]}` : value.slice(0, 10);
}

/**
 * Types a date (or date and time) into a Form.io datetime field (flatpickr with `allowInput`), as a keyboard user does: type it,
 * leave the field with Tab (flatpickr parses the text on blur). Accepted when the visible field shows the text
 * AND the hidden model input holds that day — the model is what gets submitted.
 *
 * Form.io loads flatpickr lazily and builds the calendar after the form is shown; a form that is still settling
 * (prefill, a redraw after a conditional field changes) can swallow what was typed. So: wait for flatpickr,
 * retype a few times, and only then set the date through flatpickr itself (what a click in the calendar does),
 * with a warning in the log; if even that fails, the error names both values and a screenshot is saved.
 */
export async function fillDate(page: Page, scope: string, value: string): Promise<void> {
  const field = page.locator(scope).first();
  const model = field.locator('input.flatpickr-input').first();
  const input = field.locator('input.form-control:visible').first();
  const day = typedDay(value);
  await model.waitFor({ state: 'attached', timeout: 15_000 });
  const accepted = () =>
    expect
      .poll(async () => (await input.inputValue()) === value && (await model.inputValue()).startsWith(day), { timeout: 3_000 })
      .toBe(true)
      .then(() => true, () => false);
  for (let attempt = 0; attempt < 3; attempt++) {
    await input.click();
    await input.press('ControlOrMeta+a');
    // The field has an input mask: typed key by key on a retry, in case the mask dropped a pasted value.
    if (attempt === 0) await input.fill(value);
    else await input.pressSequentially(value);
    await input.press('Tab');
    await page.keyboard.press('Escape');
    if (await accepted()) return;
  }
  console.warn(`[e2e] fillDate: typing ${value} into ${scope} did not reach the form; setting it through flatpickr`);
  await model.evaluate((el, v) => {
    const picker = (el as HTMLInputElement & { _flatpickr?: { setDate(d: string, triggerChange: boolean, format: string): void; config: { altFormat: string } } })._flatpickr;
    picker?.setDate(v, true, picker.config.altFormat);
  }, value);
  if (await accepted()) return;
  await screenshot(page, `fillDate-failed-${scope}`).catch(reportScreenshotFailure);
  throw new Error(`date ${value} not accepted in ${scope}: field shows "${await input.inputValue()}", model holds "${await model.inputValue()}"`);
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

/** Submits the open case form and waits for the case page's confirmation; when the form refuses, fails with the errors the user sees. */
export async function submitCaseForm(page: Page, caseUrl: string): Promise<void> {
  await page.getByTestId('form-submit').click();
  const accepted = page.waitForURL((u) => u.toString().startsWith(caseUrl) && u.searchParams.has('zatwierdzono'), { timeout: 20_000 }).then(() => true);
  const refused = page.getByTestId('form-errors').waitFor({ timeout: 20_000 }).then(() => false);
  // The first outcome wins; the other one's timeout is expected (it fails only when neither happens).
  if (!(await Promise.any([accepted, refused]))) {
    await screenshot(page, `form-refused-${Date.now()}`).catch(reportScreenshotFailure);
    const shown = await page.locator('[data-testid="form-errors"], .formio-errors .error, .alert-danger').allTextContents();
    throw new Error(`form refused: ${shown.join(' | ')}`);
  }
  await page.getByTestId('case-notice').waitFor();
}
