import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, reportScreenshotFailure, screenshot, url, sameOrigin } from './browser';
import { fillDate, signIn, submitCaseForm as submitForm } from './helpers';

/**
 * The rural pack's journey (issue 8, item 8), on the podkarpackie demo region: the municipal animator
 * (GOPS Jaworzyna Górna) registers a family, prepares the Karta Oczekiwań, presents it at the PZK, makes
 * the offer, records the consent with the information clause, the social worker records the community
 * interview, workshop no. 1 is held, the family chooses its key worker, the IPW gives tasks to three
 * institutions, the school's pedagogue (another institution) completes hers under "Moje zadania", the
 * simulated clock moves 3 months so the IPW review falls due, the IPW is reviewed, the evaluation is
 * held and the case closes as "cele osiągnięte". A second family withdraws after the consent (E4).
 */
const ANIMATOR = 'municipal-animator@wiejski.kooperacja.test';
const SOCIAL_WORKER = 'social-worker@wiejski.kooperacja.test';
const PEDAGOGUE = 'pzk-member@wiejski.kooperacja.test';
const GOPS = 'Gminny Ośrodek Pomocy Społecznej w Jaworzynie Górnej';
const SCHOOL = 'Szkoła Podstawowa im. Jana Kochanowskiego w Jaworzynie Górnej';
const PUP = 'Powiatowy Urząd Pracy w Jaworzanach';
const PZK = 'PZK w Gminie Jaworzyna Górna';
const MEMBER_ROLE = 'Członek PZK w sprawie';
const KEY_WORKER_ROLE = 'Pracownik kluczowy';
const SCHOOL_TASK = 'Zajęcia wyrównawcze z matematyki dla Kacpra dwa razy w tygodniu w szkole; efekt: ocena dostateczna na semestr';
const SCAN = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'utf8');

/** On a failed step: a screenshot of the page and the form's error summary in the runner's output. */
async function reportFailure(page: Page, name: string): Promise<void> {
  await screenshot(page, name).catch(reportScreenshotFailure);
  const errors = await page.getByTestId('form-errors').textContent({ timeout: 1_000 }).catch(() => null);
  if (errors) console.error(`[${name}] form errors: ${errors}`);
}

/** dd.MM.yyyy (the pack's date format) of `base` (default: now; the simulated clock starts at the real date) shifted by `days`. */
function isoDay(days = 0, base: Date = new Date()): string {
  const d = new Date(base.getTime() + days * 86_400_000);
  return `${String(d.getDate()).padStart(2, '0')}.${String(d.getMonth() + 1).padStart(2, '0')}.${d.getFullYear()}`;
}

/**
 * Picks an option of a Choices.js select by its visible text. In the wide IPW table the dropdown can be
 * re-rendered or clipped while it opens; then the option is searched for and taken with Enter, as a
 * keyboard user would. Multi-selects stay open: Escape closes them.
 */
async function choose(page: Page, scope: string, text: string): Promise<void> {
  await page.locator(`${scope} .choices`).first().click();
  const option = page.locator(`${scope} .choices__list--dropdown .choices__item--choice`, { hasText: text }).first();
  try {
    await option.click({ timeout: 3_000 });
  } catch {
    const search = page.locator(`${scope} .choices input.choices__input--cloned`).first();
    await search.fill(text);
    await page.locator(`${scope} .choices__list--dropdown .choices__item--choice.is-highlighted`, { hasText: text }).first().waitFor({ state: 'attached' });
    await search.press('Enter');
  }
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator(`${scope} .choices__list--single, ${scope} .choices__list--multiple`).first().textContent()).toContain(text);
}

async function check(page: Page, selector: string): Promise<void> {
  await page.locator(selector).first().check();
}

async function openForm(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: `Wypełnij: ${title}` }).click();
  await page.waitForURL(/\/formularze\//);
  // Enabled once Form.io has built the form (before that, typing could be lost).
  await expect.poll(() => page.getByTestId('form-submit').isEnabled(), { timeout: 15_000 }).toBe(true);
}

async function sendEvent(page: Page, type: string, stepLabel: string): Promise<void> {
  const button = page.getByTestId('case-actions').getByTestId(`event-${type}`);
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  await expect.poll(() => page.getByTestId('case-step').textContent(), { timeout: 15_000 }).toContain(stepLabel);
}

