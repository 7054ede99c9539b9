import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot, url, sameOrigin } from './browser';

// The demo accounts of configs/sample/demo.json share one password (lib/demo/seed.ts).
const DEMO_PASSWORD = 'Kooperacja-demo-2026';
const PREVIEW = '/pakiety/sample/1.0.0/formularze/zgloszenie';

/** Opens a form preview and waits until Form.io is ready for input (the submit button turns on). */
async function openPreview(page: Page): Promise<void> {
  await page.goto(url(PREVIEW));
  await page.locator('[data-testid="form-submit"]:enabled').waitFor();
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(url('/logowanie'));
  await page.fill('#email', email);
  await page.fill('#password', DEMO_PASSWORD);
  await Promise.all([page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials')), page.click('button[type=submit]')]);
  await page.getByTestId('user-name').waitFor();
}

describe('forms: pack browser and form preview', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('browses the published packs and one version in readable tables', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await signIn(page, 'ps@sample.kooperacja.test');
      await page.goto(url('/pakiety'));
      await page.getByRole('heading', { name: 'Pakiety konfiguracji' }).waitFor();
      await screenshot(page, 'forms-packs');
      await page.locator('a[href="/pakiety/sample/1.0.0"]').click();
      await page.waitForURL(/\/pakiety\/sample\/1\.0\.0$/);
      for (const section of ['Role', 'Rodzaje zespołów', 'Słowniki', 'Formularze', 'Przepływy', 'Terminy', 'Wskaźniki']) {
        await page.getByRole('heading', { name: new RegExp(`^${section}`) }).first().waitFor();
      }
      expect(await page.getByText('Przyjmij zgłoszenie').count()).toBeGreaterThan(0);
      await screenshot(page, 'forms-pack-version');

      // The comparison view answers for any two published versions (here: a version with itself).
      await page.goto(url('/pakiety/sample/1.0.0/porownanie?z=1.0.0'));
      await page.getByText('Wersje mają tę samą treść.').waitFor();
      const missing = await page.goto(url('/pakiety/sample/9.9.9'));
      expect(missing?.status()).toBe(404);
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('previews a form: Polish required errors inline, the calendar opens, a filled form is valid on the server', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await signIn(page, 'ps@sample.kooperacja.test');
      await openPreview(page);
      await screenshot(page, 'forms-preview-empty');

      // Empty submit: Form.io's client validation marks each required field, in Polish, and nothing reaches the server.
      await page.getByRole('button', { name: 'Sprawdź' }).click();
      const alert = page.getByTestId('form-errors');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('Formularz zawiera błędy');
      const opisError = page.locator('.formio-component-opisSytuacji .formio-errors');
      await expect.poll(() => opisError.textContent()).toContain('Pole „Opis sytuacji rodziny” jest wymagane');
      expect(await page.locator('.formio-component-przeslanki .formio-errors').textContent()).toContain('jest wymagane');
      expect(await page.locator('.formio-component-dataZgloszenia .formio-errors').textContent()).toContain('jest wymagane');
      await screenshot(page, 'forms-preview-required');

      // The datetime calendar (flatpickr from /formio-cdn) opens, in Polish.
      await page.locator('.formio-component-dataZgloszenia input.form-control:visible').first().click();
      const calendar = page.locator('.flatpickr-calendar.open');
      await calendar.waitFor();
      expect(await calendar.locator('.flatpickr-weekday').first().textContent()).toMatch(/Pn|Pon/);
      const month = await calendar.locator('.flatpickr-monthDropdown-months option:checked, .cur-month').first().textContent();
      expect(month).toMatch(/Styczeń|Luty|Marzec|Kwiecień|Maj|Czerwiec|Lipiec|Sierpień|Wrzesień|Październik|Listopad|Grudzień/);
      await screenshot(page, 'forms-preview-calendar');
      // Served by the app itself (offline-capable), not by cdn.form.io.
      const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      expect(loaded.some((n) => n.includes('/formio-cdn/flatpickr-formio/flatpickr.min.js'))).toBe(true);
      expect(loaded.some((n) => n.includes('/formio-cdn/flatpickr-formio/l10n/flatpickr-pl.js'))).toBe(true);
      expect(loaded.filter((n) => n.includes('form.io'))).toEqual([]);
      await calendar.locator('.flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)').nth(9).click();
      await page.keyboard.press('Escape');

      await page.getByLabel('Samozgłoszenie').check();
      await page.fill('textarea[name="data[opisSytuacji]"]', 'Rodzina w kryzysie, potrzebna współpraca instytucji.');
      await page.getByLabel('Chroniczny kryzys').check();
      await page.getByRole('button', { name: 'Sprawdź' }).click();
      await page.getByTestId('form-valid').waitFor();
      expect(await page.getByTestId('form-valid').textContent()).toContain('Formularz poprawny');
      expect(await page.getByTestId('form-errors').count()).toBe(0);
      await screenshot(page, 'forms-preview-valid');
      // A user's edit reaches onChange (debounced), which withdraws the verdict.
      await page.fill('textarea[name="data[opisSytuacji]"]', 'Zmieniony opis.');
      await page.getByTestId('form-valid').waitFor({ state: 'detached' });
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows field errors from the server inline and in the alert, and clears them on the next try', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await signIn(page, 'ps@sample.kooperacja.test');
      // The server is the authority: a request that skips the browser's checks gets field errors back.
      const res = await page.request.post(url('/api/packs/sample/versions/1.0.0/forms/zgloszenie/validate'), {
        headers: sameOrigin(),
        data: { data: { dataZgloszenia: '2026-03-01T00:00:00.000Z', zrodloZgloszenia: 'samozgloszenie', opisSytuacji: 'x', przeslanki: { wymyslona: true } } },
      });
      expect(res.status()).toBe(400);
      const problem = (await res.json()) as { errors: { path: string; message: string }[] };
      expect(problem.errors).toContainEqual({ path: 'data.przeslanki', message: 'Wartość pola „Przesłanki współpracy” jest niedozwolona.' });

      // The renderer puts such errors on the right fields: answer one submit with a server refusal.
      await openPreview(page);
      await page.locator('.formio-component-dataZgloszenia input.form-control:visible').first().fill('2026-03-01');
      await page.getByLabel('Samozgłoszenie').check();
      await page.fill('textarea[name="data[opisSytuacji]"]', 'Opis');
      await page.getByLabel('Akces osoby/rodziny').check();
      const validateUrl = '**/api/packs/sample/versions/1.0.0/forms/zgloszenie/validate';
      await page.route(validateUrl, (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/problem+json',
          body: JSON.stringify({ status: 400, code: 'validation', detail: 'Formularz zawiera błędy.', errors: [{ path: 'data.opisSytuacji', message: 'Opis jest zbyt ogólny (odpowiedź serwera)' }] }),
        }),
      );
      await page.getByRole('button', { name: 'Sprawdź' }).click();
      await page.getByTestId('form-errors').waitFor();
      expect(await page.getByTestId('form-errors').textContent()).toContain('Opis jest zbyt ogólny');
      await expect.poll(() => page.locator('.formio-component-opisSytuacji .formio-errors').textContent()).toContain('Opis jest zbyt ogólny');
      await screenshot(page, 'forms-preview-server-error');

      await page.unroute(validateUrl);
      await page.getByRole('button', { name: 'Sprawdź' }).click();
      await page.getByTestId('form-valid').waitFor();
      expect(await page.locator('.formio-component-opisSytuacji .formio-errors').textContent()).not.toContain('Opis jest zbyt ogólny');
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
