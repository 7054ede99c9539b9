import PizZip from 'pizzip';
import Docxtemplater from 'docxtemplater';
import InspectModule from 'docxtemplater/js/inspect-module.js';
import type { DXT } from 'docxtemplater';
import { dictionaryIndex, type TDictionaryTag, type TDocumentDictionary } from './dictionary';

/**
 * DOCX templates: the checks an uploaded template must pass before anything is stored, the inspection of
 * its tags against the slot's data dictionary (docxtemplater's InspectModule), and rendering.
 * Pure module (no store): shared by generation, the studio upload, tests and the benchmark.
 */
export const TEMPLATE_MAX_BYTES = 5 * 1024 * 1024;
export const TEMPLATE_MAX_SIZE_LABEL = '5 MB';
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Shown for a value the data does not have: a visible line to fill by hand, never "undefined". */
export const MISSING_VALUE = '…………………';

export interface TTemplateProblem {
  /** Machine code (`unknown_tag`, `unclosed_loop`, `macro`, …). */
  code: string;
  /** Polish message for the problems panel. */
  message: string;
  tag?: string;
  /** Text of the paragraph where the problem is (trimmed), so the author can find it in Word. */
  context?: string;
}

export class TemplateRefused extends Error {
  constructor(public readonly problems: TTemplateProblem[]) {
    super(problems.map((p) => p.message).join(' '));
  }
}

/** A plain identifier, optionally prefixed by the loop/condition markers; anything else is code. */
const TAG_PATTERN = /^[#/^]?\s*[A-Za-z_][A-Za-z0-9_]*\s*$/;
const FORBIDDEN_NAMES = new Set(['constructor', '__proto__', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

const MACRO_CONTENT_TYPES = /macroEnabled|vbaProject|vbaData|activeX|oleObject/i;
const ALLOWED_EXTERNAL = /\/hyperlink$/;

/** Container-level checks: a real DOCX, no macros, no external relationships (other than hyperlinks). */
export function checkDocxContainer(name: string, bytes: Uint8Array): PizZip {
  const refuse = (code: string, message: string): never => {
    throw new TemplateRefused([{ code, message }]);
  };
  if (bytes.byteLength === 0) refuse('empty', 'Plik jest pusty.');
  if (bytes.byteLength > TEMPLATE_MAX_BYTES) refuse('too_large', `Szablon jest za duży; może mieć najwyżej ${TEMPLATE_MAX_SIZE_LABEL}.`);
  const ext = name.toLowerCase().split('.').pop();
  if (ext === 'docm' || ext === 'dotm') refuse('macro', 'Szablony z makrami (.docm) są niedozwolone; zapisz dokument jako .docx bez makr.');
  if (ext !== 'docx') refuse('not_docx', 'Szablon musi być plikiem Word .docx.');
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) refuse('not_docx', 'Plik nie jest dokumentem DOCX (zła zawartość pliku).');
  let zip: PizZip;
  try {
    zip = new PizZip(bytes);
  } catch {
    return refuse('corrupt', 'Plik DOCX jest uszkodzony i nie da się go otworzyć.');
  }
  const types = zip.file('[Content_Types].xml')?.asText();
  if (!types || !zip.file('word/document.xml')) refuse('not_docx', 'Plik nie jest dokumentem Word (brak word/document.xml).');
  if (MACRO_CONTENT_TYPES.test(types!) || Object.keys(zip.files).some((f) => /vbaProject|activeX|embeddings\//i.test(f))) {
    refuse('macro', 'Szablon zawiera makra, kontrolki ActiveX albo osadzone obiekty; są niedozwolone.');
  }
  for (const f of Object.keys(zip.files).filter((x) => x.endsWith('.rels'))) {
    const xml = zip.file(f)!.asText();
    for (const m of xml.matchAll(/<Relationship\b[^>]*>/g)) {
      const rel = m[0];
      if (!/TargetMode\s*=\s*"External"/i.test(rel)) continue;
      const type = /Type\s*=\s*"([^"]*)"/.exec(rel)?.[1] ?? '';
      if (!ALLOWED_EXTERNAL.test(type)) {
        const target = /Target\s*=\s*"([^"]*)"/.exec(rel)?.[1] ?? '';
        refuse('external_relationship', `Szablon odwołuje się do zewnętrznego zasobu (${type.split('/').pop()}: ${target.slice(0, 80)}); osadź zawartość w dokumencie albo ją usuń.`);
      }
    }
  }
  return zip;
}

