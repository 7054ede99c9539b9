import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot, url, sameOrigin } from './browser';

// Demo accounts of configs/sample/demo.json (lib/demo/seed.ts): one password for all of them.
const DEMO_PASSWORD = 'Kooperacja-demo-2026';
const ROPS = 'rops@sample.kooperacja.test';
const KIEROWNIK = 'kierownik@sample.kooperacja.test';
const OPS_ZIELONA = 'Gminny Ośrodek Pomocy Społecznej w Zielonej';
const TEAM = 'Zespół partnerski gminy Zielona';
const NGO = 'Stowarzyszenie Razem dla Zielonej';

async function signIn(page: Page, email: string, password: string, expectedName: string): Promise<void> {
  await page.goto(url('/logowanie'));
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await expect.poll(() => page.getByTestId('user-name').textContent({ timeout: 15_000 })).toBe(expectedName);
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Wyloguj' }).click();
  await page.waitForURL(/\/logowanie/);
  await page.locator('#email').waitFor();
}

/** Unit selects indent names by depth; pick the option by its visible name. */
async function selectByText(page: Page, selector: string, text: string): Promise<void> {
  const value = await page.locator(`${selector} option`, { hasText: text }).first().getAttribute('value');
  await page.selectOption(selector, value ?? '');
}

