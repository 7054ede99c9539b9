import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshot, url, sameOrigin } from './browser';
import { fillDate, signIn, submitCaseForm as submitForm } from './helpers';

/**
 * The urban pack's ZZK journey (issue 10, item 8) in the śląskie demo region (configs/miejski-3d/demo.json):
 * a partner puts a service into the LKU (KUK → approval), a school pedagogue reports a family's need (joining
 * the ZZK as a member), the OPS director appoints the leading social worker from outside the team, the
 * OPS social worker assesses and obtains consent, the network worker registers the ZZK, the first meeting
 * adopts the plan (protocol A+B, a service from the basket), a follow-up meeting updates it (A+C+D), the
 * cooperation is suspended and resumed, the closing meeting ends it, ~6 months of monitoring pass on the
 * simulated clock, the evaluation survey closes the case. A second case returns to ordinary social work.
 */
const USER = (role: string) => `${role}@miejski-3d.kooperacja.test`;
const PEDAGOG = USER('pracownik-instytucji');
const SOCIAL_WORKER = USER('pracownik-socjalny');
const NETWORK_WORKER = USER('pracownik-ds-sieci');
const DIRECTOR = USER('dyrektor-ops');
const PARTNER = USER('koordynator-partnera');
const SERVICE = 'Trening umiejętności wychowawczych dla rodziców (journey e2e)';
const FAMILY = 'Rodzina Zielińskich';
const CASE_NO = 'DPS.4010.77.2026';

