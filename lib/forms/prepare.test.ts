import { beforeAll, describe, expect, it } from 'vitest';
import { loadPack } from '@/lib/packs/load';
import type { TResolvedPack } from '@/lib/packs/validate';
import { FILE_UPLOAD_URL, normalizeSubmissionData, prefilledKeys, prepareForm, walkComponents, type TComponentJson, type TFormJson } from './prepare';
import { validateSubmission } from './validate-submission';

let pack: TResolvedPack;
const formOf = (key: string) => pack.forms[key] as TFormJson;
const find = (form: TFormJson, key: string): TComponentJson => {
  let found: TComponentJson | undefined;
  walkComponents(form, (c) => {
    if (c.key === key) found = c;
  });
  if (!found) throw new Error(`no component ${key}`);
  return found;
};

beforeAll(() => {
  const res = loadPack('sample');
  if (!res.ok) throw new Error(JSON.stringify(res.issues));
  pack = res.pack;
});

const validIntake = {
  dataZgloszenia: '2026-03-01T00:00:00.000Z',
  zrodloZgloszenia: 'samozgloszenie',
  opisSytuacji: 'Rodzina potrzebuje wsparcia.',
};

describe('prepareForm', () => {
  it('fills dictionary lookups from the pack, in the locale with a Polish fallback, and restricts them to those options', () => {
    const original = structuredClone(formOf('zgloszenie'));
    const form = prepareForm(formOf('zgloszenie'), { dictionaries: pack.manifest.dictionaries, locale: 'en' });
    const przeslanki = find(form, 'przeslanki');
    expect(przeslanki.values).toEqual(pack.manifest.dictionaries.przeslanki.options.map((o) => ({ value: o.value, label: o.label.en ?? o.label.pl })));
    expect((przeslanki.validate as Record<string, unknown>).onlyAvailableItems).toBe(true);
    expect((przeslanki.validate as Record<string, unknown>).required).toBe(true);
    // A deep copy: the pack's form is untouched.
    expect(formOf('zgloszenie')).toEqual(original);
  });

  it('fills select dictionaries into data.values with dataSrc "values"', () => {
    const form = prepareForm(formOf('plan'), { dictionaries: pack.manifest.dictionaries });
    const status = find(form, 'status');
    expect(status.dataSrc).toBe('values');
    expect((status.data as { values: unknown[] }).values.length).toBe(pack.manifest.dictionaries['statusy-zadan'].options.length);
  });

  it('fills runtime data sources with the given options, and a missing source with an empty list', () => {
    const options = { institutions: [{ value: 'inst-1', label: 'OPS Zielona' }] };
    const form = prepareForm(formOf('zgloszenie'), { dictionaries: pack.manifest.dictionaries, options });
    const inst = find(form, 'instytucjaZglaszajaca');
    expect((inst.data as { values: unknown[] }).values).toEqual(options.institutions);
    expect((inst.validate as Record<string, unknown>).onlyAvailableItems).toBe(true);
    const plan = prepareForm(formOf('plan'), { dictionaries: pack.manifest.dictionaries });
    expect((find(plan, 'odpowiedzialny').data as { values: unknown[] }).values).toEqual([]);
  });

  it('points file fields at our upload endpoint with limits', () => {
    const form = prepareForm({ components: [{ type: 'file', key: 'skan', input: true, storage: 'base64', options: '{"x":1}' }, { type: 'textfield', key: 't', input: true }] }, { dictionaries: {} });
    expect(form.components![0]).toMatchObject({ storage: 'url', url: FILE_UPLOAD_URL, fileMaxSize: '20MB' });
    expect(String((form.components![0] as TComponentJson).filePattern)).toContain('.pdf');
    expect(form.components![0]).not.toHaveProperty('options');
    expect(form.components![1]).toEqual({ type: 'textfield', key: 't', input: true });
  });

  it('makes the server accept dictionary values the form offers and refuse others', () => {
    const form = prepareForm(formOf('zgloszenie'), { dictionaries: pack.manifest.dictionaries });
    const inside = validateSubmission(form, { ...validIntake, przeslanki: { p1: true, p2: false } });
    expect(inside.errors).toEqual([]);
    const outside = validateSubmission(form, { ...validIntake, przeslanki: { p1: true, wymyslona: true } });
    expect(outside.errors.map((e) => e.path)).toContain('przeslanki');
  });

  it('refuses a runtime-source value that was not offered', () => {
    const form = prepareForm(formOf('zgloszenie'), { dictionaries: pack.manifest.dictionaries, options: { institutions: [{ value: 'inst-1', label: 'OPS' }] } });
    const base = { ...validIntake, zrodloZgloszenia: 'instytucja', zgodaNaZgloszenie: true, przeslanki: { p1: true } };
    expect(validateSubmission(form, { ...base, instytucjaZglaszajaca: 'inst-1' }).errors).toEqual([]);
    expect(validateSubmission(form, { ...base, instytucjaZglaszajaca: 'inst-obca' }).errors.map((e) => e.path)).toEqual(['instytucjaZglaszajaca']);
  });
});

