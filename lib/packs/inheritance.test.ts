import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeContentHash } from './bundle';
import { diffPacks } from './diff';
import { formatIssue } from './issues';
import { loadPack, mergeOverlay } from './load';
import { scaffoldOverlay } from './scaffold';
import { makeSampleRoot, readJson, writeJson } from './temp-root.test-helper';

const roots: string[] = [];
function sampleRoot(): string {
  const r = makeSampleRoot();
  roots.push(r);
  return r;
}
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

describe('mergeOverlay', () => {
  it('merges maps by key, lets the overlay win, replaces arrays and removes keys set to null', () => {
    const base = { a: { x: 1, y: [1, 2] }, b: 1, c: { keep: true } };
    const overlay = { a: { y: [3], z: 2 }, b: null, d: 'new' };
    expect(mergeOverlay(base, overlay)).toEqual({ a: { x: 1, y: [3], z: 2 }, c: { keep: true }, d: 'new' });
  });
});

describe('overlay packs', () => {
  it('adds and overrides roles, labels, dictionaries, forms, flow events and rules of the base', () => {
    const root = sampleRoot();
    writeJson(root, 'configs/sample-lubelskie/pack.json', {
      id: 'sample-lubelskie',
      version: '0.1.0',
      title: { pl: 'Pakiet przykładowy — lubelskie' },
      extends: 'sample@^1.0.0',
      roles: {
        partner: { label: { pl: 'Partner zespołu' } },
        'doradca-rops': { label: { pl: 'Doradca ROPS' }, permissions: ['indicator.read'], scope: 'region' },
      },
      dictionaries: { 'formy-spotkan': { options: [{ value: 'bezposrednia', label: { pl: 'Stacjonarna' } }, { value: 'zdalna', label: { pl: 'Online' } }] } },
      flows: { sprawa: { events: { ZAKONCZ: { label: { pl: 'Zamknij sprawę' } } } } },
      deadlines: { 'przeglad-planu': { cadence: { every: 'P2M' } } },
      indicators: { 'odsetek-celow-osiagnietych': null },
      labels: { caseTeam: { pl: 'Grupa kooperacji' } },
    });
    // A form file of the same key in the overlay's folder replaces the base's file.
    const plan = readJson(root, 'forms/sample/plan.json');
    plan.title = 'Plan współpracy (lubelskie)';
    writeJson(root, 'forms/sample-lubelskie/plan.json', plan);

    const res = loadPack('sample-lubelskie', { root });
    expect(res.issues.map(formatIssue)).toEqual([]);
    if (!res.ok) return;
    const m = res.pack.manifest;
    expect(m.roles.partner.label.pl).toBe('Partner zespołu');
    expect(m.roles.partner.permissions).toContain('catalogue.propose'); // kept from the base
    expect(m.roles['doradca-rops'].scope).toBe('region');
    expect(m.dictionaries['formy-spotkan'].options.map((o) => o.value)).toEqual(['bezposrednia', 'zdalna']); // arrays replace
    expect(m.flows.sprawa.events.ZAKONCZ.label.pl).toBe('Zamknij sprawę');
    expect(m.flows.sprawa.events.ZAKONCZ.roles).toEqual(['koordynator', 'kierownik-ops']);
    expect(m.deadlines['przeglad-planu'].cadence?.every).toBe('P2M');
    expect(m.deadlines['przeglad-planu'].action).toBe('task');
    expect(m.indicators['odsetek-celow-osiagnietych']).toBeUndefined();
    expect(m.labels.caseTeam.pl).toBe('Grupa kooperacji');
    expect(m.labels.plan.pl).toBe('Plan współpracy');
    expect(m.forms.plan.file).toBe('forms/sample-lubelskie/plan.json');
    expect(m.forms.zgoda.file).toBe('forms/sample/zgoda.json');
    expect((res.pack.forms.plan as { title: string }).title).toBe('Plan współpracy (lubelskie)');
    expect(m.extends).toBe('sample@^1.0.0');
    expect(res.pack.lineage).toEqual(['sample@1.0.0', 'sample-lubelskie@0.1.0']);

    // Deterministic: the same files resolve to the same content hash.
    const again = loadPack('sample-lubelskie', { root });
    expect(again.ok && computeContentHash(again.pack)).toBe(computeContentHash(res.pack));
  });

  it('attributes an overlay mistake to the overlay file', () => {
    const root = sampleRoot();
    writeJson(root, 'configs/sample-x/pack.json', {
      id: 'sample-x',
      version: '0.1.0',
      title: { pl: 'X' },
      extends: 'sample@^1.0.0',
      flows: { sprawa: { events: { ZAKONCZ: { roles: ['wojewoda'] } } } },
    });
    const res = loadPack('sample-x', { root });
    expect(res.ok).toBe(false);
    expect(res.issues.map(formatIssue)).toEqual([
      expect.stringContaining('configs/sample-x/pack.json:flows.sprawa.events.ZAKONCZ.roles[0] — unknown role "wojewoda"'),
    ]);
  });

  it('rejects an unknown base pack', () => {
    const root = sampleRoot();
    writeJson(root, 'configs/sample-y/pack.json', { id: 'sample-y', version: '0.1.0', title: { pl: 'Y' }, extends: 'miejski-4d@^1.0.0' });
    const res = loadPack('sample-y', { root });
    expect(res.issues.map(formatIssue)).toEqual([expect.stringContaining('configs/sample-y/pack.json:extends — base pack "miejski-4d" not found')]);
  });
});

