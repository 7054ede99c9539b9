import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from './issues';
import { loadAllPacks, loadPack, locatePacks } from './load';
import { renderPackSchema, SCHEMA_FILE } from './cli';

const ROOT = path.resolve(__dirname, '../..');
const BROKEN = path.join(__dirname, '__fixtures__/broken');

describe('pack validator', () => {
  it('accepts the sample pack and resolves its files', () => {
    const res = loadPack('sample', { root: ROOT });
    expect(res.issues.map(formatIssue)).toEqual([]);
    if (!res.ok) return;
    expect(res.pack.manifest.forms.plan.file).toBe('forms/sample/plan.json');
    expect(Object.keys(res.pack.forms).sort()).toEqual(['plan', 'protokol-spotkania', 'zgloszenie', 'zgoda']);
    expect(res.pack.lineage).toEqual(['sample@1.0.0']);
  });

  it('accepts every pack under configs/', () => {
    const all = loadAllPacks({ root: ROOT });
    expect(all.length).toBeGreaterThan(0);
    for (const { id, result } of all) expect({ id, issues: result.issues.map(formatIssue) }).toEqual({ id, issues: [] });
  });

  it('accepts the minimal fixture the broken ones are derived from', () => {
    const { root, ids } = locatePacks(path.join(__dirname, '__fixtures__/valid-mini'));
    expect(ids).toEqual(['mini']);
    expect(loadPack('mini', { root }).issues).toEqual([]);
  });

  it('keeps configs/pack.schema.json in step with the zod schema', () => {
    expect(fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8')).toBe(renderPackSchema());
  });
});

/** Each broken fixture, the pack that fails, and the one issue it must produce (file, path, message). */
const EXPECTED: Record<string, { pack?: string; file: string; path: string; message: string }> = {
  'unknown-permission': { file: 'configs/mini/pack.json', path: 'roles.pracownik.permissions[4]', message: 'unknown permission "case.fly"' },
  'bad-version': { file: 'configs/mini/pack.json', path: 'version', message: 'must be a semantic version such as "1.0.0"' },
  'unknown-guard': { file: 'flows/mini/sprawa.json', path: 'states.nowa.on.START.guard.type', message: 'unknown guard "isFullMoon"' },
  'bad-guard-params': { file: 'flows/mini/sprawa.json', path: 'states.nowa.on.START.guard.params', message: 'invalid params for guard "formSubmitted": Unrecognized key: "formKey"' },
  'unknown-action': { file: 'flows/mini/sprawa.json', path: 'states.trwa.on.KONIEC.actions[1].type', message: 'unknown action "sendSms"' },
  'unreachable-state': { file: 'flows/mini/sprawa.json', path: 'states.zapomniany', message: 'state "zapomniany" is unreachable from the initial state' },
  'no-path-to-final': { file: 'flows/mini/sprawa.json', path: 'states.petla', message: 'no final state can be reached from state "petla"' },
  'event-without-metadata': { file: 'flows/mini/sprawa.json', path: 'states.trwa.on.PAUZA', message: 'event "PAUZA" has no metadata in pack.json' },
  'event-declared-unused': { file: 'configs/mini/pack.json', path: 'flows.sprawa.events.ANULUJ', message: 'event "ANULUJ" is declared but never used' },
  'event-unknown-role': { file: 'configs/mini/pack.json', path: 'flows.sprawa.events.START.roles[0]', message: 'unknown role "dyrektor"' },
  'event-role-without-transition': { file: 'configs/mini/pack.json', path: 'flows.sprawa.events.KONIEC.roles[0]', message: 'role "koordynator" may not send events: it lacks the "case.transition" permission' },
  'team-event-without-team-manage': { file: 'configs/mini/pack.json', path: 'flows.sprawa.events.START.roles[0]', message: 'role "pracownik" may not change the case team (this event runs "addToTeam")' },
  'plan-form-without-plan-manage': { file: 'configs/mini/pack.json', path: 'forms.plan.fill[0]', message: 'role "koordynator" may not submit form "plan": it lacks the "plan.manage" permission' },
  'event-unknown-form': { file: 'configs/mini/pack.json', path: 'flows.sprawa.events.START.forms[0]', message: 'unknown form "ankieta"' },
  'duplicate-field-key': { file: 'forms/mini/plan.json', path: 'components[0].components[3].key', message: 'duplicate component key "zadanie"' },
  'custom-js-calculate': { file: 'forms/mini/wniosek.json', path: 'components[0].calculateValue', message: 'custom JavaScript is not allowed (calculateValue)' },
  'custom-conditional': { file: 'forms/mini/wniosek.json', path: 'components[1].customConditional', message: 'custom JavaScript is not allowed (customConditional)' },
  'validate-custom': { file: 'forms/mini/wniosek.json', path: 'components[0].validate.custom', message: 'custom JavaScript is not allowed (validate.custom)' },
  'unknown-dictionary': { file: 'forms/mini/wniosek.json', path: 'components[1].properties.dictionary', message: 'unknown dictionary "kolory"' },
  'unknown-data-source': { file: 'forms/mini/plan.json', path: 'components[0].components[1].properties.dataSource', message: 'unknown dataSource "gminy"' },
  'absolute-url-options': { file: 'forms/mini/wniosek.json', path: 'components[1].data.url', message: 'absolute URLs as option sources are not allowed' },
  'button-component': { file: 'forms/mini/wniosek.json', path: 'components[2].type', message: 'button components are not allowed' },
  'binding-unknown-column': { file: 'configs/mini/pack.json', path: 'bindings.plan.columns.task', message: 'form "plan" has no field "opis"' },
  'deadline-unknown-event': { file: 'configs/mini/pack.json', path: 'deadlines.przeglad.anchor.event', message: 'flow "sprawa" has no event "KONIEC_SWIATA"' },
  'deadline-anchor-not-date': { file: 'configs/mini/pack.json', path: 'deadlines.przeglad.anchor.field', message: 'field "opis" of form "wniosek" is a textarea, not a date' },
  'after-timer': { file: 'flows/mini/sprawa.json', path: 'states.trwa.after', message: '"after" is not allowed in flows' },
  'extends-range-mismatch': { pack: 'nowy', file: 'configs/nowy/pack.json', path: 'extends', message: 'base pack "mini" is version 1.0.0, which does not satisfy "^2.0.0"' },
  'role-key-not-unique': { file: 'configs/mini/pack.json', path: 'teamKinds.zespol.memberRoles.pracownik', message: 'role key "pracownik" is already used by roles.pracownik' },
  'missing-form-file': { file: 'forms/mini/ankieta.json', path: '(root)', message: 'form file not found' },
  'invalid-json': { file: 'flows/mini/sprawa.json', path: '(root)', message: 'not valid JSON' },
  'creator-role-unknown-staff-role': { file: 'configs/mini/pack.json', path: 'flows.sprawa.creatorRoleByStaffRole.kierownik', message: '"kierownik" is not a staff role of the pack' },
  'team-kind-not-case': { file: 'configs/mini/pack.json', path: 'flows.sprawa.teamKind', message: 'team kind "pzk" has scope "institutional", not "case"' },
};

describe('broken fixtures', () => {
  const cases = fs.readdirSync(BROKEN).sort();

  it('has at least 15 fixtures, each with an expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
    expect(cases).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(cases)('%s is rejected with its own message', (name) => {
    const exp = EXPECTED[name];
    const { root } = locatePacks(path.join(BROKEN, name));
    const res = loadPack(exp.pack ?? 'mini', { root });
    expect(res.ok).toBe(false);
    const match = res.issues.find((i) => i.file === exp.file && i.path === exp.path && i.message.includes(exp.message));
    expect(match, `expected ${exp.file}:${exp.path} — ${exp.message}\ngot:\n${res.issues.map(formatIssue).join('\n')}`).toBeDefined();
    expect(match!.hint.length).toBeGreaterThan(10);
    // Only this defect is reported (the fixture differs from valid-mini in one place).
    expect(new Set(res.issues.map((i) => `${i.file}:${i.path.replace(/\.params.*$/, '.params')}`)).size).toBe(1);
  });
});

describe('documentation', () => {
  it('lists every permission in configs/README.md and every guard and action in flows/README.md', async () => {
    const { PERMISSION_NAMES } = await import('./permissions');
    const { GUARD_NAMES, ACTION_NAMES } = await import('@/lib/flows/registry');
    const configs = fs.readFileSync(path.join(ROOT, 'configs/README.md'), 'utf8');
    const flows = fs.readFileSync(path.join(ROOT, 'flows/README.md'), 'utf8');
    for (const p of PERMISSION_NAMES) expect(configs, p).toContain(`\`${p}\``);
    for (const n of [...GUARD_NAMES, ...ACTION_NAMES]) expect(flows, n).toContain(`\`${n}\``);
  });
});