/** A calendar day relative to the real today, as the pack's date fields show it (dd.MM.yyyy). */
function day(offset: number): string {
  const d = new Date(Date.now() + offset * 86_400_000);
  return `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;
}

async function fill(page: Page, key: string, value: string): Promise<void> {
  await page.locator(`[name="data[${key}]"]`).first().fill(value);
}

async function radio(page: Page, key: string, value: string): Promise<void> {
  await page.locator(`.formio-component-${key} input[type=radio][value="${value}"]`).first().check();
}

async function tick(page: Page, key: string, value?: string): Promise<void> {
  const sel = value ? `.formio-component-${key} input[type=checkbox][value="${value}"]` : `input[type=checkbox][name="data[${key}]"]`;
  await page.locator(sel).first().check();
}

/** Opens a Choices.js select inside `scope` and picks the option containing `text`. */
async function choose(page: Page, scope: string, text: string | RegExp): Promise<void> {
  const box = page.locator(`${scope} .choices`).first();
  const item = box.locator('.choices__list--dropdown .choices__item--choice', { hasText: text }).first();
  // A select whose options arrive from the server may be redrawn while opening: open it again until the option shows.
  for (let attempt = 0; ; attempt++) {
    await box.click();
    try {
      await item.click({ timeout: 3_000 });
      break;
    } catch (e) {
      if (attempt >= 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Escape');
}

/** A multi-select: each pick from the dropdown opened by clicking the search input (the box itself stays closed after Escape). */
async function chooseMany(page: Page, scope: string, texts: string[]): Promise<void> {
  const box = page.locator(`${scope} .choices`).first();
  for (const text of texts) {
    await box.locator('input.choices__input').first().click();
    await box.locator('.choices__list--dropdown .choices__item--choice', { hasText: text }).first().click();
  }
  await page.keyboard.press('Escape');
}

async function openForm(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: `Wypełnij: ${title}` }).click();
  await page.waitForURL(/\/formularze\//);
  // Enabled once Form.io has built the form (before that, typing could be lost).
  await expect.poll(() => page.getByTestId('form-submit').isEnabled(), { timeout: 15_000 }).toBe(true);
}

async function stepText(page: Page): Promise<string> {
  return ((await page.getByTestId('case-step').textContent()) ?? '').replace(/\s+/g, ' ');
}

/** Sends a flow event from the case page and waits for the step (or, when it stays, the confirmation) to change. */
async function sendEvent(page: Page, type: string, expectStep?: RegExp): Promise<void> {
  const button = page.getByTestId('case-actions').getByTestId(`event-${type}`);
  await expect.poll(() => button.isEnabled(), { timeout: 15_000 }).toBe(true);
  const label = ((await button.textContent()) ?? '').trim();
  await button.click();
  const dialog = page.getByTestId('case-actions').getByTestId(`dialog-${type}`);
  if (await dialog.isVisible().catch(() => false)) await dialog.getByTestId('dialog-confirm').click();
  if (expectStep) await expect.poll(() => stepText(page), { timeout: 15_000 }).toMatch(expectStep);
  else await expect.poll(async () => (await page.getByTestId('action-done').allTextContents()).join(' '), { timeout: 15_000 }).toContain(label);
}

async function addMember(page: Page, institution: string, person: string | null, role: RegExp | string): Promise<void> {
  await page.getByTestId('case-actions').getByTestId('event-ADD_MEMBER').click();
  const dialog = page.getByTestId('case-actions').getByTestId('dialog-ADD_MEMBER');
  if (!person) await dialog.getByLabel('całą instytucję').check();
  await dialog.getByLabel('Instytucja').selectOption({ label: institution });
  if (person) await dialog.getByLabel('Osoba', { exact: true }).selectOption({ label: person });
  const roleSelect = dialog.getByLabel('Rola w zespole');
  const options = await roleSelect.locator('option').allTextContents();
  const pick = options.find((o) => (typeof role === 'string' ? o === role : role.test(o)));
  expect(pick, `role ${String(role)} in ${options.join(' | ')}`).toBeTruthy();
  await roleSelect.selectOption({ label: pick! });
  await dialog.getByTestId('dialog-confirm').click();
  await dialog.waitFor({ state: 'hidden', timeout: 15_000 }).catch(async () => {
    await screenshot(page, `miejski-3d-failed-add-member-${Date.now()}`);
    throw new Error(`Adding ${person ?? institution} refused: ${(await dialog.textContent()) ?? ''}`);
  });
  await expect
    .poll(() => page.getByTestId('case-team').textContent(), { timeout: 15_000 })
    .toContain(person ?? institution)
    .catch(async (e: unknown) => {
      await screenshot(page, `miejski-3d-failed-team-${Date.now()}`);
      throw e;
    });
}

async function createCase(page: Page, name: string, members: [string, string, string][], subjectType: 'family' | 'person' = 'family'): Promise<string> {
  await page.goto(url('/sprawy'));
  await page.getByRole('link', { name: 'Nowa sprawa' }).first().click();
  await page.getByRole('heading', { name: 'Nowa sprawa' }).waitFor();
  await page.locator(`#nc-type-${subjectType}`).check();
  await page.getByLabel('Nazwa').fill(name);
  for (const [i, [first, last, relation]] of members.entries()) {
    if (i > 0) await page.getByRole('button', { name: '+ Dodaj osobę' }).click();
    const m = page.getByTestId('member').nth(i);
    await m.getByLabel('Imię').fill(first);
    await m.getByLabel('Nazwisko').fill(last);
    await m.getByLabel('Relacja').fill(relation);
  }
  await page.getByTestId('create-case').click();
  await page.waitForURL(/\/sprawy\/[^/?]+\?utworzono=1$/);
  return page.url().replace(/\?.*$/, '');
}

/** Intake form as the pedagogue fills it. */
async function fillIntake(page: Page, who: string, family: string, situation: string): Promise<void> {
  await choose(page, '.formio-component-zglaszajacyTyp', 'pracownik');
  await fill(page, 'zglaszajacyImieNazwisko', who);
  await fill(page, 'zglaszajacyKontakt', 'pedagog@sp7-weglowice.test, tel. 32 000 40 07 wew. 12');
  await page.locator('.formio-component-zglaszajacyInstytucja .choices').waitFor();
  await choose(page, '.formio-component-zglaszajacyInstytucja', 'Szkoła Podstawowa nr 7');
  await radio(page, 'typOdbiorcy', 'rodzina');
  await fill(page, 'osobaRodzina', family);
  await fill(page, 'adresRejon', 'ul. Kwiatowa 21/3, rejon opiekuńczy nr 2');
  await fill(page, 'opisSytuacji', situation);
  await radio(page, 'osobaWieOZgloszeniu', 'tak');
  // Last: picking "who reports" reveals the institution field and redraws the panel, which empties a date typed before.
  await fillDate(page, '.formio-component-dataZgloszenia', day(0));
}