/** An event that asks for confirmation (closing the case). */
async function confirmEvent(page: Page, type: string, stepLabel: string): Promise<void> {
  const button = page.getByTestId('case-actions').getByTestId(`event-${type}`);
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  await page.getByTestId(`dialog-${type}`).getByTestId('dialog-confirm').click();
  await expect.poll(() => page.getByTestId('case-step').textContent(), { timeout: 15_000 }).toContain(stepLabel);
}

/**
 * An event that carries a team member (DODAJ_INSTYTUCJE, WYBRANO_PK): a person of an institution, or the
 * whole institution when `person` is null, with its role in the case team, chosen in the event's dialog.
 */
async function teamEvent(page: Page, type: string, institution: string, person: string | null, role: string, shot: string): Promise<void> {
  const button = page.getByTestId('case-actions').getByTestId(`event-${type}`);
  await expect.poll(() => button.isEnabled()).toBe(true);
  await button.click();
  const dialog = page.getByTestId(`dialog-${type}`);
  if (!person) await dialog.getByLabel('całą instytucję').check();
  await dialog.getByLabel('Instytucja').selectOption({ label: institution });
  if (person) await dialog.getByLabel('Osoba', { exact: true }).selectOption({ label: person });
  await dialog.getByLabel('Rola w zespole').selectOption({ label: role });
  await screenshot(page, shot);
  await dialog.getByTestId('dialog-confirm').click();
  await expect.poll(() => page.getByTestId('case-team').textContent(), { timeout: 15_000 }).toContain(person ?? institution);
}

/** Fills "Nowa sprawa" as the animator and returns the case URL. */
async function createCase(page: Page, name: string, address: string, members: { first: string; last: string; relation: string; birth: string }[]): Promise<string> {
  await page.goto(url('/sprawy/nowa'));
  await page.getByRole('heading', { name: 'Nowa sprawa' }).waitFor();
  await page.locator('#nc-type-family').check();
  await page.locator('#nc-name').fill(name);
  await page.locator('#nc-address').fill(address);
  for (const [i, m] of members.entries()) {
    if (i > 0) await page.getByRole('button', { name: '+ Dodaj osobę' }).click();
    const box = page.getByTestId('member').nth(i);
    await box.getByLabel('Imię').fill(m.first);
    await box.getByLabel('Nazwisko').fill(m.last);
    await box.getByLabel('Relacja').fill(m.relation);
    await box.getByLabel('Data urodzenia').fill(m.birth);
  }
  return '';
}

async function finishCreateCase(page: Page): Promise<string> {
  await page.getByTestId('create-case').click();
  await page.waitForURL(/\/sprawy\/[^/?]+\?utworzono=1$/);
  await page.getByTestId('case-step').getByText('Zgłoszenie w przygotowaniu').waitFor();
  return page.url().replace(/\?.*$/, '');
}

/** The referral (§7.14) of a family reported by the GOPS with its consent. */
async function fillReferral(page: Page, members: string[], address: string): Promise<void> {
  await check(page, '.formio-component-typ input[value="rodzina"]');
  await fillDate(page, '.formio-component-dataZgloszenia', isoDay(0));
  await page.fill('input[name="data[pzk]"]', PZK);
  await check(page, '.formio-component-zglaszajacy input[value="gops"]');
  await choose(page, '.formio-component-zglaszajacaInstytucja', GOPS);
  await page.fill('input[name="data[zglaszajacaOsoba]"]', 'Grzegorz Gminny, animator gminy (sygnał wychowawczyni)');
  await check(page, 'input[name="data[zgodaNaZgloszenie]"]');
  for (const [i, member] of members.entries()) {
    if (i > 0) await page.locator('.formio-component-czlonkowie').getByRole('button', { name: /Dodaj/ }).last().click();
    await page.fill(`input[name="data[czlonkowie][${i}][czlonekImieNazwisko]"]`, member);
  }
  await page.fill('input[name="data[adres]"]', address);
  await check(page, '.formio-component-przeslanki input[value="p2"]');
  await check(page, '.formio-component-przeslanki input[value="p3"]');
}

