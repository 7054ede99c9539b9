import { describe, expect, it } from 'vitest';
import { applyOps, opsBetween, type TDraftContent } from './content';
import { durationPl, summarizeOp, summarizeOps } from './summary';

const content = (): TDraftContent => ({
  pack: {
    roles: { ps: { label: { pl: 'Pracownik socjalny' }, permissions: ['case.read'] } },
    deadlines: { ipw: { label: { pl: 'Przegląd IPW' }, offset: 'P14D' } },
    dictionaries: { typy: { label: { pl: 'Typy instytucji' }, options: [{ value: 'ops', label: { pl: 'OPS' } }] } },
    labels: { plan: { pl: 'Plan' } },
  },
  forms: {},
  flows: {},
});

describe('Polish summaries of JSON-Patch operations', () => {
  it('names the entity and the change', () => {
    const c = content();
    expect(summarizeOp(c, { op: 'replace', path: '/pack/deadlines/ipw/offset', value: 'P21D' })).toBe('Termin „Przegląd IPW”: 14 → 21 dni');
    expect(summarizeOp(c, { op: 'add', path: '/pack/roles/ps/permissions/-', value: 'document.generate' })).toBe('Rola „Pracownik socjalny”: dodano uprawnienie „Generowanie dokumentów DOCX/PDF z szablonów” (document.generate)');
    expect(summarizeOp(c, { op: 'remove', path: '/pack/roles/ps/permissions/0' })).toContain('odebrano uprawnienie');
    expect(summarizeOp(c, { op: 'add', path: '/pack/dictionaries/typy/options/-', value: { value: 'ngo', label: { pl: 'Organizacja pozarządowa' } } })).toBe('Słownik „Typy instytucji”: dodano pozycję „Organizacja pozarządowa”');
    expect(summarizeOp(c, { op: 'add', path: '/pack/labels/plan/en', value: 'Plan' })).toBe('Etykieta „plan”: dodano po angielsku „Plan”');
  });

  it('summarises a multi-operation save in order', () => {
    const lines = summarizeOps(content(), [{ op: 'add', path: '/pack/roles/nowa', value: { label: { pl: 'Nowa rola' }, permissions: [] } }, { op: 'add', path: '/pack/roles/nowa/permissions/-', value: 'case.read' }], applyOps);
    expect(lines).toEqual(['Rola „Nowa rola”: dodano', expect.stringContaining('Rola „Nowa rola”: dodano uprawnienie')]);
  });

  it('durations in Polish', () => {
    expect(durationPl('P1D')).toBe('1 dzień');
    expect(durationPl('P3M')).toBe('3 mies.');
    expect(durationPl('P2Y')).toBe('2 lata');
  });
});

describe('undo by inverse operations', () => {
  it('inverse of any save restores the content exactly', () => {
    const before = content();
    const after = applyOps(before, [{ op: 'replace', path: '/pack/deadlines/ipw/offset', value: 'P21D' }, { op: 'remove', path: '/pack/labels/plan' }]);
    expect(applyOps(after, opsBetween(after, before))).toEqual(before);
  });

  it('a failing operation is a validation error and leaves the input untouched', () => {
    const before = content();
    expect(() => applyOps(before, [{ op: 'replace', path: '/pack/nope/x', value: 1 }])).toThrow(/nie pasuje/);
    expect(before).toEqual(content());
  });
});