describe('prefill', () => {
  const form: TFormJson = {
    components: [
      { type: 'columns', key: 'c', input: false, columns: [{ components: [{ type: 'textfield', key: 'nrKarty', input: true, disabled: true, properties: { prefill: 'case.cardNumber' } }] }] },
      { type: 'datetime', key: 'dataWyslania', input: true, properties: { prefill: 'now' } },
      { type: 'textfield', key: 'administrator', input: true, properties: { prefill: 'organisation.dataController' } },
      { type: 'datagrid', key: 'wiersze', input: true, components: [{ type: 'textfield', key: 'nr', input: true, properties: { prefill: 'case.cardNumber' } }] },
    ],
  };

  it('gives a field the value of its prefill source as default, and leaves fields of unknown sources empty', () => {
    const out = prepareForm(form, { dictionaries: {}, prefill: { 'case.cardNumber': 'WRZ/2026/0001', now: '2026-11-23T00:00:00' } });
    expect(find(out, 'nrKarty').defaultValue).toBe('WRZ/2026/0001');
    expect(find(out, 'dataWyslania').defaultValue).toBe('2026-11-23T00:00:00');
    expect(find(out, 'administrator')).not.toHaveProperty('defaultValue');
    expect(form.components[0]).not.toHaveProperty('columns.0.components.0.defaultValue');
  });

  it('names the data keys outside grids that a source owns (the server sets them)', () => {
    expect([...prefilledKeys(form, ['case.cardNumber'])]).toEqual([['nrKarty', 'case.cardNumber']]);
  });
});

describe('normalizeSubmissionData', () => {
  const form = {
    components: [
      { type: 'textfield', key: 'cel', input: true },
      {
        type: 'panel', key: 'p', input: false, components: [
          { type: 'datagrid', key: 'cele', input: true, components: [
            { type: 'textfield', key: 'nazwa', input: true, validate: { required: true } },
            { type: 'datagrid', key: 'zadania', input: true, components: [{ type: 'textfield', key: 'zadanie', input: true, validate: { required: true } }] },
          ] },
        ],
      },
      { type: 'columns', key: 'c', input: false, columns: [{ components: [{ type: 'editgrid', key: 'uwagi', input: true, components: [{ type: 'textfield', key: 'tresc', input: true, validate: { required: true } }] }] }] },
    ],
  };

  it('sets missing grid keys to empty lists at every level and leaves given data alone', () => {
    const input = { cel: 'x', cele: [{ nazwa: 'a' }, { nazwa: 'b', zadania: [{ zadanie: 'z' }] }] };
    const out = normalizeSubmissionData(form, input);
    expect(out).toEqual({ cel: 'x', uwagi: [], cele: [{ nazwa: 'a', zadania: [] }, { nazwa: 'b', zadania: [{ zadanie: 'z' }] }] });
    expect(input.cele[0]).not.toHaveProperty('zadania');
  });

  it('avoids the phantom empty row: an untouched grid does not fail its required columns', () => {
    expect(validateSubmission(form, normalizeSubmissionData(form, { cel: 'x' })).errors).toEqual([]);
  });
});
