import { describe, expect, it } from 'vitest';
import { listPackIds, loadPack } from '@/lib/packs/load';
import { DATA_SOURCES } from './check-form';
import { prepareForm, walkComponents, type TComponentJson, type TFormJson } from './prepare';
import { validateSubmission } from './validate-submission';

/**
 * Generated over every form of every pack (forms/**): each radio, select, selectboxes and checkbox
 * accepts each of its listed values and refuses one outside its list — on the form as prepared for a
 * case (dictionaries and runtime data sources filled in), the form the server validates against.
 */

const OUTSIDE = 'nonexistent-option';
const SOURCE_OPTIONS = Object.fromEntries(DATA_SOURCES.map((s) => [s, [{ value: `${s}-1`, label: 'A' }, { value: `${s}-2`, label: 'B' }]]));
const CHOICE_TYPES = new Set(['radio', 'select', 'selectboxes', 'checkbox']);
const GRID_TYPES = new Set(['datagrid', 'editgrid']);

interface TChoiceField {
  component: TComponentJson;
  /** Data path segments, grid rows as index 0, e.g. ['zadania', 0, 'odpowiedzialny']. */
  segments: Array<string | number>;
  /** The path validateSubmission reports, e.g. `zadania[0].odpowiedzialny`. */
  path: string;
  listed: unknown[];
}

function listedValues(c: TComponentJson): unknown[] {
  const options = (c.type === 'select' ? (c.data as { values?: unknown[] } | undefined)?.values : c.values) as Array<{ value: unknown }> | undefined;
  if (c.type === 'checkbox') return [true, false];
  return (options ?? []).map((o) => o.value);
}

function choiceFields(form: TFormJson): TChoiceField[] {
  const out: TChoiceField[] = [];
  walkComponents(form, (c, parents) => {
    if (!CHOICE_TYPES.has(String(c.type)) || typeof c.key !== 'string') return;
    const segments: Array<string | number> = [];
    for (const p of parents) if (GRID_TYPES.has(String(p.type))) segments.push(String(p.key), 0);
    segments.push(c.key);
    const path = segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
    out.push({ component: c, segments, path, listed: listedValues(c) });
  });
  return out;
}

function asSubmitted(f: TChoiceField, v: unknown): unknown {
  if (f.component.type === 'selectboxes') return { [String(v)]: true };
  if (f.component.type === 'select' && f.component.multiple) return [v];
  return v;
}

function setAt(data: Record<string, unknown>, segments: Array<string | number>, value: unknown): void {
  let at: Record<string | number, unknown> = data;
  segments.forEach((s, i) => {
    if (i === segments.length - 1) {
      at[s] = value;
      return;
    }
    if (at[s] === undefined) at[s] = typeof segments[i + 1] === 'number' ? [] : {};
    at = at[s] as Record<string | number, unknown>;
  });
}

/** The same form with every condition removed, so each field is evaluated whatever the other answers are. */
function unconditional(form: TFormJson): TFormJson {
  const copy = structuredClone(form);
  walkComponents(copy, (c) => {
    delete c.conditional;
    delete c.logic;
  });
  return copy;
}

const packs = listPackIds().map((id) => {
  const res = loadPack(id);
  if (!res.ok) throw new Error(`pack ${id}: ${JSON.stringify(res.issues)}`);
  return res.pack;
});
const cases = packs.flatMap((pack) =>
  Object.keys(pack.forms).map((formKey) => {
    const form = unconditional(prepareForm(pack.forms[formKey] as TFormJson, { dictionaries: pack.manifest.dictionaries, options: SOURCE_OPTIONS }));
    return { name: `${pack.manifest.id}/${formKey}`, pack, form, fields: choiceFields(form) };
  }),
);
const total = cases.reduce((n, c) => n + c.fields.length, 0);