describe('administration', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('sends visitors to sign in and shows "no access" to staff without administrative rights', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await page.goto(url('/admin/uzytkownicy'));
      await page.waitForURL(/\/logowanie\?callbackUrl=/);
      await signIn(page, 'ps@sample.kooperacja.test', DEMO_PASSWORD, 'Paulina Socjalna');
      await page.goto(url('/admin'));
      await page.getByTestId('no-access').waitFor();
      expect(await page.getByRole('heading', { name: 'Brak dostępu' }).count()).toBe(1);
      await screenshot(page, 'admin-no-access');
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('creates a user with a one-time password, who signs in, must change it, and signs in with the new one', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await signIn(page, ROPS, DEMO_PASSWORD, 'Renata Regionalna');
      await page.getByRole('link', { name: 'Administracja' }).click();
      await page.getByRole('heading', { name: 'Administracja', level: 1 }).waitFor();
      await screenshot(page, 'admin-overview');

      await page.goto(url('/admin/jednostki'));
      await page.getByTestId('unit-gmina-zielona').waitFor();
      // Keyboard: collapse the powiat with Enter on its toggle; its gminas disappear.
      const toggle = page.getByRole('button', { name: 'Zwiń: Powiat Przykładowy' });
      await toggle.focus();
      await page.keyboard.press('Enter');
      expect(await page.getByTestId('unit-gmina-zielona').isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Rozwiń: Powiat Przykładowy' }).press('Enter');
      expect(await page.getByTestId('unit-gmina-zielona').isVisible()).toBe(true);
      // A validation message of the API shows next to its field.
      await page.selectOption('#unit-kind', 'gmina');
      await selectByText(page, '#unit-parent', 'Powiat Przykładowy');
      await page.fill('#unit-name', 'Gmina Brzozowa');
      await page.fill('#unit-code', 'Zła Nazwa!');
      await page.getByRole('button', { name: 'Dodaj', exact: true }).click();
      await page.getByTestId('form-error').waitFor();
      expect(await page.locator('#unit-code-error').textContent()).toContain('małe litery');
      await page.fill('#unit-code', 'gmina-brzozowa');
      await page.getByRole('button', { name: 'Dodaj', exact: true }).click();
      await expect.poll(() => page.getByTestId('form-ok').textContent()).toContain('Gmina Brzozowa');
      await page.getByTestId('unit-gmina-brzozowa').waitFor();
      await screenshot(page, 'admin-units');

      await page.goto(url('/admin/uzytkownicy'));
      await page.getByTestId('users-table').waitFor();
      await page.fill('#user-name', 'Jan Nowak');
      await page.fill('#user-email', 'jan.nowak@zielona.test');
      await selectByText(page, '#new-m0-institution', OPS_ZIELONA);
      await page.getByLabel('Pracownik socjalny', { exact: true }).check();
      expect(await page.getByLabel('Hasło jednorazowe (przekażę je osobiście)').isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Utwórz konto' }).click();
      const handout = page.getByTestId('credential-handout');
      await handout.waitFor();
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('credential-handout');
      expect(await handout.textContent()).toContain('nie pokaże jej ponownie');
      const oneTimePassword = await page.getByTestId('handout-secret').inputValue();
      expect(oneTimePassword).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
      await page.getByTestId('users-table').getByText('jan.nowak@zielona.test').waitFor();
      await screenshot(page, 'admin-users-handout');

      // An administrator's reset can hand out a link instead (the one-time password stays valid).
      await page.getByRole('button', { name: 'Zapisałem(-am), zamknij' }).click();
      await page.getByRole('button', { name: 'Reset hasła: Jan Nowak' }).click();
      const reset = page.locator('section', { has: page.getByRole('heading', { name: /^Reset hasła: Jan Nowak/ }) });
      await reset.getByLabel('Link do ustawienia hasła (ważny 48 godzin)').check();
      await reset.getByRole('button', { name: 'Wygeneruj' }).click();
      await handout.waitFor();
      expect(await page.getByTestId('handout-secret').inputValue()).toContain('/logowanie/nowe-haslo?token=');
      await screenshot(page, 'admin-users-reset-link');
      await signOut(page);

      await signIn(page, 'jan.nowak@zielona.test', oneTimePassword, 'Jan Nowak');
      await page.goto(url('/konto'));
      await page.getByText('Zalogowano hasłem jednorazowym').waitFor();
      await screenshot(page, 'account-must-change');
      const newPassword = 'Zielona lipa nad rzeką 2026';
      await page.fill('#currentPassword', oneTimePassword);
      await page.fill('#newPassword', newPassword);
      await page.fill('#repeat', newPassword);
      await page.getByRole('button', { name: 'Zmień hasło' }).click();
      await page.getByText('Hasło zostało zmienione.').waitFor();
      await signOut(page);

      await signIn(page, 'jan.nowak@zielona.test', newPassword, 'Jan Nowak');
      await page.goto(url('/konto'));
      await page.getByRole('heading', { name: 'Moje konto' }).waitFor();
      expect(await page.getByText('Zalogowano hasłem jednorazowym').count()).toBe(0);
      await signOut(page);

      // The same screens in English.
      await signIn(page, ROPS, DEMO_PASSWORD, 'Renata Regionalna');
      await page.getByRole('link', { name: 'English' }).click();
      await page.goto(url('/admin/uzytkownicy'));
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
      expect(await page.getByRole('button', { name: 'Create account' }).count()).toBe(1);
      expect(await page.getByTestId('users-table').textContent()).toContain('Social worker');
      await screenshot(page, 'admin-users-en');
      await page.getByRole('link', { name: 'Polski' }).click();

      // Disabling the account keeps it in the list and shuts the door.
      await page.goto(url('/admin/uzytkownicy'));
      await page.getByRole('button', { name: 'Edytuj: Jan Nowak' }).click();
      await page.selectOption('#edit-user-status', 'disabled');
      await page.getByRole('button', { name: 'Zapisz' }).click();
      await page.getByText('Zmiany zostały zapisane.').waitFor();
      const janRow = page.getByTestId('users-table').locator('tr', { hasText: 'jan.nowak@zielona.test' });
      await expect.poll(() => janRow.textContent()).toContain('wyłączone');
      await screenshot(page, 'admin-users-disabled');
      await signOut(page);
      await page.fill('#email', 'jan.nowak@zielona.test');
      await page.fill('#password', newPassword);
      await page.click('button[type=submit]');
      await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toContain('Nieprawidłowy adres e-mail lub hasło');
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('adds an institution, puts it in the team and records it leaving; the audit log shows each change with before/after', async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await signIn(page, ROPS, DEMO_PASSWORD, 'Renata Regionalna');
      await page.goto(url('/admin/instytucje'));
      await page.getByTestId('institutions-table').waitFor();
      await page.fill('#inst-name', NGO);
      await selectByText(page, '#inst-unit', 'Gmina Zielona');
      await page.selectOption('#inst-type', { label: 'Organizacja pozarządowa' });
      await page.fill('#inst-email', 'kontakt@razem.test');
      await page.getByRole('button', { name: 'Dodaj instytucję' }).click();
      await expect.poll(() => page.getByTestId('form-ok').textContent()).toContain(NGO);
      const row = page.getByTestId('institutions-table').locator('tr', { hasText: NGO });
      await row.waitFor();
      expect(await row.textContent()).toContain('Organizacja pozarządowa');

      // Filter by type: only the NGO is left.
      await page.selectOption('#filter-type', { label: 'Organizacja pozarządowa' });
      await page.getByRole('button', { name: 'Filtruj' }).click();
      await page.waitForURL(/type=ngo/);
      expect(await page.getByTestId('institutions-table').locator('tbody tr').count()).toBe(1);

      // Edit; then a change made meanwhile elsewhere makes the next save a conflict.
      await page.getByRole('button', { name: `Edytuj: ${NGO}` }).click();
      await page.fill('#edit-inst-phone', '13 000 00 00');
      await page.getByRole('button', { name: 'Zapisz' }).click();
      await page.getByText('Zmiany zostały zapisane.').waitFor();
      await expect.poll(() => row.textContent()).toContain('13 000 00 00');
      const list = (await (await context.request.get(url('/api/institutions'))).json()) as { items: { _id: string; name: string; revision: number }[] };
      const ngo = list.items.find((i) => i.name === NGO)!;
      const meanwhile = await context.request.patch(url(`/api/institutions/${ngo._id}`), { headers: sameOrigin(), data: { revision: ngo.revision, address: 'ul. Polna 2, Zielona' } });
      expect(meanwhile.status()).toBe(200);
      await page.fill('#edit-inst-phone', '13 111 11 11');
      await page.getByRole('button', { name: 'Zapisz' }).click();
      await expect.poll(() => page.getByTestId('form-error').textContent()).toBe('Ktoś zmienił te dane w międzyczasie — odśwież stronę.');
      await screenshot(page, 'admin-institutions-conflict');
      await page.goto(url('/admin/instytucje'));
      await page.getByTestId('institutions-table').waitFor();
      await screenshot(page, 'admin-institutions');
      await signOut(page);

      // Team composition is managed by whoever holds team.manage for the team's gmina: the OPS head here.
      await signIn(page, KIEROWNIK, DEMO_PASSWORD, 'Krzysztof Kierownik');
      await page.goto(url('/admin/zespoly'));
      const team = page.locator('section', { has: page.getByRole('heading', { name: TEAM }) });
      await team.waitFor();
      await team.getByRole('button', { name: `Dodaj członka: ${TEAM}` }).click();
      await selectByText(page, 'select[id$="-institution"]', NGO);
      await team.getByLabel('Rola w zespole').selectOption({ label: 'Członek zespołu partnerskiego' });
      await team.getByLabel('Data przystąpienia').fill('2026-09-01');
      await team.getByRole('button', { name: 'Dodaj', exact: true }).click();
      await expect.poll(() => team.getByTestId('notice').textContent()).toBe(`Dodano do zespołu: ${NGO}`);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('notice');
      const memberRow = team.locator('tbody tr', { hasText: NGO });
      await memberRow.waitFor();
      expect(await memberRow.textContent()).toContain('1.09.2026');
      await screenshot(page, 'admin-teams-added');

      await team.getByRole('button', { name: `Odnotuj odejście: ${NGO}` }).click();
      await team.getByLabel('Data odejścia').fill('2026-11-20');
      await team.getByRole('button', { name: 'Zapisz odejście' }).click();
      const history = team.getByTestId('team-history');
      await history.waitFor();
      const leftRow = history.locator('tr', { hasText: NGO });
      await expect.poll(() => leftRow.textContent()).toContain('20.11.2026');
      expect(await leftRow.textContent()).toContain('1.09.2026');
      await expect.poll(() => team.getByTestId('notice').textContent()).toBe(`Odnotowano odejście: ${NGO}`);
      await screenshot(page, 'admin-teams-history');

      // A new team: kinds come from the pack of the chosen unit's region.
      await selectByText(page, '#team-unit', 'Gmina Zielona');
      await page.selectOption('#team-kind', { label: 'Zespół partnerski' });
      await page.fill('#team-name', 'Zespół interdyscyplinarny Zielonej');
      await page.getByRole('button', { name: 'Utwórz zespół' }).click();
      await expect.poll(() => page.getByTestId('form-ok').textContent()).toBe('Utworzono zespół: Zespół interdyscyplinarny Zielonej');
      await page.getByRole('heading', { name: 'Zespół interdyscyplinarny Zielonej' }).waitFor();
      await signOut(page);

      await signIn(page, ROPS, DEMO_PASSWORD, 'Renata Regionalna');
      await page.goto(url('/admin/audyt'));
      const audit = page.getByTestId('audit-table');
      await audit.waitFor();
      for (const action of ['institution.create', 'institution.update', 'team.member-add', 'team.member-leave', 'user.create']) {
        expect(await audit.locator(`tr[data-action="${action}"]`).count(), action).toBeGreaterThan(0);
      }
      const leave = audit.locator('tr[data-action="team.member-leave"]').first();
      expect(await leave.textContent()).toContain('Krzysztof Kierownik');
      await leave.getByRole('button', { name: /Pokaż zmiany/ }).click();
      const diff = audit.getByTestId('audit-diff').filter({ hasText: 'member.leftAt' });
      await diff.waitFor();
      const leftAtRow = diff.locator('tr', { hasText: 'member.leftAt' });
      const cells = await leftAtRow.locator('td').allTextContents();
      expect(cells[0]).toBe('—');
      expect(cells[1]).toContain('20.11.2026');
      await screenshot(page, 'admin-audit-diff');

      const update = audit.locator('tr[data-action="institution.update"]').last();
      await update.getByRole('button', { name: /Pokaż zmiany/ }).click();
      const phoneRow = audit.getByTestId('audit-diff').locator('tr', { hasText: 'phone' }).first();
      await phoneRow.waitFor();
      expect(await phoneRow.locator('td').allTextContents()).toEqual(['—', '13 000 00 00']);

      await page.selectOption('#audit-action', 'team.member-add');
      await page.getByRole('button', { name: 'Filtruj' }).click();
      await page.waitForURL(/action=team.member-add/);
      const rows = page.getByTestId('audit-table').locator('tbody > tr[data-action]');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().getAttribute('data-action')).toBe('team.member-add');
      await screenshot(page, 'admin-audit-filtered');
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
