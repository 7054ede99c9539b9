import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { loadPrincipal } from '@/lib/auth/principal';
import { listAuditEvents } from '@/lib/audit/audit';
import { now, setClockOffsetMs } from '@/lib/clock';
import { findDeadline, installJobs, sweepOnce } from '@/lib/jobs';
import { APP_JOBS } from '@/lib/app-jobs';
import { InProcessJobEngine } from '@/lib/jobs/inprocess';
import type { TOrgUnit, TUser } from '@/lib/orgs/types';
import type { TPrincipal } from '@/lib/policy/policy';
import { approveEntry, decideChangeProposal, editEntry, getEntryOrThrow, proposeEntryChange, rejectEntry, submitCatalogueCard, verifyEntry } from './entries';
import { findReviewRule, getCatalogueCardConfig, rowsToEntryFields, validateCardData, type TCatalogueCardConfig } from './card';
import { REVIEW_JOB } from './jobs/review-reminder';
import { countEntriesNotVerifiedInTime, reviewDeadlineKey } from './review';
import { addDuration } from '@/lib/duration';
import { getPublicGminaList, listApprovalQueue, listCatalogueOptions, listEntriesByIds, searchCatalogue, snapshotCatalogueEntry } from './search';
import { confirmCatalogueImport, exportCatalogue, uploadCatalogueImport } from './io';
import { ZCatalogueQuery, type TCatalogueEntry } from './types';

let cleanup: () => Promise<void>;
const P: Record<string, TPrincipal> = {};
const principalOf = async (email: string) => {
  const u = await (await getStore()).collection<TUser>('users').findOne({ email });
  return (P[email] ??= (await loadPrincipal(u!._id))!);
};
const PARTNER = 'pedagog@sample.kooperacja.test';
const APPROVER = 'kierownik@sample.kooperacja.test';
const WORKER = 'ps@sample.kooperacja.test';
const OTHER_GMINA_WORKER = 'ps.lipowa@sample.kooperacja.test';

const card = (names: string[]) => ({
  data: { uslugi: names.map((nazwa, i) => ({ nazwa, opis: `Opis ${nazwa}`, grupaOdbiorcow: i === 0 ? ['dzieci-i-mlodziez'] : ['osoby-dorosle'], kontakt: 'Anna Nowak, pedagog', kanal: 'tel. 11 222 33 44' })) },
});

async function unit(code: string) {
  return (await (await getStore()).collection<TOrgUnit>('orgUnits').findOne({ code }))!;
}

beforeAll(async () => {
  cleanup = openTempDataDir();
  // The demo seed runs cases (which schedule deadlines), and the review reminder is one of the app's jobs.
  installJobs(APP_JOBS);
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => d.packId === 'sample'));
});
afterAll(async () => {
  setClockOffsetMs(0);
  await cleanup();
});