describe(`choice values on every pack form (${cases.length} forms, ${total} choice fields)`, () => {
  it('covers the three model packs', () => {
    expect(packs.map((p) => p.manifest.id)).toEqual(expect.arrayContaining(['wiejski', 'miejsko-wiejski', 'miejski-3d']));
    expect(total).toBeGreaterThan(400);
  });

  it.each(cases.filter((c) => c.fields.length > 0))('$name: every listed value is accepted, a value outside the list refused', ({ form, fields }) => {
    for (const f of fields) expect(f.listed.length, `${f.path} offers no values`).toBeGreaterThan(0);
    // Round i sets every field to its i-th listed value (wrapping), so each listed value is tried once.
    const rounds = Math.max(...fields.map((f) => f.listed.length));
    for (let i = 0; i < rounds; i++) {
      const data: Record<string, unknown> = {};
      for (const f of fields) setAt(data, f.segments, asSubmitted(f, f.listed[i % f.listed.length]));
      const refused = validateSubmission(form, data).errors.filter((e) => fields.some((f) => f.path === e.path && /niedozwolona/.test(e.message)));
      expect(refused, `round ${i}`).toEqual([]);
    }
    const data: Record<string, unknown> = {};
    for (const f of fields) setAt(data, f.segments, asSubmitted(f, OUTSIDE));
    const errorPaths = new Set(validateSubmission(form, data).errors.map((e) => e.path));
    expect(fields.map((f) => f.path).filter((p) => !errorPaths.has(p))).toEqual([]);
  });

  it.each(cases.filter((c) => c.fields.length > 0))('$name with its conditions: a value outside the list is refused or not stored', ({ pack, name, fields }) => {
    const formKey = name.slice(pack.manifest.id.length + 1);
    const form = prepareForm(pack.forms[formKey] as TFormJson, { dictionaries: pack.manifest.dictionaries, options: SOURCE_OPTIONS });
    const data: Record<string, unknown> = {};
    for (const f of fields) setAt(data, f.segments, asSubmitted(f, OUTSIDE));
    const res = validateSubmission(form, data);
    const errorPaths = new Set(res.errors.map((e) => e.path));
    const stored = (f: TChoiceField) => f.segments.reduce<unknown>((at, s) => (at as Record<string | number, unknown> | undefined)?.[s], res.data);
    expect(fields.filter((f) => !errorPaths.has(f.path) && JSON.stringify(stored(f) ?? null).includes(OUTSIDE)).map((f) => f.path)).toEqual([]);
  });
});

describe('choice values: the cases @formio/core 2.8.3 lets through', () => {
  const form: TFormJson = {
    components: [
      { type: 'radio', key: 'ocena', label: 'Ocena', input: true, values: ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: v })) },
      { type: 'selectboxes', key: 'obszary', label: 'Obszary', input: true, values: [{ value: 'praca', label: 'Praca' }] },
      { type: 'checkbox', key: 'zgoda', label: 'Zgoda', input: true },
      { type: 'select', key: 'zdalnie', label: 'Zdalnie', input: true, dataSrc: 'url', data: { url: '/api/options' } },
    ],
  };
  const refused = (data: Record<string, unknown>) => validateSubmission(form, data).errors.map((e) => e.path);

  it('a rating given as a number or a numeric string is checked (5 accepted, 11 refused)', () => {
    expect(refused({ ocena: '5' })).toEqual([]);
    expect(refused({ ocena: 5 })).toEqual([]);
    expect(refused({ ocena: '11' })).toEqual(['ocena']);
    expect(refused({ ocena: 11 })).toEqual(['ocena']);
    expect(refused({ ocena: true })).toEqual(['ocena']);
  });

  it('selectboxes take only their own keys with true/false; a checkbox only true/false', () => {
    expect(refused({ obszary: { praca: true }, zgoda: false })).toEqual([]);
    expect(refused({ obszary: { praca: 'tak' } })).toEqual(['obszary']);
    expect(refused({ obszary: { $where: true } })).toEqual(['obszary']);
    expect(refused({ zgoda: 'nonexistent-option' })).toEqual(['zgoda']);
    expect(refused({ zgoda: { $gt: '' } })).toEqual(['zgoda']);
  });

  it('options the server cannot know (fetched from a URL) accept nothing', () => {
    expect(refused({ zdalnie: 'cokolwiek' })).toEqual(['zdalnie']);
  });
});
