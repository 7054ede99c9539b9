import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, screenshot, url, sameOrigin } from './browser';
import { chooseOption, fillDate, openCaseForm, signIn, submitCaseForm } from './helpers';

// Demo accounts of configs/sample/demo.json (lib/demo/seed.ts).
const PARTNER = 'pedagog@sample.kooperacja.test';
const APPROVER = 'kierownik@sample.kooperacja.test';
const SERVICES = ['Koło wolontariuszy e2e', 'Świetlica po lekcjach e2e', 'Klub brydżowy e2e'];

describe('service catalogue: card → approval → public list', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('an institution submits three services; the approver rejects one with a reason and approves two; the gmina’s public list shows exactly those two', async () => {
    // 1. The school's pedagogue submits the card with three rows.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, PARTNER);
        await page.goto(url('/katalog/zglos'));
        // The card is an edit grid: each service is filled in its own small form and saved, then the next one is added.
        for (const [i, name] of SERVICES.entries()) {
          await page.locator('.formio-component-uslugi').getByRole('button', { name: /Dodaj usługę/ }).click();
          await page.locator(`input[name="data[uslugi][${i}][nazwa]"]`).waitFor();
          await page.fill(`input[name="data[uslugi][${i}][nazwa]"]`, name);
          await page.fill(`textarea[name="data[uslugi][${i}][opis]"]`, `Zajęcia: ${name}`);
          await page.fill(`input[name="data[uslugi][${i}][kontakt]"]`, 'Anna Prywatna, pedagog');
          await page.fill(`input[name="data[uslugi][${i}][kanal]"]`, 'sekretariat tel. 11 222 33 44');
          if (i === 2) await screenshot(page, 'catalogue-card-row');
          await page.locator('.formio-component-uslugi').getByRole('button', { name: 'Zapisz usługę' }).click();
          await page.locator(`input[name="data[uslugi][${i}][nazwa]"]`).waitFor({ state: 'detached' });
        }
        await screenshot(page, 'catalogue-card-filled');
        await page.getByTestId('form-submit').click();
        const done = page.getByTestId('card-submitted');
        await done.waitFor({ timeout: 15_000 });
        expect(await done.textContent()).toContain('Zgłoszono usługi (3)');
        await screenshot(page, 'catalogue-card-submitted');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 2. The head of the OPS (catalogue.approve in the gmina) decides in the approval queue.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, APPROVER);
        await page.goto(url('/katalog/do-zatwierdzenia'));
        await page.getByTestId('approval-queue').waitFor();
        for (const name of SERVICES) await page.locator(`[data-testid="queue-item"][data-name="${name}"]`).waitFor();
        await screenshot(page, 'catalogue-queue');

        const rejected = page.locator(`[data-testid="queue-item"][data-name="${SERVICES[2]}"]`);
        // Without a reason the rejection is refused and says why.
        await rejected.getByRole('button', { name: 'Odrzuć' }).click();
        await rejected.getByRole('alert').waitFor();
        expect(await rejected.getByRole('alert').textContent()).toContain('powód');
        await rejected.getByLabel('Powód (wymagany przy odrzuceniu)').fill('Klub nie działa od września.');
        await rejected.getByRole('button', { name: 'Odrzuć' }).click();
        await rejected.waitFor({ state: 'detached' });
        for (const name of SERVICES.slice(0, 2)) {
          const item = page.locator(`[data-testid="queue-item"][data-name="${name}"]`);
          await item.getByRole('button', { name: 'Zatwierdź' }).click();
          await item.waitFor({ state: 'detached' });
        }
        await screenshot(page, 'catalogue-queue-decided');

        // The rejected entry keeps its history with the reason.
        await page.goto(url(`/katalog?q=${encodeURIComponent('brydżowy e2e')}&status=rejected`));
        await page.getByRole('link', { name: SERVICES[2] }).click();
        await page.getByTestId('entry-history').waitFor();
        expect(await page.getByTestId('entry-status').textContent()).toBe('odrzucony');
        expect(await page.getByTestId('entry-history').textContent()).toContain('Klub nie działa od września.');
        await screenshot(page, 'catalogue-entry-rejected');

        // Search finds the approved ones by a case-insensitive fragment.
        await page.goto(url('/katalog'));
        await page.getByLabel('Szukaj (nazwa, opis, realizator)').fill('E2E');
        await page.getByRole('button', { name: 'Szukaj', exact: true }).click();
        await page.waitForURL(/q=E2E/);
        await page.getByTestId('catalogue-results').waitFor();
        const names = await page.getByTestId('catalogue-results').locator('tbody tr td:first-child a').allTextContents();
        expect(names.sort()).toEqual([...SERVICES].sort());
        await screenshot(page, 'catalogue-search');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 3. The public list of the gmina, without signing in: exactly the two approved services, no contact person.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await page.goto(url('/uslugi/gmina-zielona'));
        await page.getByRole('heading', { name: /Lista aktywności i usług — Gmina Zielona/ }).waitFor();
        const shown = await page.getByTestId('public-entry').locator('h3').allTextContents();
        expect(shown.filter((n) => n.endsWith('e2e')).sort()).toEqual([SERVICES[0], SERVICES[1]].sort());
        const text = (await page.locator('main').textContent()) ?? '';
        expect(text).not.toContain('Anna Prywatna');
        expect(text).toContain('sekretariat tel. 11 222 33 44');
        await screenshot(page, 'catalogue-public-list');
        const json = (await (await page.request.get(url('/api/catalogue/public/gmina-zielona'))).json()) as { entries: { name: string }[] };
        expect(json.entries.map((e) => e.name).filter((n) => n.endsWith('e2e')).sort()).toEqual([SERVICES[0], SERVICES[1]].sort());
        expect(JSON.stringify(json)).not.toContain('Anna Prywatna');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 3b. A social worker picks one of the approved services in a family's plan; the case's basket (IKU) shows it.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, 'ps@sample.kooperacja.test');
        await page.goto(url('/sprawy'));
        await page.getByRole('row', { name: /Rodzina Kowalskich/ }).getByRole('link').first().click();
        await page.waitForURL(/\/sprawy\/[^/]+$/);
        const caseUrl = page.url();
        await openCaseForm(page, 'Plan współpracy');
        await page.fill('textarea[name="data[celNadrzedny]"]', 'Wsparcie syna w nauce i powrót matki do pracy');
        await fillDate(page, '.formio-component-terminOd', '2026-12-01');
        await fillDate(page, '.formio-component-terminDo', '2027-11-30');
        await page.fill('textarea[name="data[zadania][0][zadanie]"]', 'Udział Kacpra w zajęciach wolontariuszy');
        await chooseOption(page, '.formio-component-zadania .formio-component-odpowiedzialny', 'Gminny Ośrodek Pomocy Społecznej w Zielonej');
        await chooseOption(page, '.formio-component-zadania .formio-component-usluga', SERVICES[0]);
        await screenshot(page, 'catalogue-plan-picks-service');
        await submitCaseForm(page, caseUrl);
        await expect.poll(() => page.getByTestId('case-basket').textContent()).toContain(SERVICES[0]);
        await screenshot(page, 'catalogue-case-basket');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 4. Twelve months later (simulated clock) the provider is reminded to verify; "verify" clears the flag.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        const moved = await page.request.post(url('/api/test/clock'), { headers: sameOrigin(), data: { advance: 'P12M1D' } });
        expect(moved.ok()).toBe(true);
        await signIn(page, PARTNER);
        await page.goto(url('/katalog/nasze-uslugi'));
        await page.getByTestId('overdue-alert').waitFor();
        expect(await page.getByTestId('overdue-alert').textContent()).toContain('Usługi wymagające weryfikacji: 3');
        await screenshot(page, 'catalogue-overdue');
        await page.goto(url('/powiadomienia'));
        await expect.poll(async () => (await page.locator('main').textContent()) ?? '', { timeout: 10_000 }).toContain('Zweryfikuj usługę w katalogu');
        await screenshot(page, 'catalogue-reminder-notification');
        await page.goto(url('/katalog/nasze-uslugi'));
        await page.getByRole('link', { name: SERVICES[0] }).click();
        await page.getByTestId('verify').click();
        await page.getByRole('status').filter({ hasText: 'Potwierdzono aktualność wpisu.' }).waitFor();
        await page.goto(url('/katalog/nasze-uslugi'));
        await page.getByTestId('overdue-alert').waitFor();
        expect(await page.getByTestId('overdue-alert').textContent()).toContain('Usługi wymagające weryfikacji: 2');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await page.request.post(url('/api/test/clock'), { headers: sameOrigin(), data: { reset: true } });
        await context.close();
      }
    }
  });

  it('imports a CSV list: both bad rows are reported by number and nothing is stored until the valid rows are confirmed', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await signIn(page, APPROVER);
      await page.goto(url('/katalog/import'));
      const csv = [
        'Nazwa usługi;Realizator;Grupy odbiorców;E-usługa',
        'Porady prawne import;OPS;Osoby dorosłe;nie',
        ';OPS;Osoby starsze;nie',
        'Zajęcia sportowe import;OPS;Kosmici;może',
      ].join('\n');
      await page.setInputFiles('#imp-file', { name: 'lista.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
      await page.getByRole('button', { name: 'Sprawdź plik' }).click();
      await page.getByTestId('import-report').waitFor();
      const rows = await page.getByTestId('import-errors').locator('tbody tr td:first-child').allTextContents();
      expect([...new Set(rows)]).toEqual(['3', '4']);
      expect(await page.getByTestId('import-report').textContent()).toContain('poprawnych: 1, błędnych: 2');
      await screenshot(page, 'catalogue-import-report');
      await page.getByRole('button', { name: /Zapisz tylko poprawne wiersze/ }).click();
      await page.getByText('Zapisano usług: 1.').waitFor();
      await page.goto(url(`/katalog?q=${encodeURIComponent('import')}`));
      expect(await page.getByTestId('catalogue-results').locator('tbody tr').count()).toBe(1);
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
