/**
 * Builds the DOCX templates of every document slot of the model packs:
 * `documents/<pack>/<key>.docx`, and points each slot's `file` in `configs/<pack>/pack.json` at it.
 *
 *   npx tsx scripts/build-document-templates.ts [--seeds ../shared/seeds]
 *
 * The text is the seed annex's (the slot's `source` names the seed file and lines, e.g. "002:1697-1746"):
 * its title, headings, numbered points, bullets, tables and signature lines. The tags are ours, from the
 * slot's data dictionary (lib/documents/dictionary.ts): the institution letterhead in the page header,
 * the case block, the bound form's fields as `{key}` and its grids as table-row loops `{#grid}…{/grid}`,
 * the plan goals as `{#cele}…{/cele}`. Re-running the script gives the same files (fixed timestamps).
 * `documents/manifest.json` records each template's title and source for the tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import JSZip from 'jszip';
import { documentDictionary, formFieldsOf, type TGridField } from '@/lib/documents/dictionary';

const ROOT = process.cwd();
const PACKS = ['wiejski', 'miejsko-wiejski', 'miejski-3d'];
const argSeeds = process.argv.indexOf('--seeds');
const SEEDS = path.resolve(argSeeds > 0 ? process.argv[argSeeds + 1] : path.join(ROOT, '..', '..', 'shared', 'seeds'));

type TJson = Record<string, unknown>;

function seedFile(no: string): string[] | null {
  if (!fs.existsSync(SEEDS)) return null;
  const f = fs.readdirSync(SEEDS).find((n) => n.startsWith(`${no}_`));
  return f ? fs.readFileSync(path.join(SEEDS, f), 'utf8').split('\n') : null;
}

/** The annex lines a slot's `source` points at ("002:1697-1746 (…)", "002:1681", "002:3156-3180, 002:2555"). */
function seedLines(source: string | undefined): string[] {
  if (!source) return [];
  const out: string[] = [];
  for (const m of source.matchAll(/(\d{3}):(\d+)(?:-(\d+))?/g)) {
    const lines = seedFile(m[1]);
    if (!lines) throw new Error(`seed file ${m[1]} not found under ${SEEDS} (pass --seeds <dir>)`);
    const from = Number(m[2]);
    const to = m[3] ? Number(m[3]) : from;
    // A single line is a mention inside the model's text, not an annex: it becomes the basis note.
    if (to === from) out.push(`Podstawa: ${lines[from - 1].trim().slice(0, 400)}`);
    else out.push(...lines.slice(from - 1, to));
    out.push('');
  }
  return out;
}