/** Protocol part A (a new record for every meeting: the form is repeatable). */
async function fillProtocolA(page: Page, kind: 'pierwsze' | 'kolejne' | 'ostatnie', goal: string): Promise<void> {
  await fill(page, 'numerSprawy', CASE_NO);
  await radio(page, 'rodzajPosiedzenia', kind);
  await radio(page, 'trybSpotkania', 'bezposredni');
  await fill(page, 'miejscePosiedzenia', 'MOPS Węglowice, ul. Gwarków 12, sala 104');
  await fill(page, 'sklad][0][skladImieNazwisko', 'Paulina Rejonowa');
  await fill(page, 'sklad][0][skladInstytucjaFunkcja', 'MOPS — pracownik socjalny prowadzący');
  await radio(page, 'udzialOsoby', 'osoba_rodzina');
  await fill(page, 'wSprawie', 'Rodziny Zielińskich');
  await fill(page, 'celSpotkania', goal);
}

/** Protocol part C: the goal's assessment and the decision. */
async function fillProtocolC(page: Page, attained: 'tak' | 'czesciowo', decision: 'kontynuacja' | 'zakonczenie', reason: string): Promise<void> {
  await fill(page, 'numerSprawy', CASE_NO);
  await fill(page, 'ocenaRealizacji][0][ocenaCelSzczegolowy', 'Powrót Kacpra do regularnej nauki');
  await fill(page, 'ocenaRealizacji][0][wykonaneOsoba', 'Kacper chodzi na zajęcia wyrównawcze.');
  await fill(page, 'ocenaRealizacji][0][wykonaneZzk', 'Poradnia przeprowadziła diagnozę; matka uczestniczy w treningu umiejętności wychowawczych.');
  await page.locator(`.formio-component-ocenaRealizacji .formio-component-celOsiagniety input[type=radio][value="${attained}"]`).first().check();
  await radio(page, 'decyzjaKontynuacji', decision);
  await fill(page, 'uzasadnienieDecyzji', reason);
  await fillDate(page, '.formio-component-planZDnia', day(0));
}