/** Paragraph texts of the templated parts (body, headers, footers), for context and for tests. */
export function paragraphsOf(zip: PizZip): string[] {
  const out: string[] = [];
  const parts = Object.keys(zip.files).filter((f) => /^word\/(document|header\d*|footer\d*)\.xml$/.test(f));
  for (const f of parts) {
    const xml = zip.file(f)!.asText();
    for (const p of xml.split(/<\/w:p>/)) {
      const text = [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
      if (text.trim()) out.push(decodeXml(text));
    }
  }
  return out;
}

/** The whole text of a DOCX (paragraphs joined by new lines). */
export function docxText(bytes: Uint8Array): string {
  return paragraphsOf(new PizZip(bytes)).join('\n');
}

function decodeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

const contextOf = (paragraphs: string[], needle: string | undefined) => {
  if (!needle) return undefined;
  const p = paragraphs.find((x) => x.includes(needle));
  return p ? (p.length > 160 ? `${p.slice(0, 157)}…` : p) : undefined;
};

/** Own-property lookups only: a tag can read the data, never prototypes or functions. */
function safeParser(tag: string): DXT.Parser {
  const name = tag.trim();
  return {
    get(scope: unknown) {
      if (name === '.') return scope;
      if (scope === null || typeof scope !== 'object' || FORBIDDEN_NAMES.has(name)) return undefined;
      return Object.prototype.hasOwnProperty.call(scope, name) ? (scope as Record<string, unknown>)[name] : undefined;
    },
  };
}

const TEMPLATE_ERRORS: Record<string, string> = {
  unopened_tag: 'Znacznik zamknięty „}” bez otwarcia „{”.',
  unclosed_tag: 'Znacznik otwarty „{” bez zamknięcia „}”.',
  duplicate_open_tag: 'Podwójne otwarcie znacznika „{{”.',
  duplicate_close_tag: 'Podwójne zamknięcie znacznika „}}”.',
  unopened_loop: 'Koniec pętli bez jej początku.',
  unclosed_loop: 'Pętla bez zakończenia.',
  closing_tag_does_not_match_opening_tag: 'Koniec pętli nie pasuje do jej początku.',
  unbalanced_loop_tags: 'Pętle są źle zagnieżdżone.',
  raw_xml_tag_should_be_only_text_in_paragraph: 'Znacznik surowego XML („{@…}”) jest niedozwolony.',
};

function compile(zip: PizZip, modules: DXT.Module[] = []): Docxtemplater {
  return new Docxtemplater(zip, {
    paragraphLoop: true,
    linebreaks: true,
    errorLogging: false,
    parser: safeParser,
    nullGetter: (part) => (part.module ? '' : MISSING_VALUE),
    modules,
  });
}

function compileProblems(err: unknown, paragraphs: string[]): TTemplateProblem[] {
  const e = err as { properties?: { errors?: Array<{ properties?: { id?: string; xtag?: string; explanation?: string } }> } };
  const list = e.properties?.errors ?? [err as { properties?: { id?: string; xtag?: string; explanation?: string } }];
  return list.map((x) => {
    const id = x.properties?.id ?? 'template_error';
    const tag = x.properties?.xtag;
    return { code: id, message: TEMPLATE_ERRORS[id] ?? `Błąd szablonu: ${x.properties?.explanation ?? 'nieznany'}`, ...(tag ? { tag } : {}), ...(contextOf(paragraphs, tag) ? { context: contextOf(paragraphs, tag) } : {}) };
  });
}

interface TInspectedPart {
  type: string;
  value: string;
  module?: string;
  subparsed?: TInspectedPart[];
}

/**
 * Inspects a template against a slot's data dictionary: unbalanced or malformed tags, tags that are code,
 * unknown tags, loops over something that is not a list, values used as loops. Returns the problems
 * (empty = the template may be published) and the tags it uses.
 */
export function inspectTemplate(name: string, bytes: Uint8Array, dictionary: TDocumentDictionary): { problems: TTemplateProblem[]; tags: string[] } {
  let zip: PizZip;
  try {
    zip = checkDocxContainer(name, bytes);
  } catch (e) {
    if (e instanceof TemplateRefused) return { problems: e.problems, tags: [] };
    throw e;
  }
  const paragraphs = paragraphsOf(zip);
  const inspect = new InspectModule();
  try {
    compile(zip, [inspect]);
  } catch (err) {
    return { problems: compileProblems(err, paragraphs), tags: [] };
  }
  const problems: TTemplateProblem[] = [];
  const used = new Set<string>();
  const index = dictionaryIndex(dictionary);
  const walk = (parts: TInspectedPart[], allowedValues: Set<string>, allowedLoops: Map<string, TDictionaryTag>) => {
    for (const p of parts) {
      if (p.type !== 'placeholder') continue;
      const raw = p.value;
      const label = `{${p.module === 'loop' ? '#' : ''}${raw}}`;
      if (!TAG_PATTERN.test(raw) || FORBIDDEN_NAMES.has(raw.trim())) {
        problems.push({ code: 'code_in_tag', tag: raw, message: `Znacznik ${label} zawiera kod albo niedozwolone znaki; używaj samych nazw z listy znaczników.`, ...ctx(raw) });
        continue;
      }
      const tag = raw.trim();
      used.add(tag);
      if (p.module === 'loop') {
        const loop = allowedLoops.get(tag);
        if (!loop) {
          problems.push(
            allowedValues.has(tag)
              ? { code: 'not_a_list', tag, message: `Pętla {#${tag}} działa tylko na listach, a „${tag}” jest pojedynczą wartością.`, ...ctx(tag) }
              : { code: 'unknown_loop', tag, message: `Nieznana lista {#${tag}}: nie ma jej w słowniku danych tego dokumentu.`, ...ctx(tag) },
          );
          continue;
        }
        const children = loop.children ?? [];
        const values = new Set([...allowedValues, ...children.filter((c) => c.kind === 'value').map((c) => c.tag)]);
        const loops = new Map([...allowedLoops, ...children.filter((c) => c.kind === 'loop').map((c) => [c.tag, c] as const)]);
        walk(p.subparsed ?? [], values, loops);
      } else if (p.module) {
        problems.push({ code: 'unsupported_tag', tag, message: `Znacznik ${label} jest niedozwolony (dozwolone: {nazwa}, {#lista}…{/lista}).`, ...ctx(tag) });
      } else if (!allowedValues.has(tag)) {
        problems.push(
          allowedLoops.has(tag)
            ? { code: 'list_as_value', tag, message: `„${tag}” jest listą: użyj pętli {#${tag}}…{/${tag}}.`, ...ctx(tag) }
            : { code: 'unknown_tag', tag, message: `Nieznany znacznik {${tag}}: nie ma go w słowniku danych tego dokumentu.`, ...ctx(tag) },
        );
      }
    }
  };
  const ctx = (tag: string) => {
    const c = contextOf(paragraphs, tag);
    return c ? { context: c } : {};
  };
  walk(inspect.getAllStructuredTags() as unknown as TInspectedPart[], index.values, index.loops);
  return { problems, tags: [...used].sort() };
}

/** Fills a template; the data holds display strings and arrays of rows. */
export function renderTemplate(bytes: Uint8Array, data: Record<string, unknown>): Buffer {
  const doc = compile(new PizZip(bytes));
  doc.render(data);
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}