const isUpperHeading = (s: string) => s.length > 3 && s.length < 140 && /\p{Lu}{3}/u.test(s) && s === s.toLocaleUpperCase('pl') && !/^[-•.\d\s]+$/.test(s);
const isSignatureCaption = (s: string) => /^[(/].*(podpis|pieczęć|pieczec|data|miejscowo|nazwa|adres|imię)/i.test(s);

/** `**bold**` and `*italic*` of the seed text as runs. */
function runs(text: string, opts: { size?: number; italics?: boolean } = {}): TextRun[] {
  const parts = text.split(/(\*\*[^*]+\*\*|\*[^*]+\*)/g).filter(Boolean);
  return parts.map((p) =>
    p.startsWith('**') ? new TextRun({ text: p.slice(2, -2), bold: true, ...opts }) : p.startsWith('*') && p.length > 2 ? new TextRun({ text: p.slice(1, -1), italics: true, size: opts.size }) : new TextRun({ text: p, ...opts }),
  );
}

const DOTS = '…………………………………';
const cellBorders = { top: { style: BorderStyle.SINGLE, size: 4, color: '777777' }, bottom: { style: BorderStyle.SINGLE, size: 4, color: '777777' }, left: { style: BorderStyle.SINGLE, size: 4, color: '777777' }, right: { style: BorderStyle.SINGLE, size: 4, color: '777777' } };
const cell = (text: string, bold = false) => new TableCell({ borders: cellBorders, children: [new Paragraph({ children: [new TextRun({ text, bold, size: 18 })] })] });

function table(header: string[], loopRow?: string[]): Table {
  const rows = [new TableRow({ tableHeader: true, children: header.map((h) => cell(h, true)) })];
  if (loopRow) rows.push(new TableRow({ children: loopRow.map((c) => cell(c)) }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows });
}

/** A loop row: `{#grid}` opens in the first cell and `{/grid}` closes in the last, so the row repeats. */
function loopCells(grid: string, tags: string[]): string[] {
  return tags.map((t, i) => `${i === 0 ? `{#${grid}}` : ''}{${t}}${i === tags.length - 1 ? `{/${grid}}` : ''}`);
}

type TBlock = Paragraph | Table;

function seedBlocks(lines: string[], grids: Array<{ key: string; label: string; cols: Array<{ key: string; label: string }> }>, placed: Set<string>): { blocks: TBlock[]; title: string } {
  const blocks: TBlock[] = [];
  let title = '';
  let i = 0;
  const text = lines.map((l) => l.replace(/\s+$/, ''));
  while (i < text.length) {
    const raw = text[i];
    const s = raw.trim();
    i++;
    if (!s) continue;
    if (!title && s.startsWith('(')) {
      // An editorial note before the annex title (e.g. which variant to use).
      blocks.push(new Paragraph({ children: [new TextRun({ text: s, italics: true, size: 18 })] }));
      continue;
    }
    if (raw.includes('\t')) {
      const header = raw.split('\t').map((c) => c.trim());
      // The bound form's first grid not placed yet fills the seed's table (same columns, as a loop row).
      const grid = grids.find((g) => !placed.has(g.key));
      if (grid) {
        placed.add(grid.key);
        const cols = grid.cols.map((c) => c.key);
        blocks.push(table(header.length === cols.length ? header : grid.cols.map((c) => c.label || c.key), loopCells(grid.key, cols)));
      } else {
        blocks.push(table(header, header.map(() => '')));
      }
      blocks.push(new Paragraph({ text: '' }));
      continue;
    }
    if (!title && !s.startsWith('Podstawa:')) {
      // The annex's own first line (its heading), joined with the next one when it continues in capitals.
      title = s;
      while (i < text.length && isUpperHeading(text[i].trim()) && isUpperHeading(title) && !/^ZAŁĄCZNIK/i.test(text[i].trim())) title += ` ${text[i++].trim()}`;
      const heading = isUpperHeading(title.replace(/\*\*/g, ''));
      blocks.push(new Paragraph({ ...(heading ? { heading: HeadingLevel.HEADING_1, alignment: AlignmentType.CENTER } : {}), children: runs(title.replace(/\*\*/g, '')) }));
      continue;
    }
    if (/^\.{3,}$/.test(s) || /^\.{3,}\s*$/.test(s)) {
      const caption = i < text.length && isSignatureCaption(text[i].trim()) ? text[i++].trim() : '';
      blocks.push(new Paragraph({ spacing: { before: 360 }, children: [new TextRun(DOTS)] }));
      if (caption) blocks.push(new Paragraph({ children: [new TextRun({ text: caption, italics: true, size: 16 })] }));
      continue;
    }
    if (isSignatureCaption(s)) {
      blocks.push(new Paragraph({ children: [new TextRun({ text: s, italics: true, size: 16 })] }));
      continue;
    }
    if (/^[-•]\s+/.test(s)) {
      blocks.push(new Paragraph({ bullet: { level: 0 }, children: runs(s.replace(/^[-•]\s+/, '').replace(/\.{3,}/g, DOTS)) }));
      continue;
    }
    if (/^(\d+|[IVX]+)[.)]\s/.test(s) && !isUpperHeading(s)) {
      blocks.push(new Paragraph({ indent: { left: 360, hanging: 360 }, children: runs(s.replace(/\.{5,}/g, DOTS)) }));
      continue;
    }
    if (isUpperHeading(s.replace(/\*\*/g, ''))) {
      blocks.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: runs(s.replace(/\*\*/g, '')) }));
      continue;
    }
    if (/^\.{3,}, dnia/.test(s)) {
      blocks.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun('{miejscowosc}, dnia {dataDokumentu}')] }));
      continue;
    }
    blocks.push(new Paragraph({ spacing: { after: 120 }, children: runs(s.replace(/\.{5,}/g, DOTS)) }));
  }
  return { blocks, title };
}

