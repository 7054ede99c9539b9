import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialTransition, setup, transition } from 'xstate';
import { compileFlowConfig } from './combinators';
import { ACTION_NAMES, ACTIONS, GUARD_NAMES, GUARDS, getActionEntry, getGuardEntry } from './registry';

describe('flow registry', () => {
  it('declares at least the guards and actions the packs rely on, each with params schema and docs', () => {
    expect(GUARD_NAMES).toEqual(expect.arrayContaining(['senderHasRole', 'formSubmitted', 'consentActive', 'jsonLogic', 'teamHasInstitutionType', 'deadlineNotPassed']));
    expect(ACTION_NAMES).toEqual(expect.arrayContaining(['createTask', 'scheduleDeadline', 'cancelDeadline', 'notifyRole', 'setCoordinator', 'addToTeam', 'removeFromTeam', 'closeCase']));
    for (const e of [...Object.values(GUARDS), ...Object.values(ACTIONS)]) expect(e.doc.length).toBeGreaterThan(10);
  });

  it('validates params and lists the pack keys they reference', () => {
    const g = getGuardEntry('senderHasRole')!;
    expect(g.params.safeParse({ roles: [] }).success).toBe(false);
    expect(g.params.safeParse({ roles: ['koordynator'], extra: 1 }).success).toBe(false);
    const p = g.params.parse({ roles: ['koordynator', 'czlonek'] });
    expect(g.refs!(p)).toEqual([
      { kind: 'role', key: 'koordynator', path: 'roles[0]' },
      { kind: 'role', key: 'czlonek', path: 'roles[1]' },
    ]);
    expect(getActionEntry('createTask')!.params.safeParse({ title: { pl: 'Zadanie' }, due: '14 dni' }).success).toBe(false);
    expect(getActionEntry('toString')).toBeUndefined();
  });

  it('turns JSON and/or/not guards into XState combinators that evaluate correctly', () => {
    const flow = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../flows/sample/sprawa.json'), 'utf8'));
    const submitted = new Set<string>();
    let isCoordinator = false;
    const machine = setup({
      guards: {
        ...Object.fromEntries(Object.keys(GUARDS).map((k) => [k, () => true])),
        formSubmitted: (_: unknown, params: { form: string }) => submitted.has(params.form),
        senderHasRole: () => isCoordinator,
        deadlineNotPassed: () => true,
      },
      actions: Object.fromEntries(Object.keys(ACTIONS).map((k) => [k, () => undefined])),
    }).createMachine(compileFlowConfig(flow) as never);
    let [s] = initialTransition(machine);
    [s] = transition(machine, s, { type: 'PRZYJMIJ' });
    expect(s.value).toBe('zgloszenie'); // and(formSubmitted, jsonLogic) fails: no submission yet
    submitted.add('zgloszenie');
    [s] = transition(machine, s, { type: 'PRZYJMIJ' });
    expect(s.value).toBe('ocena');
    submitted.add('zgoda');
    [s] = transition(machine, s, { type: 'ZGODA_PODPISANA' });
    submitted.add('plan');
    isCoordinator = true;
    [s] = transition(machine, s, { type: 'PLAN_PRZYJETY' });
    expect(s.value).toEqual({ realizacja: 'biezaca' });
    isCoordinator = false;
    [s] = transition(machine, s, { type: 'ZAKONCZ' });
    expect(s.value).toEqual({ realizacja: 'biezaca' }); // or(senderHasRole, not(deadlineNotPassed)) is false
    isCoordinator = true;
    [s] = transition(machine, s, { type: 'ZAKONCZ' });
    expect(s.value).toBe('zakonczona');
    expect(s.status).toBe('done');
  });
});
