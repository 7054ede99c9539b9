import 'server-only';
import { createHash } from 'node:crypto';
import { AppError } from '@/lib/errors';
import { getPackVersionCached } from '@/lib/orgs/region-pack';
import { documentDictionary, sampleData, type TDictionaryTag, type TDocumentDictionary } from './dictionary';
import { inspectTemplate, renderTemplate, TEMPLATE_MAX_BYTES, TEMPLATE_MAX_SIZE_LABEL, type TTemplateProblem } from './template';

/**
 * Templates without code (server side of the studio): the data dictionary of a slot as a cheat sheet,
 * and the inspection of an uploaded DOCX against it. Inspection stores nothing; a template that passes
 * can be previewed with the dictionary's sample data.
 */
async function dictionaryOf(packId: string, version: string, key: string): Promise<TDocumentDictionary> {
  const pack = await getPackVersionCached(packId, version);
  if (!pack) throw new AppError('not_found', 'Nie znaleziono wersji pakietu.');
  if (!pack.manifest.documents[key]) throw new AppError('not_found', 'Pakiet nie ma takiego dokumentu.');
  return documentDictionary(pack.manifest, pack.forms, key);
}

export { dictionaryOf as slotDictionaryOf };

/** Reads a request body up to `max` bytes; a bigger one is refused before it is read whole. */
export async function readCappedBody(req: Request, max = TEMPLATE_MAX_BYTES): Promise<Uint8Array> {
  const tooBig = () => new AppError('validation', `Szablon jest za duży; może mieć najwyżej ${TEMPLATE_MAX_SIZE_LABEL}.`, { details: [{ path: 'file', message: `najwyżej ${TEMPLATE_MAX_SIZE_LABEL}` }] });
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > max) throw tooBig();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export interface TInspectAnswer {
  ok: boolean;
  problems: TTemplateProblem[];
  tags: string[];
  sha256: string;
  size: number;
}

export async function inspectUploadedTemplate(packId: string, version: string, key: string, name: string, bytes: Uint8Array): Promise<TInspectAnswer> {
  const dict = await dictionaryOf(packId, version, key);
  const { problems, tags } = inspectTemplate(name, bytes, dict);
  return { ok: problems.length === 0, problems, tags, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.byteLength };
}

/** A template that passed inspection, filled with sample data (the studio's preview). */
export async function previewUploadedTemplate(packId: string, version: string, key: string, name: string, bytes: Uint8Array): Promise<Buffer> {
  const dict = await dictionaryOf(packId, version, key);
  const { problems } = inspectTemplate(name, bytes, dict);
  if (problems.length) throw new AppError('validation', 'Szablon ma błędy; popraw je przed podglądem.', { details: problems.map((p) => ({ path: p.tag ?? p.code, message: p.message })) });
  return renderTemplate(bytes, sampleData(dict));
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The tag cheat sheet of a slot as a self-contained HTML page (Polish, English in the second column). */
export function cheatSheetHtml(dict: TDocumentDictionary, title: string): string {
  const rows = (tags: TDictionaryTag[], depth: number): string =>
    tags
      .map(
        (t) =>
          `<tr><td style="padding-left:${0.5 + depth * 1.5}em"><code>${esc(t.kind === 'loop' ? `{#${t.tag}}…{/${t.tag}}` : `{${t.tag}}`)}</code></td><td>${esc(t.label.pl)}</td><td>${esc(t.label.en)}</td><td>${esc(t.source)}</td><td><code>${esc(t.example)}</code></td></tr>${t.children ? rows(t.children, depth + 1) : ''}`,
      )
      .join('');
  return `<!doctype html><html lang="pl"><head><meta charset="utf-8"><title>Znaczniki: ${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}code{white-space:nowrap}</style></head>
<body><h1>Znaczniki szablonu: ${esc(title)}</h1>
<p>Wpisz znacznik w dokumencie Word w nawiasach klamrowych, np. <code>{imieNazwisko}</code>. Tabele: w pierwszej komórce wiersza <code>{#lista}</code>, w ostatniej <code>{/lista}</code> — wiersz powtórzy się dla każdej pozycji. Brakująca wartość pojawi się jako linia do uzupełnienia (${esc('…………………')}).<br>
<span lang="en">Put a tag in curly braces in the Word document. Tables: <code>{#list}</code> in the first cell of a row, <code>{/list}</code> in the last. A missing value prints as a line to fill in by hand.</span></p>
<table><thead><tr><th>Znacznik / tag</th><th>Znaczenie</th><th>Meaning</th><th>Źródło / source</th><th>Przykład / example</th></tr></thead><tbody>${rows(dict.tags, 0)}</tbody></table></body></html>`;
}
