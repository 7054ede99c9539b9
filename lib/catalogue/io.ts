import 'server-only';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { AppError } from '@/lib/errors';
import { getStore } from '@/lib/store';
import { actorOf, recordChange } from '@/lib/audit/audit';
import type { TPrincipal } from '@/lib/policy/policy';
import { scopeOfInstitution } from '@/lib/orgs/institutions';
import type { TInstitution } from '@/lib/orgs/types';
import { decideEntryApprove } from '@/lib/policy/catalogue';
import { getCatalogueCardConfig } from './card';
import { defaultLevel, newEntryDoc, resolveProposingInstitution, scopeForLevel } from './entries';
import { scheduleEntryReview } from './review';
import { addDuration } from '@/lib/duration';
import { searchCatalogue } from './search';
import { ZEntryFields, type TCatalogueEntry, type TCatalogueImport, type TCatalogueLevel, type TCatalogueQuery, type TEntryFields } from './types';

/**
 * Export of the current filter (CSV, XLSX) and the two-step import of an existing list (01 §8: lists
 * were kept in spreadsheets; 03 §8.4 LKU-1). Both use the same columns, so an export can be edited and
 * imported back. Import: upload → a report naming every bad row by its spreadsheet row number (the
 * header is row 1) and field → confirm; nothing is stored when a row is invalid unless the user
 * explicitly confirms importing only the valid rows.
 */
export const COLUMNS = [
  { key: 'name', header: 'Nazwa usługi' },
  { key: 'description', header: 'Opis' },
  { key: 'providerName', header: 'Realizator' },
  { key: 'level', header: 'Poziom' },
  { key: 'recipientGroups', header: 'Grupy odbiorców' },
  { key: 'conditions', header: 'Warunki dostępu' },
  { key: 'hours', header: 'Dni i godziny' },
  { key: 'area', header: 'Obszar' },
  { key: 'contactChannel', header: 'Kontakt publiczny' },
  { key: 'contactPerson', header: 'Osoba do kontaktu' },
  { key: 'eService', header: 'E-usługa' },
  { key: 'eServiceUrl', header: 'Adres e-usługi' },
  { key: 'validFrom', header: 'Ważne od' },
  { key: 'validTo', header: 'Ważne do' },
  { key: 'source', header: 'Źródło' },
  { key: 'status', header: 'Status' },
  { key: 'lastVerifiedAt', header: 'Ostatnia weryfikacja' },
  { key: 'reviewDueAt', header: 'Termin weryfikacji' },
] as const;

const LEVEL_LABELS: Record<TCatalogueLevel, string> = { gmina: 'gminny', powiat: 'powiatowy', voivodeship: 'wojewódzki' };
const STATUS_LABELS: Record<string, string> = { proposed: 'zgłoszony', approved: 'zatwierdzony', rejected: 'odrzucony', withdrawn: 'wycofany' };
const SOURCE_LABELS: Record<string, string> = { member: 'członek PZK', neighbourhood: 'sąsiedzka', 'self-help': 'samopomocowa' };

const day = (d?: Date) => (d ? new Date(d).toISOString().slice(0, 10) : '');

function toRow(e: TCatalogueEntry, groupLabel: (v: string) => string): string[] {
  return COLUMNS.map(({ key }) => {
    switch (key) {
      case 'level':
        return LEVEL_LABELS[e.level];
      case 'recipientGroups':
        return (e.recipientGroups ?? []).map(groupLabel).join('; ');
      case 'eService':
        return e.eService ? 'tak' : 'nie';
      case 'status':
        return STATUS_LABELS[e.status] ?? e.status;
      case 'source':
        return SOURCE_LABELS[e.source] ?? e.source;
      case 'validFrom':
      case 'validTo':
      case 'lastVerifiedAt':
      case 'reviewDueAt':
        return day(e[key]);
      default:
        return String(e[key] ?? '');
    }
  });
}