/**
 * A grid as a table whose row repeats; a grid with grids inside its rows (goals → tasks) as a repeated
 * section: its values as lines, its inner grids as tables, between `{#grid}` and `{/grid}` paragraphs.
 */
function gridBlocks(g: TGridField): TBlock[] {
  const title = new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(g.label || g.key)] });
  if (!g.grids.length) return [title, table(g.cols.map((c) => c.label || c.key), loopCells(g.key, g.cols.map((c) => c.key)))];
  return [
    title,
    new Paragraph({ children: [new TextRun(`{#${g.key}}`)] }),
    new Paragraph({ children: [new TextRun({ text: '{lp}. ', bold: true })] }),
    ...g.cols.map((c) => new Paragraph({ children: [new TextRun({ text: `${(c.label || c.key).trim()}: `, bold: true }), new TextRun(`{${c.key}}`)] })),
    ...g.grids.flatMap(gridBlocks),
    new Paragraph({ children: [new TextRun(`{/${g.key}}`)] }),
  ];
}

function letterhead(): Header {
  return new Header({
    children: [
      new Paragraph({ children: [new TextRun({ text: '{instytucjaNazwa}', bold: true })] }),
      new Paragraph({ children: [new TextRun({ text: '{instytucjaAdres} · {instytucjaEmail} · tel. {instytucjaTelefon}', size: 16 })] }),
      new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '444444', space: 1 } }, alignment: AlignmentType.RIGHT, children: [new TextRun({ text: 'Nr sprawy: {sprawaNumer}', size: 16 })] }),
    ],
  });
}

function footer(): Footer {
  return new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '{szablonWersja} · wygenerowano {dataDokumentu} · {autor}', size: 14, color: '666666' })] })] });
}

