import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot, url } from './browser';
import { fillDate, openCaseForm as openForm, signIn, submitCaseForm as submitForm } from './helpers';

/**
 * The sample pack's case journey (issue 6, item 8): a social worker opens a case, fills the referral
 * (hitting a validation error first), moves the case two steps, adds the school to the team, plans a
 * task for the school — and the school's pedagogue sees it under "Moje zadania" and marks it done.
 */
const SCHOOL = 'Szkoła Podstawowa im. Marii Konopnickiej w Zielonej';
const TASK = 'Zajęcia wyrównawcze dla Oli';

async function sendEvent(page: Page, type: string, stepLabel: string): Promise<void> {
  const button = page.getByTestId('case-actions').getByTestId(`event-${type}`);
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  await expect.poll(() => page.getByTestId('case-step').textContent(), { timeout: 15_000 }).toContain(stepLabel);
}

describe('case journey on the sample pack', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens a case, fills forms, moves it through three steps and hands a task to another institution', { timeout: 300_000 }, async () => {
    let caseUrl = '';
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, 'ps@sample.kooperacja.test');
        await page.goto(url('/sprawy'));
        await page.getByRole('heading', { name: 'Sprawy' }).waitFor();
        await screenshot(page, 'case-journey-01-list');

        // New case; a PESEL with a wrong checksum is refused inline by the API.
        await page.getByRole('link', { name: 'Nowa sprawa' }).first().click();
        await page.getByRole('heading', { name: 'Nowa sprawa' }).waitFor();
        await page.getByLabel('Nazwa').fill('Rodzina Przykładowa');
        await page.getByLabel('Imię').fill('Anna');
        await page.getByLabel('Nazwisko').fill('Przykładowa');
        await page.getByLabel('Relacja').fill('matka');
        await page.getByLabel('PESEL (opcjonalnie)').fill('44051401358');
        await page.getByRole('button', { name: '+ Dodaj osobę' }).click();
        await page.getByTestId('member').nth(1).getByLabel('Imię').fill('Ola');
        await page.getByTestId('member').nth(1).getByLabel('Nazwisko').fill('Przykładowa');
        await page.getByTestId('member').nth(1).getByLabel('Relacja').fill('córka');
        await page.getByTestId('create-case').click();
        await page.getByText('Nieprawidłowy numer PESEL').waitFor();
        await screenshot(page, 'case-journey-02-new-case-pesel-error');
        await page.getByLabel('PESEL (opcjonalnie)').first().fill('44051401359');
        await page.getByTestId('create-case').click();
        await page.waitForURL(/\/sprawy\/[^/?]+\?utworzono=1$/);
        caseUrl = page.url().replace(/\?.*$/, '');
        await page.getByTestId('case-step').getByText('Zgłoszenie').waitFor();
        expect(await page.getByTestId('case-notice').textContent()).toContain('Założono sprawę');
        await screenshot(page, 'case-journey-03-case-created');

        // Referral: submitted with a required field empty → inline error; fixed → accepted.
        await openForm(page, 'Zgłoszenie osoby/rodziny');
        await fillDate(page, '.formio-component-dataZgloszenia', '2026-11-02');
        await page.getByLabel('Samozgłoszenie').check();
        await page.getByLabel('Chroniczny kryzys').check();
        await expect.poll(() => page.getByTestId('draft-status').textContent(), { timeout: 10_000 }).toMatch(/Zapisano szkic o \d\d:\d\d/);
        await page.getByTestId('form-submit').click();
        await page.getByTestId('form-errors').waitFor();
        await expect.poll(() => page.locator('.formio-component-opisSytuacji .formio-errors').textContent()).toContain('jest wymagane');
        await screenshot(page, 'case-journey-04-referral-required-error');
        await page.fill('textarea[name="data[opisSytuacji]"]', 'Rodzina w kryzysie; potrzebna współpraca szkoły i ośrodka.');
        await submitForm(page, caseUrl);
        expect(await page.getByTestId('case-notice').textContent()).toContain('Zgłoszenie osoby/rodziny');
        await screenshot(page, 'case-journey-05-referral-submitted');

        // Step 1.
        await sendEvent(page, 'PRZYJMIJ', 'Ocena sytuacji');
        await screenshot(page, 'case-journey-06-accepted');

        // The school's pedagogue joins the case team as a member.
        await page.getByTestId('case-actions').getByTestId('event-DODAJ_CZLONKA').click();
        const dialog = page.getByTestId('dialog-DODAJ_CZLONKA');
        await dialog.getByLabel('Instytucja').selectOption({ label: SCHOOL });
        await dialog.getByLabel('Osoba', { exact: true }).selectOption({ label: 'Patrycja Pedagog' });
        await dialog.getByLabel('Rola w zespole').selectOption({ label: 'Członek zespołu' });
        await screenshot(page, 'case-journey-07-add-member-dialog');
        await dialog.getByTestId('dialog-confirm').click();
        await expect.poll(() => page.getByTestId('case-team').textContent(), { timeout: 15_000 }).toContain('Patrycja Pedagog');

        // Consent, then step 2.
        await openForm(page, 'Zgoda na współpracę i przetwarzanie danych');
        await fillDate(page, '.formio-component-dataZgody', '2026-11-03');
        await page.fill('textarea[name="data[celPrzetwarzania]"]', 'Współpraca zespołu sprawy');
        await page.fill('input[name="data[podpisujacy][0][imieNazwisko]"]', 'Anna Przykładowa');
        await screenshot(page, 'case-journey-08-consent-form');
        await submitForm(page, caseUrl);
        await expect.poll(() => page.getByTestId('consent-panel').textContent()).toContain('Obowiązuje');
        await sendEvent(page, 'ZGODA_PODPISANA', 'Planowanie');
        await screenshot(page, 'case-journey-09-consent-signed');

        // The plan with a task for the school, then step 3 (as the coordinator).
        await openForm(page, 'Plan współpracy');
        await page.fill('textarea[name="data[celNadrzedny]"]', 'Stabilizacja sytuacji rodziny');
        await fillDate(page, '.formio-component-terminOd', '2026-11-04');
        await fillDate(page, '.formio-component-terminDo', '2027-11-04');
        await page.fill('input[name="data[zadania][0][cel]"]', 'Wsparcie w nauce');
        await page.fill('textarea[name="data[zadania][0][zadanie]"]', TASK);
        await page.locator('.formio-component-zadania .formio-component-odpowiedzialny .choices').first().click();
        await page.locator('.formio-component-zadania .formio-component-odpowiedzialny .choices__list--dropdown .choices__item--choice', { hasText: SCHOOL }).first().click();
        await fillDate(page, '.formio-component-zadania .formio-component-termin', '2026-12-15');
        await screenshot(page, 'case-journey-10-plan-form');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'PLAN_PRZYJETY', 'Realizacja planu');
        expect(await page.getByTestId('case-tasks').textContent()).toContain(TASK);
        await screenshot(page, 'case-journey-11-plan-adopted');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // Another institution: the task is under "Moje zadania"; the pedagogue marks it done.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, 'pedagog@sample.kooperacja.test');
        await page.goto(url('/zadania'));
        const row = page.getByTestId('task-row').filter({ hasText: TASK });
        await row.waitFor();
        await screenshot(page, 'case-journey-12-school-tasks');
        await row.getByTestId('task-status').selectOption('done');
        await row.getByText('Zapisano: wykonane').waitFor();
        await screenshot(page, 'case-journey-13-task-done');
        await page.goto(url('/zadania?status=done'));
        await page.getByTestId('task-row').filter({ hasText: TASK }).waitFor();
        await page.goto(caseUrl);
        await page.getByTestId('case-tasks').getByText(TASK, { exact: true }).waitFor();
        await screenshot(page, 'case-journey-14-case-as-school');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // Back as the social worker: version history, a lost race (409 → reload), consent withdrawal.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, 'ps@sample.kooperacja.test');
        await page.goto(caseUrl);
        await openForm(page, 'Zgłoszenie osoby/rodziny');
        await page.getByTestId('versions').getByRole('button', { name: 'Zobacz' }).first().click();
        await page.getByTestId('version-view').getByText('Wersja 1 z').waitFor();
        await screenshot(page, 'case-journey-15-version-history');

        await page.goto(caseUrl);
        const other = await context.newPage();
        await other.goto(caseUrl);
        await sendEvent(other, 'ROZPOCZNIJ_PRZEGLAD', 'Przegląd planu');
        await other.close();
        await page.getByTestId('case-actions').getByTestId('event-ROZPOCZNIJ_PRZEGLAD').click();
        const conflict = page.getByTestId('api-error');
        await conflict.waitFor();
        expect(await conflict.textContent()).toContain('Ktoś zmienił tę sprawę w międzyczasie');
        await screenshot(page, 'case-journey-16-conflict');
        await Promise.all([page.waitForEvent('load'), conflict.getByRole('button', { name: 'Odśwież stronę' }).click()]);
        await expect.poll(() => page.getByTestId('case-step').textContent()).toContain('Przegląd planu');

        await page.getByTestId('consent-panel').getByRole('button', { name: 'Wycofanie zgody' }).click();
        const withdraw = page.getByTestId('dialog-withdraw');
        await withdraw.getByLabel('Jak i kiedy osoba/rodzina wycofała zgodę').fill('Pani Anna wycofała zgodę telefonicznie.');
        await withdraw.getByRole('button', { name: 'Zarejestruj wycofanie zgody' }).click();
        await page.getByTestId('consent-lock').waitFor();
        expect(await page.getByTestId('consent-lock').textContent()).toContain('Zgoda na przetwarzanie danych została wycofana');
        expect(await page.getByTestId('case-actions').getByTestId('event-PLAN_ZAKTUALIZOWANY').isDisabled()).toBe(true);
        await screenshot(page, 'case-journey-17-consent-withdrawn');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