export async function exportCatalogue(principal: TPrincipal, q: TCatalogueQuery, format: 'csv' | 'xlsx'): Promise<{ body: Uint8Array; contentType: string; fileName: string }> {
  const { items } = await searchCatalogue(principal, q, { all: true });
  const labels = new Map<string, string>();
  for (const regionId of new Set(items.map((i) => i.regionId))) {
    for (const o of (await getCatalogueCardConfig(regionId)).recipientGroups) labels.set(o.value, o.label);
  }
  const groupLabel = (v: string) => labels.get(v) ?? v;
  const rows = items.map((e) => toRow(e, groupLabel));
  const stamp = day(now());
  if (format === 'csv') {
    // BOM: spreadsheet programs then read the Polish letters as UTF-8.
    const text = '\ufeff' + stringify([COLUMNS.map((c) => c.header), ...rows]);
    return { body: new TextEncoder().encode(text), contentType: 'text/csv; charset=utf-8', fileName: `katalog-uslug-${stamp}.csv` };
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Katalog usług');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.key === 'description' ? 50 : 24 }));
  ws.getRow(1).font = { bold: true };
  rows.forEach((r) => ws.addRow(r));
  const buf = await wb.xlsx.writeBuffer();
  return { body: new Uint8Array(buf as ArrayBuffer), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', fileName: `katalog-uslug-${stamp}.xlsx` };
}

// ---- import ------------------------------------------------------------------------------------------

/** The import body carries the file as base64 (up to 8,000,000 characters): its own body limit. */
export const IMPORT_MAX_BODY_BYTES = 8_000_000 + 64 * 1024;

export const ZUploadImport = z.object({
  institutionId: z.string().min(1).max(100).optional(),
  fileName: z.string().min(1).max(200),
  /** The file, base64-encoded (CSV with a header row, or XLSX: first worksheet). */
  contentBase64: z.string().min(1).max(8_000_000),
});
export const ZConfirmImport = z.object({
  /** `all`: refused while any row is invalid; `valid-only`: the explicit confirmation to skip bad rows. */
  mode: z.enum(['all', 'valid-only']),
  /** An approver may approve the imported entries at once. */
  approve: z.boolean().default(false),
});

export interface TImportReport {
  importId: string;
  fileName: string;
  total: number;
  valid: number;
  invalid: number;
  errors: { row: number; field: string; message: string }[];
  status: TCatalogueImport['status'];
  entryIds: string[];
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { text?: unknown; richText?: { text: string }[]; result?: unknown; hyperlink?: string };
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return cellText(o.text);
    if (o.result !== undefined) return cellText(o.result);
    if (o.hyperlink) return o.hyperlink;
    return '';
  }
  return String(v).trim();
}

/** Reads a table: first row = headers. Returns rows keyed by header, with their sheet row numbers. */
async function readTable(fileName: string, content: Buffer): Promise<{ row: number; cells: Record<string, string> }[]> {
  if (/\.xlsx$/i.test(fileName)) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(content as unknown as ArrayBuffer);
    } catch {
      throw new AppError('validation', 'Nie udało się odczytać pliku XLSX.', { details: [{ path: 'contentBase64', message: 'Plik nie jest poprawnym skoroszytem XLSX.' }] });
    }
    const ws = wb.worksheets[0];
    if (!ws) return [];
    const headers: string[] = [];
    ws.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col] = cellText(cell.value)));
    const out: { row: number; cells: Record<string, string> }[] = [];
    ws.eachRow({ includeEmpty: false }, (r, n) => {
      if (n === 1) return;
      const cells: Record<string, string> = {};
      r.eachCell({ includeEmpty: true }, (cell, col) => {
        if (headers[col]) cells[headers[col]] = cellText(cell.value);
      });
      if (Object.values(cells).some(Boolean)) out.push({ row: n, cells });
    });
    return out;
  }
  if (!/\.csv$/i.test(fileName)) throw new AppError('validation', 'Obsługiwane pliki: CSV i XLSX.', { details: [{ path: 'fileName', message: 'Wybierz plik .csv albo .xlsx.' }] });
  let text = content.toString('utf8').replace(/^\ufeff/, '');
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true }) as string[][];
  } catch (e) {
    throw new AppError('validation', 'Nie udało się odczytać pliku CSV.', { details: [{ path: 'contentBase64', message: (e as Error).message }] });
  }
  text = '';
  const [headers = [], ...rest] = records;
  return rest
    .map((r, i) => ({ row: i + 2, cells: Object.fromEntries(headers.map((h, j) => [h.trim(), (r[j] ?? '').trim()])) }))
    .filter((r) => Object.values(r.cells).some(Boolean));
}

const HEADER_TO_KEY = new Map<string, string>(COLUMNS.map((c) => [c.header.toLowerCase(), c.key]));
const LEVELS: Record<string, TCatalogueLevel> = { gminny: 'gmina', gmina: 'gmina', gminna: 'gmina', powiatowy: 'powiat', powiat: 'powiat', powiatowa: 'powiat', wojewódzki: 'voivodeship', wojewodzki: 'voivodeship', wojewódzka: 'voivodeship', voivodeship: 'voivodeship' };
const SOURCES: Record<string, TEntryFields['source']> = { 'członek pzk': 'member', member: 'member', sąsiedzka: 'neighbourhood', neighbourhood: 'neighbourhood', samopomocowa: 'self-help', 'self-help': 'self-help' };