describe('miejski-3d: ZZK journey in the śląskie demo region', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('KUK → LKU, need report → ZZK → plan with a basket service → follow-up → suspension/resumption → closing → monitoring → evaluation → closed', { timeout: 300_000 }, async () => {
    let caseUrl = '';

    // 1. A partner NGO submits its Karta Usług Kooperanta; the PZK leader approves the service into the LKU.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, PARTNER);
        await page.goto(url('/katalog/zglos'));
        await expect.poll(() => page.getByTestId('form-submit').isEnabled(), { timeout: 15_000 }).toBe(true);
        await fill(page, 'podmiot', 'Stowarzyszenie na rzecz Osób z Niepełnosprawnością „Razem”');
        await fill(page, 'adres', 'ul. Słoneczna 15, 41-999 Węglowice');
        await fill(page, 'wypelniajacyImieNazwisko', 'Konrad Kontaktowy');
        const addRow = page.locator('.formio-component-uslugi').getByRole('button', { name: /Dodaj/ });
        if (!(await page.locator('[name="data[uslugi][0][nazwaUslugi]"]').isVisible())) await addRow.first().click();
        await fill(page, 'uslugi][0][nazwaUslugi', SERVICE);
        await page.locator('.formio-component-uslugi .formio-component-oferowana input[type=radio][value="tak"]').first().check();
        await fill(page, 'uslugi][0][warunkiDostepu', 'wtorki 16:00–18:00, siedziba Stowarzyszenia; bezpłatnie, na skierowanie z MOPS');
        await fill(page, 'uslugi][0][kontaktDane', 'Konrad Kontaktowy, biuro@razem-weglowice.test, tel. 32 000 50 15');
        await fill(page, 'uslugi][0][uwagi', 'Cykl 8 spotkań warsztatowych dla rodziców dzieci w wieku szkolnym.');
        await screenshot(page, 'miejski-3d-01-kuk-filled');
        await page.getByTestId('form-submit').click();
        const done = page.getByTestId('card-submitted');
        await done.waitFor({ timeout: 15_000 });
        expect(await done.textContent()).toContain('Zgłoszono usługi (1)');
        await screenshot(page, 'miejski-3d-02-kuk-submitted');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, DIRECTOR);
        await page.goto(url('/katalog/do-zatwierdzenia'));
        const item = page.locator(`[data-testid="queue-item"][data-name="${SERVICE}"]`);
        await item.waitFor();
        await screenshot(page, 'miejski-3d-03-lku-queue');
        await item.getByRole('button', { name: 'Zatwierdź' }).click();
        await item.waitFor({ state: 'detached' });
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 2. The school pedagogue reports the family's need.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, PEDAGOG);
        caseUrl = await createCase(page, FAMILY, [
          ['Ewa', 'Zielińska', 'matka'],
          ['Kacper', 'Zieliński', 'syn'],
        ]);
        await screenshot(page, 'miejski-3d-04-case-created');
        await openForm(page, 'Zgłoszenie potrzeby wsparcia');
        await fillIntake(
          page,
          'Patrycja Pedagog (pedagog szkolny SP nr 7)',
          'Rodzina Zielińskich (matka samotnie wychowująca syna)',
          'Kacper (11 l.) od września opuścił ponad 40% zajęć, jest wycofany, w szkole zasypia. Matka straciła pracę, rodzina ma zaległości czynszowe i grozi jej eksmisja. Matka prosi o pomoc, ale nie wie, do kogo się zwrócić.',
        );
        await screenshot(page, 'miejski-3d-05-intake-form');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'REPORT_NEED', /Z0|Zgłoszenie potrzeby/i);
        await screenshot(page, 'miejski-3d-06-need-reported');
        // The reporter is on the ZZK as a member; leading the case is the OPS's job.
        await expect.poll(() => page.getByTestId('case-team').textContent()).toMatch(/Patrycja Pedagog.*Członek ZZK/s);
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 3. The OPS director (PZK leader) appoints the district social worker, not yet on the team, to lead the case.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, DIRECTOR);
        await page.goto(caseUrl);
        await page.getByTestId('case-step').waitFor();
        await page.getByTestId('case-actions').getByTestId('event-APPOINT_CASE_MANAGER').click();
        const dialog = page.getByTestId('case-actions').getByTestId('dialog-APPOINT_CASE_MANAGER');
        await dialog.getByLabel('Członek zespołu').selectOption({ label: 'Inna osoba lub instytucja (spoza zespołu)…' });
        await dialog.getByLabel('Instytucja').selectOption({ label: 'Miejski Ośrodek Pomocy Społecznej w Węglowicach' });
        await dialog.getByLabel('Osoba').selectOption({ label: 'Paulina Rejonowa' });
        await screenshot(page, 'miejski-3d-07-director-appoints');
        await dialog.getByTestId('dialog-confirm').click();
        await expect.poll(() => page.getByTestId('case-team').textContent(), { timeout: 10_000 }).toMatch(/Paulina Rejonowa.*Pracownik socjalny prowadzący ZZK/s);
        await screenshot(page, 'miejski-3d-08-social-worker-appointed');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 4. The social worker assesses the situation, proposes the ZZK, records the family's consent and sets the team up.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, SOCIAL_WORKER);
        await page.goto(url('/sprawy'));
        await expect.poll(async () => (await page.locator('main').textContent()) ?? '', { timeout: 15_000 }).toContain(FAMILY);
        await screenshot(page, 'miejski-3d-09-social-worker-cases');
        await page.goto(caseUrl);
        await sendEvent(page, 'START_ASSESSMENT', /Z1|Rozeznanie/i);
        await screenshot(page, 'miejski-3d-10-assessment');
        await sendEvent(page, 'PROPOSE_ZZK');
        await screenshot(page, 'miejski-3d-11-assessment-zzk-proposed');

        await openForm(page, 'Zgoda osoby/rodziny na współpracę w ZZK (dodatek platformy)');
        await tick(page, 'kryteriaZzk', 'wiele_niezaspokojonych_potrzeb');
        await tick(page, 'kryteriaZzk', 'niewystarczajace_zasoby_ops');
        await tick(page, 'przeslankiPotwierdzone');
        await tick(page, 'przeplywDanychUzgodniony');
        await fill(page, 'miejscowosc', 'Węglowice');
        await fill(page, 'osoby][0][osobaImieNazwisko', 'Ewa Zielińska');
        await fill(page, 'osoby][0][osobaAdres', 'ul. Kwiatowa 21/3, 41-999 Węglowice');
        await fill(page, 'pzkObszar', 'Partnerski Zespół Kooperacyjny Miasta Węglowice (ogólnomiejski)');
        await fill(page, 'ops', 'Miejski Ośrodek Pomocy Społecznej w Węglowicach');
        for (const k of ['zakresUdzial', 'zakresDiagnoza', 'zakresPlan', 'zakresMonitoring', 'zakresEwaluacja', 'zgodaDane', 'klauzulaOtrzymana']) await tick(page, k);
        // Like a user: "Wybierz pliki" opens the file chooser.
        const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('.formio-component-skan').getByText('Wybierz pliki').click()]);
        await chooser.setFiles({ name: 'zgoda-zzk-zielinscy.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% oświadczenie o zgodzie (e2e)\n%%EOF\n') });
        await page.locator('.formio-component-skan').getByText('zgoda-zzk-zielinscy.pdf').first().waitFor({ timeout: 15_000 });
        await fillDate(page, '.formio-component-dataOswiadczenia', day(0));
        await screenshot(page, 'miejski-3d-12-consent-form');
        await submitForm(page, caseUrl);
        await expect.poll(() => page.getByTestId('consent-panel').textContent()).toContain('Obowiązuje');
        await sendEvent(page, 'CONSENT_GIVEN', /Z2|Zgoda i inicjowanie/i);
        await screenshot(page, 'miejski-3d-13-consent-given');

        // The team: the network worker (keeps the register), the NGO with the basket service, the school.
        await addMember(page, 'Miejski Ośrodek Pomocy Społecznej w Węglowicach', 'Sebastian Sieciowy', /Członek ZZK/);
        await addMember(page, 'Stowarzyszenie na rzecz Osób z Niepełnosprawnością „Razem”', 'Konrad Kontaktowy', /Członek ZZK/);
        await addMember(page, 'Poradnia Psychologiczno-Pedagogiczna w Węglowicach', null, /Zaproszony specjalista/);
        await screenshot(page, 'miejski-3d-14-team');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 5. The network worker registers the ZZK (metadata only).
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, NETWORK_WORKER);
        await page.goto(caseUrl);
        await openForm(page, 'Ewidencja ZZK – wpis');
        await fill(page, 'numerSprawy', 'ZZK/2026/07');
        await choose(page, '.formio-component-pracownikSocjalny', 'Paulina Rejonowa');
        await radio(page, 'typOdbiorcy', 'rodzina');
        await chooseMany(page, '.formio-component-instytucjeZzk', ['Miejski Ośrodek Pomocy Społecznej', 'Stowarzyszenie na rzecz Osób', 'Poradnia Psychologiczno']);
        await choose(page, ".formio-component-statusZzk", "w trakcie powoływania");
        await fill(page, 'uwagiRejestr', 'Wpis na podstawie informacji pracownika socjalnego; bez danych osobowych.');
        await fillDate(page, '.formio-component-dataZgloszeniaZzk', day(0));
        await fillDate(page, '.formio-component-dataPowolania', day(0));
        await screenshot(page, 'miejski-3d-15-register-form');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'ZZK_REGISTERED');
        await screenshot(page, 'miejski-3d-16-registered');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 6. First meeting: protocol part A (diagnosis) and part B (the plan, with a service from the LKU basket).
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, SOCIAL_WORKER);
        await page.goto(caseUrl);
        await openForm(page, 'Protokół posiedzenia ZZK – część A: uwagi wstępne i diagnoza');
        await fillProtocolA(page, 'pierwsze', 'Poznanie rodziny, wspólna diagnoza i przyjęcie Indywidualnego Planu Współpracy.');
        await fill(page, 'diagnoza', 'Absencja szkolna Kacpra, utrata pracy przez matkę, zaległości czynszowe i ryzyko eksmisji.');
        await fill(page, 'dotychczasoweDzialania', 'Zasiłek okresowy i celowy na czynsz (MOPS), rozmowy pedagoga szkolnego z matką.');
        await fillDate(page, '.formio-component-dataPosiedzenia', `${day(0)} 10:00`);
        await screenshot(page, 'miejski-3d-17-protocol-a-first');
        await submitForm(page, caseUrl);

        await openForm(page, 'Protokół posiedzenia ZZK – część B: Indywidualny Plan Współpracy');
        await fill(page, 'numerSprawy', CASE_NO);
        await fill(page, 'celGlowny', 'Kacper regularnie chodzi do szkoły, a rodzina utrzymuje mieszkanie.');
        await fill(page, 'celeSzczegolowe][0][celSzczegolowy', 'Powrót Kacpra do regularnej nauki');
        await fill(page, 'celeSzczegolowe][0][dzialanie', 'Diagnoza w poradni i zajęcia wyrównawcze w szkole, 2 razy w tygodniu');
        await page.locator('.formio-component-celeSzczegolowe .formio-component-odpowiedzialnyTyp input[type=radio][value="przedstawiciel_instytucji"]').first().check();
        await choose(page, '.formio-component-celeSzczegolowe .formio-component-odpowiedzialny', 'Poradnia');
        await fill(page, 'celeSzczegolowe][0][przewidywanyEfekt', 'Frekwencja Kacpra powyżej 90%');
        // The IKU starts empty: one row with the service the partner put into the LKU.
        await page.locator('.formio-component-iku').getByRole('button', { name: 'Dodaj wiersz' }).first().click();
        await choose(page, '.formio-component-iku .formio-component-ikuUsluga', 'Trening umiejętności wychowawczych');
        await fill(page, 'iku][0][ikuUdostepnia', 'Stowarzyszenie „Razem”');
        await fill(page, 'iku][0][ikuTerminRealizacji', 'od przyszłego wtorku, 8 spotkań');
        await fillDate(page, '.formio-component-terminKolejnegoSpotkania', `${day(21)} 10:00`);
        await screenshot(page, 'miejski-3d-18-protocol-b-plan');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'FIRST_MEETING_HELD', /Z4|Realizacja/i);
        await screenshot(page, 'miejski-3d-19-plan-in-progress');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 7. Follow-up meeting (A + C + D), suspension with its grounds, resumption, closing meeting, monitoring, evaluation.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, SOCIAL_WORKER);
        await page.goto(caseUrl);
        await openForm(page, 'Protokół posiedzenia ZZK – część A: uwagi wstępne i diagnoza');
        await fillProtocolA(page, 'kolejne', 'Przegląd realizacji planu i jego aktualizacja.');
        await fillDate(page, '.formio-component-dataPosiedzenia', `${day(21)} 10:00`);
        await submitForm(page, caseUrl);
        await openForm(page, 'Protokół posiedzenia ZZK – część C: monitoring/ewaluacja');
        await fillProtocolC(page, 'czesciowo', 'kontynuacja', 'Frekwencja rośnie, sprawa mieszkaniowa w toku.');
        await screenshot(page, 'miejski-3d-20-protocol-c-continue');
        await submitForm(page, caseUrl);
        await openForm(page, 'Protokół posiedzenia ZZK – część D: aktualizacja Indywidualnego Planu Współpracy');
        await fill(page, 'numerSprawy', CASE_NO);
        await fill(page, 'celGlowny', 'Kacper regularnie chodzi do szkoły, a rodzina utrzymuje mieszkanie.');
        await fill(page, 'celeSzczegolowe][0][celSzczegolowy', 'Utrzymanie mieszkania');
        await fill(page, 'celeSzczegolowe][0][dzialanie', 'Wniosek o dodatek mieszkaniowy i porozumienie w sprawie spłaty zaległości');
        await page.locator('.formio-component-celeSzczegolowe .formio-component-odpowiedzialnyTyp input[type=radio][value="osoba_rodzina_grupa"]').first().check();
        await choose(page, '.formio-component-celeSzczegolowe .formio-component-odpowiedzialny', 'Ewa');
        await fillDate(page, '.formio-component-terminKolejnegoSpotkania', `${day(49)} 10:00`);
        await screenshot(page, 'miejski-3d-21-protocol-d-update');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'FOLLOW_UP_MEETING_HELD');
        await screenshot(page, 'miejski-3d-22-follow-up-held');

        // Suspension: the mother is in hospital; agreed with the team.
        await openForm(page, 'Zawieszenie współpracy ZZK');
        await fill(page, 'numerSprawy', CASE_NO);
        await tick(page, 'zawieszeniePrzeslanki', 'uczestnictwo_niemozliwe');
        await fill(page, 'opisOkolicznosci', 'Pani Ewa przebywa w szpitalu; Kacper czasowo u babci. Rodzina nie może uczestniczyć w posiedzeniach.');
        await choose(page, '.formio-component-zawieszenieUzgodnioneZ', 'Konrad Kontaktowy');
        await fill(page, 'planKonsultacji', 'Pedagog i pracownik socjalny pozostają w kontakcie telefonicznym z babcią.');
        await fillDate(page, '.formio-component-zawieszenieData', day(28));
        await screenshot(page, 'miejski-3d-23-suspension-form');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'SUSPEND', /Z5|Zawieszenie/i);
        await screenshot(page, 'miejski-3d-24-suspended');

        await openForm(page, 'Wznowienie współpracy w ZZK');
        await fill(page, 'numerSprawy', CASE_NO);
        await tick(page, 'wznowieniePrzeslanki', 'deklaruje_udzial');
        await tick(page, 'wznowieniePrzeslanki', 'gotowa_do_spotkan');
        await fill(page, 'opisWznowienia', 'Pani Ewa wróciła do domu i sama zaproponowała termin posiedzenia.');
        await fillDate(page, '.formio-component-wznowienieData', day(42));
        await fillDate(page, '.formio-component-terminPosiedzenia', `${day(49)} 10:00`);
        await screenshot(page, 'miejski-3d-25-resumption-form');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'RESUME', /Z4|Realizacja/i);
        await screenshot(page, 'miejski-3d-26-resumed');

        // Closing meeting: A (last) + C (end, outcome, monitoring for 6 months).
        await openForm(page, 'Protokół posiedzenia ZZK – część A: uwagi wstępne i diagnoza');
        await fillProtocolA(page, 'ostatnie', 'Podsumowanie współpracy, decyzja o zakończeniu i zasady monitoringu.');
        await fillDate(page, '.formio-component-dataPosiedzenia', `${day(90)} 10:00`);
        await submitForm(page, caseUrl);
        await openForm(page, 'Protokół posiedzenia ZZK – część C: monitoring/ewaluacja');
        await fillProtocolC(page, 'tak', 'zakonczenie', 'Kacper chodzi do szkoły, rodzina ma dodatek mieszkaniowy i spłaca zaległości.');
        await choose(page, '.formio-component-wynikZakonczenia', 'cele współpracy zostały osiągnięte');
        await fill(page, 'monitoringCzestotliwosc', 'raz w miesiącu (telefon lub wizyta)');
        await fill(page, 'monitoringOkres', '6');
        await screenshot(page, 'miejski-3d-27-protocol-c-closing');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'END_ZZK', /Z6|Ostatnie/i);
        await screenshot(page, 'miejski-3d-28-zzk-ended');
        await sendEvent(page, 'START_MONITORING', /Z7|Monitoring/i);
        await screenshot(page, 'miejski-3d-29-monitoring');

        await openForm(page, 'Monitoring po zakończeniu wsparcia');
        await fill(page, 'numerSprawy', CASE_NO);
        await choose(page, '.formio-component-formaKontaktu', 'rozmowa telefoniczna');
        await choose(page, '.formio-component-prowadzacyMonitoring', 'Paulina Rejonowa');
        await fill(page, 'ustaleniaMonitoringu', 'Kacper chodzi do szkoły, czynsz płacony na bieżąco.');
        await radio(page, 'efektyUtrzymane', 'tak');
        await radio(page, 'potrzebaPonownegoWsparcia', 'nie');
        await fillDate(page, '.formio-component-dataKontaktu', day(120));
        await screenshot(page, 'miejski-3d-30-monitoring-contact');
        await submitForm(page, caseUrl);
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await context.close();
      }
    }

    // 8. Six months later (simulated clock): monitoring ends, the evaluation survey closes the case.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        const moved = await page.request.post(url('/api/test/clock'), { headers: sameOrigin(), data: { advance: 'P6M1D' } });
        expect(moved.ok()).toBe(true);
        await signIn(page, SOCIAL_WORKER);
        await page.goto(caseUrl);
        await screenshot(page, 'miejski-3d-31-after-six-months');
        await sendEvent(page, 'MONITORING_DONE', /Z8|Ewaluacja/i);
        await screenshot(page, 'miejski-3d-32-evaluation-stage');
        await openForm(page, 'Ankieta ewaluacyjna ZZK');
        await radio(page, 'rola', 'pracownik_socjalny');
        await fill(page, 'aspektyWartosciowe', 'Szkoła, poradnia i stowarzyszenie ustalały wszystko przy jednym stole.');
        await fill(page, 'slabeStrony', 'Długa przerwa w czasie zawieszenia.');
        await fill(page, 'sugestie', 'Wcześniej zapraszać zarządcę budynku.');
        await radio(page, 'ocenaSkutecznosciUslug', '5');
        await radio(page, 'potrzebaDalszegoWsparcia', 'nie');
        await screenshot(page, 'miejski-3d-33-evaluation-survey');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'EVALUATION_DONE', /Z9|zamknięt/i);
        await screenshot(page, 'miejski-3d-34-closed');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } finally {
        await page.request.post(url('/api/test/clock'), { headers: sameOrigin(), data: { reset: true } });
        await context.close();
      }
    }
  });

  it('returns a case to ordinary social work at the assessment stage', { timeout: 120_000 }, async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await signIn(page, SOCIAL_WORKER);
      const caseUrl = await createCase(page, 'Pan Józef Malinowski', [['Józef', 'Malinowski', 'osoba samotnie gospodarująca']], 'person');
      await openForm(page, 'Zgłoszenie potrzeby wsparcia');
      await choose(page, '.formio-component-zglaszajacyTyp', 'pracownik socjalny OPS');
      await fill(page, 'zglaszajacyImieNazwisko', 'Paulina Rejonowa');
      await radio(page, 'typOdbiorcy', 'osoba');
      await fill(page, 'osobaRodzina', 'Józef Malinowski');
      await fill(page, 'opisSytuacji', 'Samotny senior po udarze; potrzebuje usług opiekuńczych, sąsiedzi pomagają w zakupach.');
      await radio(page, 'osobaWieOZgloszeniu', 'tak');
      await fillDate(page, '.formio-component-dataZgloszenia', day(0));
      await submitForm(page, caseUrl);
      await sendEvent(page, 'REPORT_NEED', /Z0|Zgłoszenie potrzeby/i);
      await sendEvent(page, 'START_ASSESSMENT', /Z1|Rozeznanie/i);
      await screenshot(page, 'miejski-3d-35-second-case-assessment');
      await sendEvent(page, 'RETURN_TO_STANDARD', /ZX|tradycyjn|pracy socjalnej/i);
      await screenshot(page, 'miejski-3d-36-returned-to-social-work');
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