async function build(packId: string): Promise<Array<{ pack: string; key: string; file: string; title: string; annexHeading?: string; source?: string }>> {
  const manifestFile = path.join(ROOT, 'configs', packId, 'pack.json');
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as TJson & { documents?: Record<string, TJson>; forms?: Record<string, TJson> };
  const docs = manifest.documents ?? {};
  const out = [];
  for (const [key, slot] of Object.entries(docs)) {
    const formKey = slot.form as string | undefined;
    const formRef = formKey ? manifest.forms?.[formKey] : undefined;
    const formFile = formRef && typeof formRef.file === 'string' ? path.join(ROOT, 'configs', packId, formRef.file) : path.join(ROOT, 'forms', packId, `${formKey}.json`);
    const form = formKey && fs.existsSync(formFile) ? JSON.parse(fs.readFileSync(formFile, 'utf8')) : undefined;
    const label = (slot.label as { pl: string }).pl;
    const { values, grids } = form ? formFieldsOf(form) : { values: [], grids: [] };
    const dict = documentDictionary({ documents: docs as never }, form && formKey ? { [formKey]: form } : {}, key);
    const formKeys = new Set([...values, ...grids].map((f) => f.key));
    const placed = new Set<string>();
    const seed = seedBlocks(seedLines(slot.source as string | undefined), grids.filter((g) => !g.grids.length).map((g) => ({ key: g.key, label: g.label, cols: g.cols })), placed);
    const title = label;
    const children: TBlock[] = [new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: label, size: 30 })] })];
    const seedDated = seedLines(slot.source as string | undefined).some((l) => /^\.{3,}, dnia/.test(l.trim()));
    if (!seedDated) children.push(new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun('{miejscowosc}, dnia {dataDokumentu}')] }));
    children.push(...seed.blocks);

    // The filled values: the case block, then every field of the bound form as "label: {tag}".
    children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, pageBreakBefore: false, children: [new TextRun('Dane do dokumentu')] }));
    children.push(new Paragraph({ children: [new TextRun('Sprawa nr {sprawaNumer} · gmina {gmina} · powiat {powiat} · osoba/rodzina: {osobaRodzina}')] }));
    children.push(new Paragraph({ children: [new TextRun('Koordynator: {koordynator}')] }));
    for (const f of values) {
      const fieldLabel = (f.label || f.key).replace(/\s+/g, ' ').trim();
      children.push(new Paragraph({ spacing: { after: 80 }, children: [new TextRun({ text: `${fieldLabel}${/[:?]$/.test(fieldLabel) ? '' : ':'} `, bold: true }), new TextRun(`{${f.key}}`)] }));
    }
    for (const g of grids.filter((x) => !placed.has(x.key))) children.push(...gridBlocks(g));
    if (dict.tags.some((t) => t.tag === 'cele') && !formKeys.has('cele') && !formKeys.has('zadania') && /ipw|plan|karta/.test(key)) {
      children.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun('Cele i zadania planu')] }));
      children.push(new Paragraph({ children: [new TextRun('{#cele}{lp}. {cel}{/cele}')] }));
      children.push(table(['Lp.', 'Cel', 'Zadanie', 'Odpowiedzialny', 'Termin', 'Stan'], loopCells('zadania', ['lp', 'cel', 'zadanie', 'odpowiedzialny', 'termin', 'status'])));
    }
    if (!formKeys.has('czlonkowieRodziny')) children.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun('Członkowie rodziny / osoby w sprawie')] }));
    if (!formKeys.has('czlonkowieRodziny')) children.push(table(['Lp.', 'Imię i nazwisko', 'Pokrewieństwo', 'Data urodzenia'], loopCells('czlonkowieRodziny', ['lp', 'imieNazwisko', 'pokrewienstwo', 'dataUrodzenia'])));
    // Signature lines when the annex has none of its own.
    if (!seed.blocks.length) {
      children.push(new Paragraph({ spacing: { before: 480 }, children: [new TextRun(`${DOTS}\t\t${DOTS}`)] }));
      children.push(new Paragraph({ children: [new TextRun({ text: '(data, czytelny podpis)\t\t\t(data, czytelny podpis)', italics: true, size: 16 })] }));
    }

    const doc = new Document({
      creator: 'Kooperacja',
      title,
      description: `Szablon dokumentu ${packId}/${key}`,
      styles: { default: { document: { run: { font: 'Liberation Serif', size: 22 } } } },
      sections: [{ headers: { default: letterhead() }, footers: { default: footer() }, children }],
    });
    const bytes = await deterministic(await Packer.toBuffer(doc));
    const rel = `documents/${packId}/${key}.docx`;
    fs.mkdirSync(path.join(ROOT, 'documents', packId), { recursive: true });
    fs.writeFileSync(path.join(ROOT, rel), bytes);
    slot.file = `../../${rel}`;
    out.push({ pack: packId, key, file: rel, title, ...(seed.title ? { annexHeading: seed.title } : {}), ...(slot.source ? { source: slot.source as string } : {}) });
  }
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return out;
}

/** Same input, same bytes: fixed ZIP timestamps and document dates. */
async function deterministic(buf: Buffer): Promise<Buffer> {
  const zip = await JSZip.loadAsync(buf);
  const fixed = new Date('2026-01-01T00:00:00Z');
  const core = zip.file('docProps/core.xml');
  if (core) zip.file('docProps/core.xml', (await core.async('string')).replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*/g, `$1${fixed.toISOString().replace('.000', '')}`));
  for (const f of Object.values(zip.files)) f.date = fixed;
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function main() {
  const all = [];
  for (const p of PACKS) all.push(...(await build(p)));
  fs.writeFileSync(path.join(ROOT, 'documents', 'manifest.json'), `${JSON.stringify(all, null, 2)}\n`);
  console.log(`${all.length} templates written under documents/`);
}

void main();