function parseDate(s: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) ?? /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = s.includes('-') ? [m[1], m[2], m[3]] : [m[3], m[2], m[1]];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return date.getUTCMonth() === Number(mo) - 1 ? date : null;
}

/** Validates one row; errors name the column header. */
export function validateImportRow(cells: Record<string, string>, groups: { value: string; label: string }[]): { fields: (TEntryFields & { level?: TCatalogueLevel }) | null; errors: { field: string; message: string }[] } {
  const errors: { field: string; message: string }[] = [];
  const v: Record<string, string> = {};
  for (const [h, val] of Object.entries(cells)) {
    const key = HEADER_TO_KEY.get(h.toLowerCase());
    if (key) v[key] = val;
  }
  const header = (key: string) => COLUMNS.find((c) => c.key === key)!.header;
  const raw: Record<string, unknown> = {};
  for (const key of ['name', 'description', 'providerName', 'conditions', 'hours', 'area', 'contactChannel', 'contactPerson', 'eServiceUrl'] as const) if (v[key]) raw[key] = v[key];
  let level: TCatalogueLevel | undefined;
  if (v.level) {
    level = LEVELS[v.level.toLowerCase()];
    if (!level) errors.push({ field: header('level'), message: `Nieznany poziom „${v.level}” (gminny, powiatowy, wojewódzki).` });
  }
  if (v.recipientGroups) {
    const out: string[] = [];
    for (const g of v.recipientGroups.split(/[;\n]/).map((s) => s.trim()).filter(Boolean)) {
      const hit = groups.find((o) => o.value === g || o.label.toLowerCase() === g.toLowerCase());
      if (hit) out.push(hit.value);
      else errors.push({ field: header('recipientGroups'), message: `Nieznana grupa odbiorców „${g}”.` });
    }
    raw.recipientGroups = out;
  }
  if (v.eService) {
    const s = v.eService.toLowerCase();
    if (['tak', 't', 'yes', '1', 'true'].includes(s)) raw.eService = true;
    else if (['nie', 'n', 'no', '0', 'false', 'brak'].includes(s)) raw.eService = false;
    else errors.push({ field: header('eService'), message: 'Wpisz „tak” albo „nie”.' });
  }
  if (v.source) {
    const s = SOURCES[v.source.toLowerCase()];
    if (s) raw.source = s;
    else errors.push({ field: header('source'), message: `Nieznane źródło „${v.source}”.` });
  }
  for (const key of ['validFrom', 'validTo'] as const) {
    if (!v[key]) continue;
    const d = parseDate(v[key]);
    if (d) raw[key] = d;
    else errors.push({ field: header(key), message: 'Data w formacie RRRR-MM-DD albo DD.MM.RRRR.' });
  }
  const parsed = ZEntryFields.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const key = String(i.path[0] ?? 'name');
      errors.push({ field: COLUMNS.find((c) => c.key === key)?.header ?? key, message: key === 'name' && !raw.name ? 'Podaj nazwę usługi.' : i.message });
    }
  }
  if (parsed.success && parsed.data.validFrom && parsed.data.validTo && parsed.data.validTo < parsed.data.validFrom) {
    errors.push({ field: header('validTo'), message: 'Data „Ważne do” jest wcześniejsza niż „Ważne od”.' });
  }
  return { fields: errors.length === 0 && parsed.success ? { ...parsed.data, ...(level ? { level } : {}) } : null, errors };
}

function toReport(imp: TCatalogueImport): TImportReport {
  const errors = imp.rows.flatMap((r) => r.errors.map((e) => ({ row: r.row, ...e })));
  const invalid = imp.rows.filter((r) => r.errors.length > 0).length;
  return { importId: imp._id, fileName: imp.fileName, total: imp.rows.length, valid: imp.rows.length - invalid, invalid, errors, status: imp.status, entryIds: imp.entryIds };
}

async function imports() {
  return (await getStore()).collection<TCatalogueImport>('catalogueImports');
}