describe('new --from', () => {
  it('scaffolds an overlay that validates immediately and differs from its base only in identity', () => {
    const root = sampleRoot();
    const file = scaffoldOverlay('sample-podlaskie', 'sample', { root });
    expect(file).toBe(path.join('configs', 'sample-podlaskie', 'pack.json'));
    const created = readJson(root, file);
    expect(created.extends).toBe('sample@^1.0.0');
    const res = loadPack('sample-podlaskie', { root });
    expect(res.issues.map(formatIssue)).toEqual([]);
    const base = loadPack('sample', { root });
    if (!res.ok || !base.ok) return;
    expect(diffPacks(base.pack, res.pack).map((d) => `${d.area}:${d.key}`)).toEqual(['pack:id', 'pack:version', 'pack:title', 'pack:extends']);
    expect(() => scaffoldOverlay('sample-podlaskie', 'sample', { root })).toThrow(/already exists/);
  });
});

describe('plan binding with goals → tasks', () => {
  it('accepts a task grid nested in a goal grid and rejects a goal column outside it', () => {
    const root = sampleRoot();
    const plan = readJson(root, 'forms/sample/plan.json') as { components: Array<Record<string, unknown>> };
    const tasks = plan.components.find((c) => c.key === 'zadania') as { components: Array<{ key: string }> };
    const goalColumn = tasks.components.find((c) => c.key === 'cel')!;
    tasks.components = tasks.components.filter((c) => c.key !== 'cel');
    plan.components = plan.components.filter((c) => c.key !== 'zadania');
    plan.components.push({ type: 'editgrid', key: 'cele', label: 'Cele szczegółowe', input: true, components: [goalColumn, tasks] });
    writeJson(root, 'forms/sample/plan.json', plan);
    const manifest = readJson(root, 'configs/sample/pack.json') as { bindings: { plan: Record<string, unknown> } };
    manifest.bindings.plan.goalGrid = 'cele';
    writeJson(root, 'configs/sample/pack.json', manifest);
    expect(loadPack('sample', { root }).issues.map(formatIssue)).toEqual([]);

    delete manifest.bindings.plan.goalGrid;
    writeJson(root, 'configs/sample/pack.json', manifest);
    expect(loadPack('sample', { root }).issues.map(formatIssue)).toEqual([
      expect.stringContaining('configs/sample/pack.json:bindings.plan.columns.goal — field "cel" is not a column of datagrid "zadania"'),
    ]);
  });
});

describe('document templates', () => {
  it('carries DOCX templates as content (hashed, exported) and reports a missing file', () => {
    const root = sampleRoot();
    fs.mkdirSync(path.join(root, 'configs/sample/templates'), { recursive: true });
    fs.writeFileSync(path.join(root, 'configs/sample/templates/zgoda.docx'), Buffer.from('PK fake docx'));
    const manifest = readJson(root, 'configs/sample/pack.json') as { documents: Record<string, Record<string, unknown>> };
    manifest.documents.zgoda.file = 'templates/zgoda.docx';
    writeJson(root, 'configs/sample/pack.json', manifest);
    const res = loadPack('sample', { root });
    expect(res.issues.map(formatIssue)).toEqual([]);
    if (!res.ok) return;
    expect(res.pack.manifest.documents.zgoda.file).toBe('configs/sample/templates/zgoda.docx');
    expect(Buffer.from(res.pack.assets['configs/sample/templates/zgoda.docx'], 'base64').toString()).toBe('PK fake docx');

    manifest.documents.zgoda.file = 'templates/brak.docx';
    writeJson(root, 'configs/sample/pack.json', manifest);
    expect(loadPack('sample', { root }).issues.map(formatIssue)).toEqual([
      expect.stringContaining('configs/sample/pack.json:documents.zgoda.file — template file "configs/sample/templates/brak.docx" not found'),
    ]);
  });
});
