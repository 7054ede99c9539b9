import { checkFormDefinition, type TFormField } from '@/lib/forms/check-form';
import type { TPack } from '@/lib/packs/schema';

/**
 * The data dictionary of a document slot: every tag its template may use, where the value comes from,
 * and an example. Pure module, shared by the template generator (scripts/build-document-templates.ts),
 * the inspection of uploaded templates, the generation of documents and the tag cheat sheet.
 *
 * Tags are plain identifiers (`{imieNazwisko}`), loops are arrays (`{#cele}…{/cele}`); the template
 * engine resolves only own properties of the data, so a tag can never reach code or prototypes.
 */
export type TTagSource = 'form' | 'case' | 'plan' | 'institution' | 'document';

export interface TDictionaryTag {
  tag: string;
  kind: 'value' | 'loop';
  source: TTagSource;
  label: { pl: string; en: string };
  example: string;
  /** For loops: the tags usable inside the loop. */
  children?: TDictionaryTag[];
}

export interface TDocumentDictionary {
  slot: string;
  form?: string;
  tags: TDictionaryTag[];
}

const v = (tag: string, source: TTagSource, pl: string, en: string, example: string): TDictionaryTag => ({ tag, kind: 'value', source, label: { pl, en }, example });
const loop = (tag: string, source: TTagSource, pl: string, en: string, children: TDictionaryTag[]): TDictionaryTag => ({
  tag,
  kind: 'loop',
  source,
  label: { pl, en },
  example: `{#${tag}}${children
    .slice(0, 2)
    .map((c) => `{${c.tag}}`)
    .join(' ')}{/${tag}}`,
  children,
});

/** Tags every document may use, whatever its form. */
export const COMMON_TAGS: readonly TDictionaryTag[] = [
  v('dataDokumentu', 'document', 'Data wygenerowania dokumentu', 'Date the document was generated', '07.12.2026'),
  v('miejscowosc', 'case', 'Miejscowość (gmina sprawy)', 'Place (the case’s gmina)', 'Dębowiec'),
  v('autor', 'document', 'Osoba generująca dokument', 'Person generating the document', 'Sylwia Socjalna'),
  v('szablonWersja', 'document', 'Wersja pakietu i szablonu', 'Pack and template version', 'wiejski 1.0.0'),
  v('instytucjaNazwa', 'institution', 'Nagłówek: nazwa instytucji (GOPS/PCPR) osoby generującej', 'Letterhead: institution name', 'Gminny Ośrodek Pomocy Społecznej w Dębowcu'),
  v('instytucjaAdres', 'institution', 'Nagłówek: adres instytucji', 'Letterhead: institution address', 'ul. Główna 1, 38-220 Dębowiec'),
  v('instytucjaEmail', 'institution', 'Nagłówek: e-mail instytucji', 'Letterhead: institution e-mail', 'gops@debowiec.example'),
  v('instytucjaTelefon', 'institution', 'Nagłówek: telefon instytucji', 'Letterhead: institution phone', '13 000 00 00'),
  v('sprawaNumer', 'case', 'Numer sprawy (karty)', 'Case (card) number', 'DEB/2026/0001'),
  v('sprawaUtworzona', 'case', 'Data założenia sprawy', 'Date the case was opened', '02.11.2026'),
  v('gmina', 'case', 'Gmina', 'Gmina', 'Dębowiec'),
  v('powiat', 'case', 'Powiat', 'Powiat', 'jasielski'),
  v('wojewodztwo', 'case', 'Województwo (region)', 'Voivodeship (region)', 'Podkarpackie'),
  v('osobaRodzina', 'case', 'Osoba/rodzina/grupa (nazwa)', 'Person/family/group (name)', 'Rodzina Kowalskich'),
  v('imieNazwisko', 'case', 'Imię i nazwisko pierwszej osoby w sprawie', 'Name of the first person of the case', 'Anna Kowalska'),
  v('adres', 'case', 'Adres zamieszkania', 'Address', 'Dębowiec 12'),
  v('koordynator', 'case', 'Koordynator / pracownik kluczowy sprawy', 'Case coordinator / key worker', 'Sylwia Socjalna (GOPS Dębowiec)'),
  loop('czlonkowieRodziny', 'case', 'Członkowie rodziny (pętla)', 'Family members (loop)', [
    v('lp', 'case', 'Lp.', 'No.', '1'),
    v('imieNazwisko', 'case', 'Imię i nazwisko', 'Name', 'Anna Kowalska'),
    v('pokrewienstwo', 'case', 'Pokrewieństwo', 'Relation', 'matka'),
    v('dataUrodzenia', 'case', 'Data urodzenia', 'Birth date', '01.02.1985'),
  ]),
  loop('zespol', 'case', 'Zespół sprawy: instytucje i osoby (pętla)', 'Case team (loop)', [
    v('lp', 'case', 'Lp.', 'No.', '1'),
    v('instytucja', 'case', 'Instytucja', 'Institution', 'Szkoła Podstawowa w Dębowcu'),
    v('osoba', 'case', 'Osoba', 'Person', 'Patrycja Pedagogiczna'),
    v('rola', 'case', 'Rola w zespole', 'Role', 'członek zespołu'),
  ]),
  loop('cele', 'plan', 'Cele planu (pętla; w środku pętla zadań)', 'Plan goals (loop, with tasks inside)', [
    v('lp', 'plan', 'Lp.', 'No.', '1'),
    v('cel', 'plan', 'Cel', 'Goal', 'Powrót na rynek pracy'),
    loop('zadaniaCelu', 'plan', 'Zadania celu (pętla)', 'Tasks of the goal (loop)', [
      v('zadanie', 'plan', 'Zadanie', 'Task', 'Kurs zawodowy'),
      v('odpowiedzialny', 'plan', 'Odpowiedzialny', 'Responsible', 'PUP w Jaśle'),
      v('termin', 'plan', 'Termin', 'Due', '31.01.2027'),
      v('status', 'plan', 'Stan', 'Status', 'otwarte'),
    ]),
  ]),
  loop('zadania', 'plan', 'Zadania planu (pętla)', 'Plan tasks (loop)', [
    v('lp', 'plan', 'Lp.', 'No.', '1'),
    v('cel', 'plan', 'Cel', 'Goal', 'Powrót na rynek pracy'),
    v('zadanie', 'plan', 'Zadanie', 'Task', 'Kurs zawodowy'),
    v('odpowiedzialny', 'plan', 'Odpowiedzialny', 'Responsible', 'PUP w Jaśle'),
    v('termin', 'plan', 'Termin', 'Due', '31.01.2027'),
    v('usluga', 'plan', 'Usługa z katalogu', 'Catalogue service', 'Klub Integracji Społecznej'),
    v('status', 'plan', 'Stan', 'Status', 'otwarte'),
  ]),
];

