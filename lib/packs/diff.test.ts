import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { diffPacks, formatDiff } from './diff';
import { loadPack } from './load';
import { makeSampleRoot, readJson, writeJson } from './temp-root.test-helper';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function loadOk(id: string, root: string) {
  const res = loadPack(id, { root });
  if (!res.ok) throw new Error(JSON.stringify(res.issues));
  return res.pack;
}

describe('diff', () => {
  it('reads per entity: a role gains a permission (same lines in the CLI and the studio)', () => {
    const a = makeSampleRoot();
    const b = makeSampleRoot();
    roots.push(a, b);
    const m = readJson(b, 'configs/sample/pack.json') as { roles: Record<string, { permissions: string[] }> };
    m.roles['pracownik-socjalny'].permissions.push('case.export');
    writeJson(b, 'configs/sample/pack.json', m);
    expect(formatDiff(diffPacks(loadOk('sample', a), loadOk('sample', b)), 'pl')).toEqual(['+ Rola „Pracownik socjalny”: dodano uprawnienie „Eksport danych osoby (prawo dostępu RODO)”']);
  });

  it('names exactly one changed field label, in Polish and English', () => {
    const a = makeSampleRoot();
    const b = makeSampleRoot();
    roots.push(a, b);
    const plan = readJson(b, 'forms/sample/plan.json') as { components: Array<{ key: string; components?: Array<{ key: string; label: string }> }> };
    plan.components.find((c) => c.key === 'zadania')!.components!.find((c) => c.key === 'zadanie')!.label = 'Zadanie do wykonania';
    writeJson(b, 'forms/sample/plan.json', plan);

    const entries = diffPacks(loadOk('sample', a), loadOk('sample', b));
    expect(entries).toEqual([expect.objectContaining({ change: 'changed', area: 'field', key: 'plan/zadanie', changes: [['label', 'Działanie', 'Zadanie do wykonania']] })]);
    expect(formatDiff(entries, 'pl')).toEqual(['~ Pole „plan/zadanie”: zmieniono — etykieta „Działanie” → „Zadanie do wykonania”']);
    expect(formatDiff(entries, 'en')).toEqual(['~ Field "plan/zadanie": changed — label "Działanie" → "Zadanie do wykonania"']);
  });

  it('lists added and removed states, events, roles, rules, fields and dictionary options', () => {
    const a = makeSampleRoot();
    const b = makeSampleRoot();
    roots.push(a, b);
    const pack = readJson(b, 'configs/sample/pack.json') as Record<string, Record<string, Record<string, unknown>>>;
    delete pack.roles.partner;
    pack.forms.zgoda.fill = ['pracownik-socjalny', 'koordynator'];
    (pack.dictionaries['formy-spotkan'].options as unknown[]).pop();
    delete pack.deadlines['koniec-planu'];
        // Other references to the removed role move to an existing one, so the pack still validates.
    writeJson(b, 'configs/sample/pack.json', JSON.parse(JSON.stringify(pack).replaceAll('"partner"', '"kierownik-ops"')));
    const flow = readJson(b, 'flows/sample/sprawa.json') as { states: Record<string, { on?: Record<string, unknown>; states?: Record<string, unknown> }> };
    flow.states.realizacja.states!.zawieszona = { on: { ROZPOCZNIJ_PRZEGLAD: 'przeglad' } };
    (flow.states.realizacja.states!.biezaca as { on: Record<string, unknown> }).on.ROZPOCZNIJ_PRZEGLAD = 'zawieszona';
    // The removed rule is no longer referenced by the flow.
    writeJson(b, 'flows/sample/sprawa.json', JSON.parse(JSON.stringify(flow).replaceAll('{"rule":"koniec-planu"}', '{"rule":"przeglad-planu"}')));
    const zgoda = readJson(b, 'forms/sample/zgoda.json') as { components: unknown[] };
    zgoda.components.push({ type: 'textfield', key: 'uwagi', label: 'Uwagi', input: true });
    writeJson(b, 'forms/sample/zgoda.json', zgoda);

    const lines = formatDiff(diffPacks(loadOk('sample', a), loadOk('sample', b)), 'pl');
    expect(lines).toContain('+ Pole „zgoda/uwagi”: dodano');
    expect(lines).toContain('+ Etap „sprawa/realizacja.zawieszona”: dodano');
    expect(lines).toContain('- Rola „partner”: usunięto');
    expect(lines).toContain('- Reguła terminu „koniec-planu”: usunięto');
    expect(lines).toContain('- Pozycja słownika „formy-spotkan/laczona”: usunięto');
  });
});