describe('wiejski: the family journey in the rural cooperation model', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  // Runs first, before the journey below moves the simulated clock.
  it('records a family that withdraws from the cooperation (E4)', { timeout: 180_000 }, async () => {
    const { context, page, pageErrors } = await openPage(browser);
    try {
      await signIn(page, ANIMATOR);
      await createCase(page, 'Rodzina Lisów', 'Jaworzyna Górna-Podlesie 3', [
        { first: 'Joanna', last: 'Lis', relation: 'matka', birth: '1991-07-30' },
        { first: 'Zuzanna', last: 'Lis', relation: 'córka', birth: '2016-05-11' },
      ]);
      const caseUrl = await finishCreateCase(page);
      await openForm(page, 'Zgłoszenie osoby/rodziny');
      await fillReferral(page, ['Joanna Lis', 'Zuzanna Lis'], 'Jaworzyna Górna-Podlesie 3');
      await submitForm(page, caseUrl);
      await sendEvent(page, 'ZGLOS', 'S0 Zgłoszenie');
      await sendEvent(page, 'ROZPOCZNIJ_ANALIZE', 'S1 Analiza sytuacji');
      await screenshot(page, 'wiejski-40-withdrawal-analysis');

      await openForm(page, 'Zakończenie współpracy / przekazanie');
      await fillDate(page, '.formio-component-dataZakonczenia', isoDay(0));
      await choose(page, '.formio-component-powod', 'Rezygnacja osoby/rodziny');
      await fillDate(page, '.formio-component-dataOswiadczenia', isoDay(0));
      await page.fill('input[name="data[sposobZgloszenia]"]', 'telefonicznie do animatora gminy');
      await check(page, 'input[name="data[informacjaODanych]"]');
      await screenshot(page, 'wiejski-41-withdrawal-form');
      await submitForm(page, caseUrl);
      await confirmEvent(page, 'REZYGNUJ', 'E4 Rezygnacja');
      await screenshot(page, 'wiejski-42-withdrawn');
      expect(pageErrors.map((e) => e.message)).toEqual([]);
    } catch (error) {
      await reportFailure(page, 'wiejski-99-failure-withdrawal');
      throw error;
    } finally {
      await context.close();
    }
  });

  it('registers a family, builds the IPW with three institutions, reviews it after 3 months and closes with goals achieved', { timeout: 420_000 }, async () => {
    let caseUrl = '';
    // Part 1 — the municipal animator, from the referral to the consent.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, ANIMATOR);
        await page.goto(url('/sprawy'));
        await page.getByRole('heading', { name: 'Sprawy' }).waitFor();
        await screenshot(page, 'wiejski-01-case-list');

        await createCase(page, 'Rodzina Nowakowskich', 'Jaworzyna Górna 57', [
          { first: 'Ewa', last: 'Nowakowska', relation: 'matka', birth: '1988-04-12' },
          { first: 'Marek', last: 'Nowakowski', relation: 'ojciec', birth: '1985-09-03' },
          { first: 'Kacper', last: 'Nowakowski', relation: 'syn', birth: '2014-02-17' },
        ]);
        await screenshot(page, 'wiejski-02-new-case');
        caseUrl = await finishCreateCase(page);
        await screenshot(page, 'wiejski-03-case-created');

        await openForm(page, 'Zgłoszenie osoby/rodziny');
        await fillReferral(page, ['Ewa Nowakowska', 'Marek Nowakowski', 'Kacper Nowakowski'], 'Jaworzyna Górna 57 (dom jednorodzinny, 4 km od szkoły)');
        await screenshot(page, 'wiejski-04-referral-form');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'ZGLOS', 'S0 Zgłoszenie');
        await screenshot(page, 'wiejski-05-registered');

        // S1: the Karta Oczekiwań (first part).
        await sendEvent(page, 'ROZPOCZNIJ_ANALIZE', 'S1 Analiza sytuacji');
        await openForm(page, 'Karta Oczekiwań');
        await check(page, '.formio-component-etapKarty input[value="wstepna"]');
        await page.fill(
          'textarea[name="data[opisSytuacji]"]',
          'Rodzina z jednym dzieckiem w wieku szkolnym. Ojciec stracił pracę sezonową w tartaku, matka opiekuje się chorą teściową. Kacper ma zaległości w nauce i często opuszcza lekcje; dom wymaga ocieplenia przed zimą.',
        );
        await page.fill('input[name="data[osobaZglaszajaca]"]', 'Grzegorz Gminny, animator gminy (GOPS)');
        await fillDate(page, '.formio-component-dataSporzadzenia', isoDay(0));
        await page.fill(
          'textarea[name="data[perspektywaRodziny]"]',
          'Chcemy, żeby Kacper nadrobił zaległości, a mąż znalazł stałą pracę blisko domu. Mocną stroną jest to, że trzymamy się razem i pomagają nam sąsiedzi.',
        );
        await page.fill(
          'textarea[name="data[perspektywaZglaszajacego]"]',
          'Wychowawczyni Kacpra zgłosiła do GOPS częste nieobecności chłopca. Rodzice są otwarci na pomoc, ale nie wiedzą, od czego zacząć; potrzebne jest wspólne działanie szkoły, GOPS i urzędu pracy.',
        );
        await check(page, '.formio-component-przeslanki input[value="p2"]');
        await check(page, '.formio-component-przeslanki input[value="p3"]');
        await screenshot(page, 'wiejski-06-karta-oczekiwan');
        await submitForm(page, caseUrl);

        // S2: presentation at the PZK; the school's pedagogue becomes the advocate of change.
        await sendEvent(page, 'PRZEDSTAW_NA_PZK', 'S2 Prezentacja');
        await teamEvent(page, 'DODAJ_INSTYTUCJE', SCHOOL, 'Patrycja Pedagogiczna', MEMBER_ROLE, 'wiejski-07-pzk-add-member');
        await openForm(page, 'Karta Oczekiwań');
        await check(page, '.formio-component-etapKarty input[value="poSpotkaniuPzk"]');
        await choose(page, '.formio-component-rzecznik', 'Patrycja Pedagogiczna');
        await check(page, '.formio-component-ocenaSzans input[value="dobra"]');
        await screenshot(page, 'wiejski-08-karta-po-pzk');
        await submitForm(page, caseUrl);

        // S3: the offer; S4: consent and information clause.
        await sendEvent(page, 'PRZEDSTAW_OFERTE', 'S3 Oferta');
        await screenshot(page, 'wiejski-09-offer');
        await openForm(page, 'Oświadczenie osoby/rodziny o wyrażeniu zgody na współpracę z PZK');
        await page.fill('input[name="data[miejscowosc]"]', 'Jaworzyna Górna');
        await fillDate(page, '.formio-component-data', isoDay(0));
        await page.fill('input[name="data[osoby][0][osobaImieNazwisko]"]', 'Ewa Nowakowska');
        await page.fill('input[name="data[osoby][0][osobaZam]"]', 'Jaworzyna Górna 57');
        await page.locator('.formio-component-osoby').getByRole('button', { name: /Dodaj/ }).last().click();
        await page.fill('input[name="data[osoby][1][osobaImieNazwisko]"]', 'Marek Nowakowski');
        await page.fill('input[name="data[osoby][1][osobaZam]"]', 'Jaworzyna Górna 57');
        await check(page, 'input[name="data[saMaloletni]"]');
        await page.fill('input[name="data[maloletni][0][maloletniImieNazwisko]"]', 'Kacper Nowakowski');
        await page.fill('input[name="data[przedstawiciele][0][przedstawicielImieNazwisko]"]', 'Ewa Nowakowska');
        await page.fill('input[name="data[przedstawiciele][0][przedstawicielDotyczy]"]', 'Kacper Nowakowski');
        await page.fill('input[name="data[pzk]"]', PZK);
        await choose(page, '.formio-component-gops', GOPS);
        for (const v of ['uczestnictwo', 'warsztaty', 'wywiad', 'ipw', 'ewaluacja']) await check(page, `.formio-component-zakres input[value="${v}"]`);
        await check(page, 'input[name="data[zgodaDane]"]');
        await check(page, 'input[name="data[klauzulaOtrzymana]"]');
        await page.fill('input[name="data[podpisy][0][podpisOsoba]"]', 'Ewa Nowakowska');
        await fillDate(page, '.formio-component-podpisy .formio-component-podpisData', isoDay(0));
        const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('.formio-component-skan').getByText('Wybierz pliki').click()]);
        await chooser.setFiles({ name: 'zgoda-nowakowscy.pdf', mimeType: 'application/pdf', buffer: SCAN });
        await page.locator('.formio-component-skan').getByText('zgoda-nowakowscy.pdf').first().waitFor();
        await screenshot(page, 'wiejski-10-consent-form');
        await submitForm(page, caseUrl);

        await openForm(page, 'Klauzula informacyjna');
        await page.fill('input[name="data[administrator]"]', GOPS);
        await page.fill('input[name="data[nip]"]', '000-000-00-00');
        await page.fill('input[name="data[email]"]', 'gops@jaworzyna.test');
        await page.fill('input[name="data[adres]"]', 'Jaworzyna Górna 45, 36-910 Jaworzyna Górna');
        await page.fill('input[name="data[iodEmail]"]', 'iod@jaworzyna.test');
        await page.fill('input[name="data[emailCofniecia]"]', 'gops@jaworzyna.test');
        await page.fill('input[name="data[okresArchiwizacji]"]', '5 lat od zakończenia współpracy');
        await page.fill('input[name="data[podpisy][0][podpisOsoba]"]', 'Ewa Nowakowska');
        await fillDate(page, '.formio-component-podpisy .formio-component-podpisData', isoDay(0));
        await screenshot(page, 'wiejski-11-information-clause');
        await submitForm(page, caseUrl);
        await expect.poll(() => page.getByTestId('consent-panel').textContent()).toContain('Obowiązuje');
        await sendEvent(page, 'AKCEPTACJA', 'S4 Zgoda');
        await screenshot(page, 'wiejski-12-consent-signed');

        // S5: the social worker joins and is asked for the community interview.
        await teamEvent(page, 'DODAJ_INSTYTUCJE', GOPS, 'Sylwia Socjalna', MEMBER_ROLE, 'wiejski-13-add-social-worker');
        await sendEvent(page, 'ZLEC_WYWIAD', 'S5 Wywiad');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } catch (error) {
        await reportFailure(page, 'wiejski-99-failure');
        throw error;
      } finally {
        await context.close();
      }
    }

    // Part 2 — the social worker records the community interview.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, SOCIAL_WORKER);
        await page.goto(caseUrl);
        await openForm(page, 'Wywiad środowiskowy – odnotowanie terminu');
        await fillDate(page, '.formio-component-dataWywiadu', isoDay(0));
        await check(page, '.formio-component-rodzajWywiadu input[value="nowy"]');
        await page.fill('input[name="data[pracownikSocjalny]"]', 'Sylwia Socjalna');
        await screenshot(page, 'wiejski-14-community-interview');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'WYWIAD_WYKONANY', 'S6 Warsztat');
        await screenshot(page, 'wiejski-15-interview-done');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } catch (error) {
        await reportFailure(page, 'wiejski-99-failure');
        throw error;
      } finally {
        await context.close();
      }
    }

    // Part 3 — the animator: workshop no. 1, the key worker, the IPW with tasks for three institutions.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, ANIMATOR);
        await page.goto(caseUrl);
        await teamEvent(page, 'DODAJ_INSTYTUCJE', PUP, null, MEMBER_ROLE, 'wiejski-16-add-pup');

        await openForm(page, 'Warsztat współpracy');
        await choose(page, '.formio-component-typWarsztatu', 'warsztat diagnostyczny nr 1');
        await fillDate(page, '.formio-component-data', isoDay(0));
        await check(page, '.formio-component-forma input[value="bezposrednia"]');
        await page.fill('input[name="data[miejsce]"]', 'Świetlica wiejska w Jaworzynie Górnej');
        for (const person of ['Grzegorz Gminny', 'Patrycja Pedagogiczna', 'Sylwia Socjalna']) await choose(page, '.formio-component-uczestnicyPzk', person);
        for (const member of ['Ewa Nowakowska', 'Marek Nowakowski', 'Kacper Nowakowski']) await choose(page, '.formio-component-uczestnicyRodzina', member);
        await page.fill('input[name="data[specjalisci]"]', 'doradca zawodowy PUP w Jaworzanach');
        await check(page, 'input[name="data[scenariuszUzgodniony]"]');
        for (const v of ['informacje', 'mocne-strony', 'cele-ipw', 'sklad-pzk']) await check(page, `.formio-component-celeWarsztatu1 input[value="${v}"]`);
        await check(page, '.formio-component-skladWystarczajacy input[value="tak"]');
        for (const v of ['genogram', 'skalowanie']) await check(page, `.formio-component-techniki input[value="${v}"]`);
        await page.fill('textarea[name="data[wnioski]"]', 'Rodzina wskazała trzy obszary: nauka Kacpra, praca taty, ogrzewanie domu. Na pracownika kluczowego rodzina wybrała pedagog szkolną.');
        await screenshot(page, 'wiejski-17-workshop-1');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'WARSZTAT_1_ODBYTY', 'S7 Wybór pracownika kluczowego');

        // The Karta Oczekiwań completed after the workshop: areas, institutions, the chosen key worker.
        await openForm(page, 'Karta Oczekiwań');
        await check(page, '.formio-component-etapKarty input[value="uzupelniona"]');
        await page.fill('input[name="data[obszarANazwa]"]', 'Kacper nadrabia zaległości i chodzi do szkoły');
        await check(page, '.formio-component-obszarAOcenaRodzina input[value="3"]');
        await check(page, '.formio-component-obszarAOcenaInstytucje input[value="2"]');
        await page.fill('input[name="data[obszarBNazwa]"]', 'Stała praca taty blisko domu');
        await check(page, '.formio-component-obszarBOcenaRodzina input[value="2"]');
        await check(page, '.formio-component-obszarBOcenaInstytucje input[value="3"]');
        await page.fill('input[name="data[obszarCNazwa]"]', 'Ciepły dom przed zimą');
        await check(page, '.formio-component-obszarCOcenaRodzina input[value="4"]');
        await check(page, '.formio-component-obszarCOcenaInstytucje input[value="4"]');
        for (const institution of [SCHOOL, GOPS, PUP]) await choose(page, '.formio-component-instytucjeIpp', institution);
        await choose(page, '.formio-component-pracownikKluczowy', 'Patrycja Pedagogiczna');
        await screenshot(page, 'wiejski-18-karta-uzupelniona');
        await submitForm(page, caseUrl);
        await teamEvent(page, 'WYBRANO_PK', SCHOOL, 'Patrycja Pedagogiczna', KEY_WORKER_ROLE, 'wiejski-19-key-worker-dialog');
        await expect.poll(() => page.getByTestId('case-step').textContent(), { timeout: 15_000 }).toContain('S8 Opracowanie IPW');

        // The IPW: one task each for the school, the GOPS and the county labour office.
        await openForm(page, 'Indywidualny Program Współpracy (IPW)');
        await page.fill('input[name="data[wersja]"]', '1');
        await fillDate(page, '.formio-component-dataAktualizacji', isoDay(0));
        await choose(page, '.formio-component-ipwDla', 'Ewa Nowakowska');
        await page.fill('textarea[name="data[celNadrzedny]"]', 'Kacper chodzi do szkoły bez zaległości, tata ma stałą pracę, a dom jest ocieplony przed zimą.');
        await fillDate(page, '.formio-component-terminOd', isoDay(0));
        await fillDate(page, '.formio-component-terminDo', isoDay(300));
        const tasks: { area: string; action: string; task: string; who: string }[] = [
          { area: 'Obszar/Cel A', action: 'Zajęcia wyrównawcze z matematyki', task: SCHOOL_TASK, who: SCHOOL },
          { area: 'Obszar/Cel C', action: 'Pomoc w ociepleniu domu', task: 'Wniosek o dofinansowanie ocieplenia domu i zasiłek celowy na opał; GOPS, do końca stycznia', who: GOPS },
          { area: 'Obszar/Cel B', action: 'Aktywizacja zawodowa taty', task: 'Spotkanie z doradcą zawodowym PUP i kurs operatora wózka widłowego; efekt: stała praca', who: PUP },
        ];
        for (const [i, t] of tasks.entries()) {
          if (i > 0) await page.locator('.formio-component-dzialania').getByRole('button', { name: /Dodaj/ }).last().click();
          const row = `.formio-component-dzialania tbody tr:nth-child(${i + 1})`;
          await page.fill(`input[name="data[dzialania][${i}][lp]"]`, String(i + 1));
          await choose(page, `${row} .formio-component-obszarCel`, t.area);
          await page.fill(`input[name="data[dzialania][${i}][dzialanie]"]`, t.action);
          // The plan binding makes this column the task's title.
          await page.fill(`textarea[name="data[dzialania][${i}][terminMiejsceEfekty]"]`, t.task);
          await fillDate(page, `${row} .formio-component-terminWykonania`, isoDay(60));
          await choose(page, `${row} .formio-component-odpowiedzialny`, t.who);
          await choose(page, `${row} .formio-component-status`, 'planowane');
        }
        await choose(page, '.formio-component-pracownikKluczowy', 'Patrycja Pedagogiczna');
        await page.fill('input[name="data[funkcja]"]', 'pedagog szkolny');
        await choose(page, '.formio-component-instytucja', SCHOOL);
        await fillDate(page, '.formio-component-dataPrzegladu', isoDay(90));
        await check(page, 'input[name="data[akceptacjaRodziny]"]');
        await screenshot(page, 'wiejski-20-ipw-form');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'IPW_PRZYJETY', 'S9 Realizacja IPW');
        await expect.poll(() => page.getByTestId('case-tasks').textContent()).toContain(SCHOOL_TASK);
        await screenshot(page, 'wiejski-21-ipw-adopted');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } catch (error) {
        await reportFailure(page, 'wiejski-99-failure');
        throw error;
      } finally {
        await context.close();
      }
    }

    // Part 4 — the school's pedagogue (another institution, the key worker) completes the school's task.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        await signIn(page, PEDAGOGUE);
        await page.goto(url('/zadania'));
        const row = page.getByTestId('task-row').filter({ hasText: SCHOOL_TASK });
        await row.waitFor();
        await screenshot(page, 'wiejski-22-pedagogue-tasks');
        await row.getByTestId('task-status').selectOption('done');
        await row.getByText('Zapisano: wykonane').waitFor();
        await screenshot(page, 'wiejski-23-task-done');
        await page.goto(caseUrl);
        await page.getByTestId('case-step').waitFor();
        await screenshot(page, 'wiejski-24-case-as-key-worker');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } catch (error) {
        await reportFailure(page, 'wiejski-99-failure');
        throw error;
      } finally {
        await context.close();
      }
    }

    // Part 5 — three months later: the IPW review falls due; review, evaluation, closure.
    {
      const { context, page, pageErrors } = await openPage(browser);
      try {
        const clock = await page.request.post(url('/api/test/clock'), { headers: sameOrigin(), data: { advance: 'P3M' } });
        expect(clock.ok()).toBe(true);
        // Dates typed from here on are relative to the moved clock.
        const later = new Date(((await clock.json()) as { now: string }).now);
        await signIn(page, ANIMATOR);
        await page.goto(caseUrl);
        await expect.poll(() => page.getByTestId('case-tasks').textContent(), { timeout: 15_000 }).toContain('Zaplanuj wspólną weryfikację IPW');
        await screenshot(page, 'wiejski-25-review-due');

        await sendEvent(page, 'ZLEC_MONITORING', 'S9a Monitoring IPW');
        await openForm(page, 'Warsztat współpracy');
        await choose(page, '.formio-component-typWarsztatu', 'warsztat monitorujący nr 2');
        await fillDate(page, '.formio-component-data', isoDay(0, later));
        await check(page, '.formio-component-forma input[value="bezposrednia"]');
        await page.fill('input[name="data[miejsce]"]', 'GOPS w Jaworzynie Górnej');
        for (const person of ['Grzegorz Gminny', 'Patrycja Pedagogiczna', 'Sylwia Socjalna']) await choose(page, '.formio-component-uczestnicyPzk', person);
        for (const member of ['Ewa Nowakowska', 'Marek Nowakowski']) await choose(page, '.formio-component-uczestnicyRodzina', member);
        await check(page, 'input[name="data[zmianaIpw]"]');
        await page.fill('textarea[name="data[ustaleniaIpw]"]', 'Zajęcia wyrównawcze zakończone; wniosek o ocieplenie w toku; tata rozpoczął kurs w PUP.');
        await check(page, '.formio-component-techniki input[value="skalowanie"]');
        await screenshot(page, 'wiejski-26-workshop-2');
        await submitForm(page, caseUrl);

        await openForm(page, 'Indywidualny Program Współpracy (IPW)');
        await page.fill('input[name="data[wersja]"]', '2');
        await fillDate(page, '.formio-component-dataAktualizacji', isoDay(0, later));
        await page.fill('textarea[name="data[powodZmiany]"]', 'Zajęcia wyrównawcze Kacpra zakończone z sukcesem; wniosek o ocieplenie złożony, tata rozpoczął kurs w PUP.');
        await check(page, 'input[name="data[zgodaRodziny]"]');
        await choose(page, '.formio-component-dzialania tbody tr:nth-child(1) .formio-component-status', 'zrealizowane');
        await choose(page, '.formio-component-dzialania tbody tr:nth-child(2) .formio-component-status', 'w realizacji');
        await choose(page, '.formio-component-dzialania tbody tr:nth-child(3) .formio-component-status', 'w realizacji');
        await screenshot(page, 'wiejski-27-ipw-review');
        await submitForm(page, caseUrl);
        await sendEvent(page, 'IPW_ZAKTUALIZOWANY', 'S9 Realizacja IPW');
        await screenshot(page, 'wiejski-28-ipw-updated');

        // Evaluation: workshop no. 3, the final scaling, the closure with post-support stages.
        await sendEvent(page, 'PODSUMUJ', 'S10 Podsumowanie');
        await openForm(page, 'Warsztat współpracy');
        await choose(page, '.formio-component-typWarsztatu', 'warsztat ewaluacyjny nr 3');
        await fillDate(page, '.formio-component-data', isoDay(0, later));
        await check(page, '.formio-component-forma input[value="bezposrednia"]');
        await page.fill('input[name="data[miejsce]"]', 'GOPS w Jaworzynie Górnej');
        for (const person of ['Grzegorz Gminny', 'Patrycja Pedagogiczna']) await choose(page, '.formio-component-uczestnicyPzk', person);
        for (const member of ['Ewa Nowakowska', 'Marek Nowakowski', 'Kacper Nowakowski']) await choose(page, '.formio-component-uczestnicyRodzina', member);
        for (const v of ['informacje', 'weryfikacja-celow', 'mocne-strony', 'usamodzielnienie']) await check(page, `.formio-component-celeWarsztatu3 input[value="${v}"]`);
        await page.fill('textarea[name="data[wnioski]"]', 'Cele osiągnięte; rodzina wie, do kogo zwrócić się w razie trudności. Pedagog szkolna zadzwoni do mamy za miesiąc.');
        await screenshot(page, 'wiejski-29-workshop-3');
        await submitForm(page, caseUrl);

        await openForm(page, 'IPW – skalowanie obszarów/celów współpracy');
        await page.fill('input[name="data[wersjaIpw]"]', '2');
        await check(page, '.formio-component-etapOceny input[value="koncowa"]');
        await page.fill('input[name="data[celANazwa]"]', 'Kacper nadrabia zaległości i chodzi do szkoły');
        await fillDate(page, '.formio-component-celAAktualnaData', isoDay(0));
        await check(page, '.formio-component-celAAktualnaOcena input[value="3"]');
        await fillDate(page, '.formio-component-celAPlanowanaData', isoDay(300));
        await check(page, '.formio-component-celAPlanowanaOcena input[value="8"]');
        await fillDate(page, '.formio-component-celAOsiagnietaData', isoDay(0, later));
        await check(page, '.formio-component-celAOsiagnietaOcena input[value="9"]');
        await screenshot(page, 'wiejski-30-final-scaling');
        await submitForm(page, caseUrl);

        await openForm(page, 'Zakończenie współpracy / przekazanie');
        await fillDate(page, '.formio-component-dataZakonczenia', isoDay(0, later));
        await choose(page, '.formio-component-powod', 'Osiągnięcie wyznaczonych celów');
        await fillDate(page, '.formio-component-dataWarsztatu3', isoDay(0, later));
        await page.fill(
          'textarea[name="data[stopienRealizacji]"]',
          'Cele IPW osiągnięte: Kacper bez zaległości (skala 3 → 9), tata zatrudniony po kursie z PUP, dom ocieplony przed zimą z dofinansowaniem.',
        );
        await page.fill('textarea[name="data[opiniaRodziny]"]', 'Jesteśmy wdzięczni; wiemy, do kogo zwrócić się po pomoc.');
        await page.fill('input[name="data[etapyPoWsparciu][0][etapOpis]"]', 'Telefon kontrolny pracownika kluczowego do mamy');
        await fillDate(page, '.formio-component-etapyPoWsparciu .formio-component-etapTermin', isoDay(30, later));
        await choose(page, '.formio-component-etapyPoWsparciu .formio-component-etapOdpowiedzialny', SCHOOL);
        await choose(page, '.formio-component-monitorujacy', 'Patrycja Pedagogiczna');
        await page.fill('input[name="data[okresMonitorowania]"]', '6');
        await check(page, 'input[name="data[uzgodnioneZPracownikiem]"]');
        await screenshot(page, 'wiejski-31-closure-form');
        await submitForm(page, caseUrl);
        await confirmEvent(page, 'CELE_OSIAGNIETE', 'E1 Zakończona');
        await screenshot(page, 'wiejski-32-closed-goals-achieved');
        expect(pageErrors.map((e) => e.message)).toEqual([]);
      } catch (error) {
        await reportFailure(page, 'wiejski-99-failure');
        throw error;
      } finally {
        await context.close();
      }
    }
  });
});