const FORM_EXAMPLES: Record<string, string> = {
  datetime: '07.12.2026',
  day: '07.12.2026',
  checkbox: 'tak',
  number: '1',
  email: 'jan.kowalski@example.pl',
  phoneNumber: '600 000 000',
  file: 'skan.pdf',
};

function formTag(f: TFormField): TDictionaryTag {
  const label = f.label.trim() || f.key;
  return v(f.key, 'form', label, label, FORM_EXAMPLES[f.type] ?? (f.values?.[0] ? f.values[0] : label.slice(0, 40)));
}

export interface TGridField extends TFormField {
  /** Value columns of the grid. */
  cols: TFormField[];
  /** Grids nested in a row of this grid (goals → tasks). */
  grids: TGridField[];
}

/** Data fields of a Form.io form: top-level values and grids (with their columns and nested grids). */
export function formFieldsOf(form: unknown): { values: TFormField[]; grids: TGridField[] } {
  const { fields } = checkFormDefinition(form);
  const all = [...fields.values()];
  const gridOf = (g: TFormField): TGridField => {
    const children = (g.columns ?? []).map((k) => fields.get(k)!).filter(Boolean);
    return { ...g, cols: children.filter((c) => !c.columns && c.type !== 'file'), grids: children.filter((c) => c.columns).map(gridOf) };
  };
  const grids = all.filter((f) => f.columns && !f.grid).map(gridOf);
  const values = all.filter((f) => !f.grid && !f.columns && f.type !== 'file');
  return { values, grids };
}

function gridTag(g: TGridField): TDictionaryTag {
  return loop(g.key, 'form', `${g.label || g.key} (pętla)`, `${g.label || g.key} (loop)`, [v('lp', 'form', 'Lp.', 'No.', '1'), ...g.cols.filter((c) => c.key !== 'lp').map(formTag), ...g.grids.map(gridTag)]);
}

/** The dictionary of a slot: common tags, then the bound form's fields (a form field wins over a common tag of the same name). */
export function documentDictionary(pack: Pick<TPack, 'documents'>, forms: Record<string, unknown>, slot: string): TDocumentDictionary {
  const doc = pack.documents[slot];
  const formKey = doc?.form;
  const form = formKey ? forms[formKey] : undefined;
  const tags = new Map<string, TDictionaryTag>(COMMON_TAGS.map((t) => [t.tag, t]));
  if (form) {
    const { values, grids } = formFieldsOf(form);
    for (const f of values) tags.set(f.key, formTag(f));
    for (const g of grids) tags.set(g.key, gridTag(g));
  }
  return { slot, ...(formKey ? { form: formKey } : {}), tags: [...tags.values()] };
}

/** Nested lookup for inspection: the tags allowed at the top level and inside each loop. */
export function dictionaryIndex(d: TDocumentDictionary): { values: Set<string>; loops: Map<string, TDictionaryTag> } {
  const values = new Set<string>();
  const loops = new Map<string, TDictionaryTag>();
  for (const t of d.tags) {
    if (t.kind === 'loop') loops.set(t.tag, t);
    else values.add(t.tag);
  }
  return { values, loops };
}

/** Sample data from the dictionary's examples (loops get two rows). */
export function sampleData(dict: TDocumentDictionary): Record<string, unknown> {
  const build = (tags: TDictionaryTag[]): Record<string, unknown> =>
    Object.fromEntries(tags.map((t) => [t.tag, t.kind === 'loop' ? [1, 2].map((n) => ({ ...build(t.children ?? []), lp: String(n) })) : t.example]));
  return build(dict.tags);
}