describe('catalogue card → approval → public list', () => {
  let entries: TCatalogueEntry[];

  it('turns one card into one proposed entry per row, validated against the card form', async () => {
    const partner = await principalOf(PARTNER);
    await expect(submitCatalogueCard(partner, { data: { uslugi: [{ opis: 'bez nazwy' }] } })).rejects.toMatchObject({ code: 'validation' });
    const res = await submitCatalogueCard(partner, card(['Koło wolontariuszy', 'Poradnictwo rodzinne', 'Klub seniora']));
    entries = res.entries;
    expect(entries.map((e) => e.status)).toEqual(['proposed', 'proposed', 'proposed']);
    expect(entries[0]).toMatchObject({ level: 'gmina', providerName: 'Szkoła Podstawowa im. Marii Konopnickiej w Zielonej', recipientGroups: ['dzieci-i-mlodziez'], contactPerson: 'Anna Nowak, pedagog' });
    expect(res.card.entryIds).toHaveLength(3);
  });

  it('lets only the approver in scope decide; a rejection needs a reason; a stale revision is a conflict', async () => {
    const approver = await principalOf(APPROVER);
    const partner = await principalOf(PARTNER);
    expect((await listApprovalQueue(approver)).map((e) => e._id).sort()).toEqual(entries.map((e) => e._id).sort());
    await expect(approveEntry(partner, entries[0]._id, { revision: 1 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(rejectEntry(approver, entries[2]._id, { revision: 1, reason: ' ' })).rejects.toMatchObject({ code: 'validation' });
    const a0 = await approveEntry(approver, entries[0]._id, { revision: 1 });
    await approveEntry(approver, entries[1]._id, { revision: 1 });
    const r2 = await rejectEntry(approver, entries[2]._id, { revision: 1, reason: 'Usługa nie jest już prowadzona.' });
    expect(r2.history.at(-1)).toMatchObject({ action: 'rejected', from: 'proposed', to: 'rejected', reason: 'Usługa nie jest już prowadzona.', by: { name: 'Krzysztof Kierownik' } });
    await expect(editEntry(approver, a0._id, { revision: 1, changes: { hours: 'wt. 16:00' } })).rejects.toMatchObject({ code: 'conflict' });
    const edited = await editEntry(approver, a0._id, { revision: a0.revision, changes: { hours: 'wt. 16:00' } });
    expect(edited.history.at(-1)).toMatchObject({ action: 'edited', fields: ['hours'] });
    const audit = await listAuditEvents(approver, { action: 'catalogue.entry.reject', page: 1, pageSize: 10 });
    expect(audit.items[0].after).toMatchObject({ status: 'rejected' });
  });

  it('publishes exactly the approved entries, without the contact person', async () => {
    const list = await getPublicGminaList('gmina-zielona');
    const ours = new Set(entries.map((e) => e._id));
    expect(list.entries.filter((e) => ours.has(e.id)).map((e) => e.name).sort()).toEqual(['Koło wolontariuszy', 'Poradnictwo rodzinne']);
    expect(JSON.stringify(list)).not.toContain('Anna Nowak');
    expect(list.entries[0]).not.toHaveProperty('history');
    // A gmina-level entry of Zielona is not on Lipowa's list.
    expect((await getPublicGminaList('gmina-lipowa')).entries.filter((e) => ours.has(e.id))).toEqual([]);
    await expect(getPublicGminaList('nie-ma-takiej')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('offers approved entries to plans of the gmina, with a snapshot and the basket lookup', async () => {
    const zielona = await unit('gmina-zielona');
    const lipowa = await unit('gmina-lipowa');
    const ours = new Set(entries.map((e) => e._id));
    const opts = (await listCatalogueOptions({ regionId: zielona.regionId, gminaId: zielona._id })).filter((o) => ours.has(o.value));
    expect(opts.map((o) => o.label).sort()).toEqual(['Koło wolontariuszy — Szkoła Podstawowa im. Marii Konopnickiej w Zielonej', 'Poradnictwo rodzinne — Szkoła Podstawowa im. Marii Konopnickiej w Zielonej']);
    const mine = async (input: Parameters<typeof listCatalogueOptions>[0]) => (await listCatalogueOptions(input)).filter((o) => ours.has(o.value));
    expect(await mine({ regionId: zielona.regionId, gminaId: zielona._id, recipientGroup: 'dzieci-i-mlodziez' })).toHaveLength(1);
    expect(await mine({ regionId: zielona.regionId, gminaId: zielona._id, q: 'PORADN' })).toHaveLength(1);
    expect(await mine({ regionId: lipowa.regionId, gminaId: lipowa._id })).toEqual([]);
    expect(await snapshotCatalogueEntry(opts[0].value)).toEqual({ id: opts[0].value, name: 'Koło wolontariuszy', provider: 'Szkoła Podstawowa im. Marii Konopnickiej w Zielonej' });
    expect((await listEntriesByIds([opts[1].value, 'missing', opts[0].value])).map((e) => e._id)).toEqual([opts[1].value, opts[0].value]);
  });

  it('searches with escaped full text and hides other gminas’ and unapproved entries from readers', async () => {
    const worker = await principalOf(WORKER);
    const q = (x: Record<string, string>) => ZCatalogueQuery.parse(x);
    expect((await searchCatalogue(worker, q({ q: 'koło wolont' }))).total).toBe(1);
    expect((await searchCatalogue(worker, q({ q: '.*' }))).total).toBe(0);
    expect((await searchCatalogue(worker, q({}))).items.every((e) => e.status === 'approved')).toBe(true);
    expect((await searchCatalogue(await principalOf(APPROVER), q({ status: 'rejected', q: 'Klub seniora' }))).total).toBe(1);
    const lipowa = await principalOf(OTHER_GMINA_WORKER);
    expect((await searchCatalogue(lipowa, q({}))).items.filter((e) => entries.some((x) => x._id === e._id))).toEqual([]);
    await expect(getEntryOrThrow(lipowa, entries[0]._id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lets a partner propose a change that the approver accepts', async () => {
    const partner = await principalOf(PARTNER);
    const approver = await principalOf(APPROVER);
    const p = await proposeEntryChange(partner, entries[1]._id, { changes: { conditions: 'Po wcześniejszym zapisie' }, comment: 'Zmiana zasad' });
    const { entry } = await decideChangeProposal(approver, p._id, { decision: 'accept' });
    expect(entry.conditions).toBe('Po wcześniejszym zapisie');
    expect(entry.history.at(-1)).toMatchObject({ action: 'change-accepted', fields: ['conditions'] });
    await expect(decideChangeProposal(approver, p._id, { decision: 'accept' })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('reminds the provider twelve months later, counts the entry as not verified, and "verify" restarts the clock', async () => {
    const engine = new InProcessJobEngine({ store: await getStore(), concurrency: 1 });
    try {
      const e0 = await (await getStore()).collection<TCatalogueEntry>('catalogueEntries').findById(entries[0]._id);
      expect(await findDeadline(reviewDeadlineKey(e0!._id, 1))).toMatchObject({ status: 'pending', job: REVIEW_JOB });
      // Relative counts: the demo data may hold approved entries of its own.
      const base = await countEntriesNotVerifiedInTime({ regionId: e0!.regionId });
      setClockOffsetMs(366 * 24 * 3600_000);
      const overdue = await countEntriesNotVerifiedInTime({ regionId: e0!.regionId });
      // Our two approved entries are past their review date (rejected/proposed ones never count); demo entries may add theirs.
      const others = await (await getStore()).collection('catalogueEntries').count({ regionId: e0!.regionId, status: 'approved', _id: { $nin: [entries[0]._id, entries[1]._id] }, reviewDueAt: { $lte: now() } });
      expect(base).toBe(0);
      expect(overdue - others).toBe(2);
      await sweepOnce({ engine });
      await engine.startWorker();
      const reminded = await waitFor(async () => {
        const e = await (await getStore()).collection<TCatalogueEntry>('catalogueEntries').findById(e0!._id);
        return e?.overdue ? e : null;
      });
      expect(reminded.history.at(-1)).toMatchObject({ action: 'reminded' });
      const partnerUser = await (await getStore()).collection<TUser>('users').findOne({ email: PARTNER });
      const inbox = await (await getStore()).collection<{ _id: string; userId: string; link: string; kind: string; createdAt: Date; updatedAt: Date; revision: number }>('notifications').find({ userId: partnerUser!._id });
      expect(inbox.map((n) => n.link)).toContain(`/katalog/${e0!._id}`);
      const audit = await listAuditEvents(await principalOf(APPROVER), { action: 'catalogue.entry.review-reminder', page: 1, pageSize: 10 });
      expect(audit.items.map((a) => a.target.id)).toContain(e0!._id);
      const verified = await verifyEntry(await principalOf(PARTNER), reminded._id, { revision: reminded.revision });
      expect(verified).toMatchObject({ overdue: false, reviewCycle: 2 });
      expect(verified.reviewDueAt!.getTime()).toBe(addDuration(verified.lastVerifiedAt!, 'P12M').getTime());
      expect(await findDeadline(reviewDeadlineKey(e0!._id, 2))).toMatchObject({ status: 'pending' });
      expect(await countEntriesNotVerifiedInTime({ regionId: e0!.regionId })).toBe(overdue - 1);
    } finally {
      await engine.close();
      setClockOffsetMs(0);
    }
  });
});

describe('import and export', () => {
  it('reports both bad rows by number and stores nothing, or only the valid rows after confirmation', async () => {
    const approver = await principalOf(APPROVER);
    const csv = [
      'Nazwa usługi;Realizator;Grupy odbiorców;E-usługa;Ważne do',
      'Świetlica środowiskowa;GOPS;Dzieci i młodzież;nie;2030-12-31',
      ';GOPS;Osoby starsze;nie;',
      'Porady prawne;GOPS;Osoby dorosłe;tak;',
      'Zajęcia sportowe;GOPS;Kosmici;może;31.02.2030',
    ].join('\n');
    const report = await uploadCatalogueImport(approver, { fileName: 'lista.csv', contentBase64: Buffer.from(csv).toString('base64') });
    expect(report).toMatchObject({ total: 4, valid: 2, invalid: 2 });
    expect([...new Set(report.errors.map((e) => e.row))]).toEqual([3, 5]);
    expect(report.errors.filter((e) => e.row === 5).map((e) => e.field).sort()).toEqual(['E-usługa', 'Grupy odbiorców', 'Ważne do']);
    const count = async () => (await getStore()).collection('catalogueEntries').count({ name: { $in: ['Świetlica środowiskowa', 'Porady prawne'] } });
    await expect(confirmCatalogueImport(approver, report.importId, { mode: 'all', approve: false })).rejects.toMatchObject({ code: 'validation' });
    expect(await count()).toBe(0);
    const done = await confirmCatalogueImport(approver, report.importId, { mode: 'valid-only', approve: true });
    expect(done.entryIds).toHaveLength(2);
    expect(await count()).toBe(2);
    await expect(confirmCatalogueImport(approver, report.importId, { mode: 'valid-only', approve: true })).rejects.toMatchObject({ code: 'conflict' });
    expect((await getPublicGminaList('gmina-zielona')).entries.map((e) => e.name)).toContain('Świetlica środowiskowa');
  });

  it('exports the current filter as CSV and XLSX that import back', async () => {
    const approver = await principalOf(APPROVER);
    const q = ZCatalogueQuery.parse({ status: 'approved' });
    const csv = await exportCatalogue(approver, q, 'csv');
    const text = new TextDecoder().decode(csv.body);
    expect(text.split('\n')[0]).toContain('Nazwa usługi');
    expect(text).toContain('Koło wolontariuszy');
    expect(text).not.toContain('Klub seniora');
    const xlsx = await exportCatalogue(approver, q, 'xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.body) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].rowCount).toBe(text.trim().split('\n').length);
    const back = await uploadCatalogueImport(approver, { fileName: 'eksport.xlsx', contentBase64: Buffer.from(xlsx.body).toString('base64') });
    expect(back.invalid).toBe(0);
  });
});

describe('pack configuration', () => {
  it('uses the default card and P12M when the pack declares no catalogue binding or review rule', async () => {
    const region = await unit('probne');
    const cfg = await getCatalogueCardConfig(region._id);
    expect(cfg).toMatchObject({ isDefault: true, reviewPeriod: 'P12M', recipientGroupsDictionary: 'grupy-odbiorcow' });
  });

  it('uses the rural pack’s own card (T8 list): its form, recipient-group dictionary and 6-month review rule', async () => {
    const store = await getStore();
    const region = await store.collection<TOrgUnit>('orgUnits').insertOne({ kind: 'region', code: 'region-wiejski-test', name: 'Test', regionId: 'x', pack: { id: 'wiejski', version: '1.0.0' } } as never);
    const cfg = await getCatalogueCardConfig(region._id);
    expect(cfg).toMatchObject({ isDefault: false, formKey: 'lista-aktywnosci', reviewPeriod: 'P6M', reviewRuleKey: 'aktualizacja-listy-uslug', reviewRoles: ['county-animator'], recipientGroupsDictionary: 'grupy-odbiorcow' });
    expect(cfg.recipientGroups.length).toBeGreaterThanOrEqual(5);
    // The prepared form is validated on the server: a card without its required header names the fields.
    let details: { path: string }[] = [];
    try {
      validateCardData(cfg, { uslugi: [{ usluga: 'Klub seniora', grupaOdbiorcow: cfg.recipientGroups[0].value }] });
    } catch (e) {
      details = (e as { details: { path: string }[] }).details;
    }
    expect(details.map((d) => d.path)).toContain('data.dataSporzadzenia');
    expect(rowsToEntryFields(cfg, { uslugi: [{ usluga: 'Klub seniora', realizator: 'GOK', grupaOdbiorcow: cfg.recipientGroups[3].value, kontakt: 'Jan' }] })[0].fields).toMatchObject({ name: 'Klub seniora', providerName: 'GOK', recipientGroups: [cfg.recipientGroups[3].value], contactPerson: 'Jan' });
  });

  it('maps a pack binding’s columns and finds the review rule anchored on the catalogue form', () => {
    const cfg = {
      binding: { form: 'lista', datagrid: 'uslugi', columns: { name: 'usluga', provider: 'realizator', recipientGroup: 'grupa', contact: 'kontakt' }, extra: { offered: 'oferowana', eService: 'eUslugi' } },
    } as unknown as TCatalogueCardConfig;
    const rows = rowsToEntryFields(cfg, {
      uslugi: [
        { usluga: 'Klub seniora', realizator: 'Dom kultury', grupa: 'osoby-starsze', kontakt: { imieNazwisko: 'Jan Kowalski', telefon: '123' }, oferowana: 'TAK', eUslugi: 'wideo' },
        { usluga: 'Nieoferowana', oferowana: 'NIE' },
        { usluga: '' },
      ],
    });
    expect(rows).toEqual([{ row: 1, fields: expect.objectContaining({ name: 'Klub seniora', providerName: 'Dom kultury', recipientGroups: ['osoby-starsze'], contactPerson: 'Jan Kowalski, 123', eService: true }) }]);
    const rule = { label: { pl: 'x' }, anchor: { form: 'lista', field: 'dataAktualizacji' }, cadence: { every: 'P6M' }, action: 'reminder', roles: ['a'], before: false, cancelOn: [] };
    expect(findReviewRule({ deadlines: { other: { ...rule, anchor: { event: 'sprawa.X' } }, review: rule } } as never, 'lista')?.key).toBe('review');
    expect(addDuration(new Date('2026-08-31T10:00:00Z'), 'P6M').toISOString()).toBe('2027-02-28T10:00:00.000Z');
  });
});

async function waitFor<T>(probe: () => Promise<T | null>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
