import { describe, expect, it } from 'vitest';
import { loadPack } from '@/lib/packs/load';
import { normalizeSubmissionData, prepareForm } from './prepare';
import { validateSubmission } from './validate-submission';

// The server validates the prepared form (lookups filled in), as lib/cases/submissions.ts does.
const sample = loadPack('sample');
if (!sample.ok) throw new Error('the sample pack does not load');
const plan = prepareForm(sample.pack.forms.plan as { components: unknown[] }, {
  dictionaries: sample.pack.manifest.dictionaries,
  options: { assignees: [{ value: 'inst-1', label: 'A' }, { value: 'inst-2', label: 'B' }] },
});

describe('validateSubmission', () => {
  it('reports a missing required field with its path', () => {
    const res = validateSubmission(plan, {
      terminOd: '2026-01-01T00:00:00.000Z',
      terminDo: '2026-12-31T00:00:00.000Z',
      zadania: [{ zadanie: 'Wizyta u lekarza', odpowiedzialny: 'inst-1' }],
    });
    expect(res.errors).toEqual([expect.objectContaining({ path: 'celNadrzedny' })]);
    expect(res.errors[0].message).toMatch(/Cel nadrzędny/);
  });

  it('reports a missing required column inside a datagrid row with the row path', () => {
    const res = validateSubmission(plan, {
      celNadrzedny: 'Stabilizacja sytuacji rodziny',
      terminOd: '2026-01-01T00:00:00.000Z',
      terminDo: '2026-12-31T00:00:00.000Z',
      zadania: [{ zadanie: 'Wizyta', odpowiedzialny: 'inst-1' }, { zadanie: '', odpowiedzialny: 'inst-2' }],
    });
    expect(res.errors.map((e) => e.path)).toEqual(['zadania[1].zadanie']);
  });

  it('drops keys the form does not declare and keeps valid data', () => {
    const res = validateSubmission(plan, {
      celNadrzedny: 'Stabilizacja sytuacji rodziny',
      terminOd: '2026-01-01T00:00:00.000Z',
      terminDo: '2026-12-31T00:00:00.000Z',
      zadania: [{ zadanie: 'Wizyta', odpowiedzialny: 'inst-1', obce: 'x' }],
      isAdmin: true,
    });
    expect(res.errors).toEqual([]);
    expect(res.data.celNadrzedny).toBe('Stabilizacja sytuacji rodziny');
    expect(res.data).not.toHaveProperty('isAdmin');
    expect((res.data.zadania as Array<Record<string, unknown>>)[0]).not.toHaveProperty('obce');
  });
});

describe('validateSubmission without eval', () => {
  it('never runs form-embedded JavaScript on the server', () => {
    const g = globalThis as { __pwned?: boolean };
    const form = {
      components: [
        { type: 'textfield', key: 'a', label: 'A', input: true, calculateValue: 'globalThis.__pwned = true; value = "x"', validate: { custom: 'globalThis.__pwned = true; valid = "nie"' } },
      ],
    };
    const res = validateSubmission(form, { a: 'ok' });
    expect(g.__pwned).toBeUndefined();
    expect(res.data.a).toBe('ok');
  });
});

describe('validateSubmission with hostile data', () => {
  it('refuses data nested 10,000 deep with a validation error instead of overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(() => normalizeSubmissionData(plan, { celNadrzedny: deep as string })).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});