/** Step 1: validate the file and keep it (nothing in the catalogue changes yet). */
export async function uploadCatalogueImport(principal: TPrincipal, input: z.infer<typeof ZUploadImport>): Promise<TImportReport> {
  const inst = await resolveProposingInstitution(principal, input.institutionId);
  const cfg = await getCatalogueCardConfig(inst.regionId);
  const table = await readTable(input.fileName, Buffer.from(input.contentBase64, 'base64'));
  if (table.length === 0) throw new AppError('validation', 'Plik nie zawiera żadnych wierszy z danymi.', { details: [{ path: 'contentBase64', message: 'Brak wierszy poniżej nagłówka.' }] });
  if (table.length > 5000) throw new AppError('validation', 'Plik ma więcej niż 5000 wierszy; podziel go.', { details: [{ path: 'contentBase64', message: 'Za dużo wierszy.' }] });
  const rows = table.map(({ row, cells }) => {
    const r = validateImportRow(cells, cfg.recipientGroups);
    if (r.fields) {
      try {
        scopeForLevel(inst, r.fields.level ?? defaultLevel(inst));
      } catch (e) {
        return { row, fields: null, errors: [{ field: 'Poziom', message: (e as AppError).details?.[0]?.message ?? (e as Error).message }] };
      }
    }
    return { row, fields: r.fields, errors: r.errors };
  });
  const imp = await (await imports()).insertOne({ ...scopeOfInstitution(inst), institutionId: inst._id, fileName: input.fileName, rows, status: 'validated', createdBy: { userId: principal.userId, name: principal.name }, entryIds: [] });
  return toReport(imp);
}

export async function getCatalogueImport(principal: TPrincipal, id: string): Promise<TImportReport> {
  const imp = await (await imports()).findById(id);
  if (!imp || imp.createdBy.userId !== principal.userId) throw new AppError('not_found', 'Nie znaleziono importu.');
  return toReport(imp);
}

/** Step 2: store the rows (all, or — after explicit confirmation — only the valid ones). */
export async function confirmCatalogueImport(principal: TPrincipal, id: string, input: z.infer<typeof ZConfirmImport>, requestId?: string): Promise<TImportReport> {
  const col = await imports();
  const imp = await col.findById(id);
  if (!imp || imp.createdBy.userId !== principal.userId) throw new AppError('not_found', 'Nie znaleziono importu.');
  if (imp.status !== 'validated') throw new AppError('conflict', 'Ten import został już zakończony.', { meta: { status: imp.status } });
  const report = toReport(imp);
  if (report.invalid > 0 && input.mode !== 'valid-only') {
    throw new AppError('validation', `Plik zawiera błędne wiersze (${report.invalid}); nic nie zapisano.`, { details: report.errors.map((e) => ({ path: `wiersz ${e.row}.${e.field}`, message: e.message })) });
  }
  const inst = await (await getStore()).collection<TInstitution>('institutions').findById(imp.institutionId);
  if (!inst) throw new AppError('not_found', 'Nie znaleziono instytucji.');
  // Claim the import first (conditional on its revision) so that a double click cannot store the rows twice.
  const claimed = await col.updateById(imp._id, imp.revision, { $set: { status: 'confirmed' } });
  const cfg = await getCatalogueCardConfig(inst.regionId);
  const by = { userId: principal.userId, name: principal.name };
  const docs = imp.rows
    .filter((r) => r.fields)
    .map((r) => {
      const { level, ...fields } = r.fields as TEntryFields & { level?: TCatalogueLevel };
      return newEntryDoc(inst, level ?? defaultLevel(inst), ZEntryFields.parse(fields), by, { packId: cfg.packId, action: 'imported' });
    });
  let created = docs.length ? await (await getStore()).collection<TCatalogueEntry>('catalogueEntries').insertMany(docs) : [];
  if (input.approve) {
    const entriesCol = (await getStore()).collection<TCatalogueEntry>('catalogueEntries');
    const at = now();
    const approved: TCatalogueEntry[] = [];
    for (const e of created) {
      if (!decideEntryApprove(principal, e).allow) {
        approved.push(e);
        continue;
      }
      const a = await entriesCol.updateById(e._id, e.revision, {
        $set: { status: 'approved', lastVerifiedAt: at, reviewDueAt: addDuration(at, cfg.reviewPeriod), reviewCycle: 1 },
        $push: { history: { at, by, action: 'approved', from: 'proposed', to: 'approved', reason: 'Zatwierdzono przy imporcie.' } },
      });
      await scheduleEntryReview(a);
      approved.push(a);
    }
    created = approved;
  }
  const done = await col.updateById(claimed._id, claimed.revision, { $set: { entryIds: created.map((e) => e._id) } });
  await recordChange({ actor: actorOf(principal), action: 'catalogue.import.confirm', target: { type: 'catalogue-import', id: imp._id, label: imp.fileName }, scope: scopeOfInstitution(inst), after: { mode: input.mode, approve: input.approve, stored: created.length, skippedRows: report.errors.map((e) => e.row) }, requestId });
  for (const e of created) await recordChange({ actor: actorOf(principal), action: 'catalogue.entry.import', target: { type: 'catalogue-entry', id: e._id, label: e.name }, scope: scopeOfInstitution(inst), after: { ...e, history: undefined }, requestId });
  return toReport(done);
}
