import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, GUARD_NAMES } from './registry';
import { canSend, getMachine, initialState, IMPLEMENTED_GUARDS, statePaths, step, type TFlowFacts } from './engine';

const flow = JSON.parse(fs.readFileSync('flows/sample/sprawa.json', 'utf8'));
const machine = getMachine('test:sample@sprawa', flow);
const facts = (over: Partial<TFlowFacts> = {}): TFlowFacts => ({ senderRoles: [], submitted: {}, consentActive: false, teamInstitutionTypes: [], deadlines: {}, now: new Date().toISOString(), ...over });

describe('flow engine', () => {
  it('implements every guard of the registry', () => {
    expect([...IMPLEMENTED_GUARDS].sort()).toEqual([...GUARD_NAMES].sort());
    expect(ACTION_NAMES).toContain('createTask');
  });

  it('starts in the initial state and steps only when guards pass', () => {
    const { state } = initialState(machine);
    expect(state.value).toBe('zgloszenie');
    const refused = step(machine, state, { type: 'PRZYJMIJ', facts: facts() });
    expect(refused.changed).toBe(false);
    const ok = step(machine, state, { type: 'PRZYJMIJ', facts: facts({ submitted: { zgloszenie: { opisSytuacji: 'Opis' } } }) });
    expect(ok.changed).toBe(true);
    expect(ok.state.value).toBe('ocena');
    expect(ok.actions).toEqual([{ type: 'createTask', params: expect.objectContaining({ role: 'pracownik-socjalny', due: 'P14D' }) }]);
  });

  it('evaluates combinators and JSON-logic over submitted data', () => {
    const s = { value: 'zgloszenie', context: {} };
    expect(canSend(machine, s, { type: 'PRZYJMIJ', facts: facts({ submitted: { zgloszenie: { opisSytuacji: '' } } }) })).toBe(false);
    const planning = { value: 'planowanie', context: {} };
    const base = { senderRoles: ['koordynator'], submitted: { plan: {} } };
    expect(canSend(machine, planning, { type: 'PLAN_PRZYJETY', facts: facts({ ...base, teamInstitutionTypes: ['szkola'] }) })).toBe(false);
    expect(canSend(machine, planning, { type: 'PLAN_PRZYJETY', facts: facts({ ...base, teamInstitutionTypes: ['ops'] }) })).toBe(true);
  });

  it('covers every path of the sample flow: each state reachable, each final state reachable', () => {
    const all = facts({ senderRoles: ['koordynator', 'pracownik-socjalny', 'kierownik-ops'], submitted: { zgloszenie: { opisSytuacji: 'x' }, zgoda: {}, plan: {} }, consentActive: true, teamInstitutionTypes: ['ops'] });
    const events = ['PRZYJMIJ', 'ODRZUC', 'ZGODA_PODPISANA', 'WYZNACZ_KOORDYNATORA', 'PLAN_PRZYJETY', 'ROZPOCZNIJ_PRZEGLAD', 'PLAN_ZAKTUALIZOWANY', 'ZAKONCZ', 'REZYGNACJA'];
    const seen = new Set<string>();
    const finals = new Set<string>();
    const queue = [initialState(machine).state];
    while (queue.length) {
      const s = queue.shift()!;
      const key = JSON.stringify(s.value);
      if (seen.has(key)) continue;
      seen.add(key);
      for (const type of events) {
        const r = step(machine, s, { type, facts: all });
        if (!r.changed) continue;
        if (r.done) finals.add(JSON.stringify(r.state.value));
        queue.push(r.state);
      }
    }
    expect([...seen].map((v) => statePaths(JSON.parse(v)).at(-1))).toEqual(expect.arrayContaining(['zgloszenie', 'ocena', 'planowanie', 'realizacja.biezaca', 'realizacja.przeglad', 'zakonczona', 'odrzucona', 'rezygnacja']));
    expect(finals).toEqual(new Set(['"zakonczona"', '"odrzucona"', '"rezygnacja"']));
  });

  it('with since: "state", accepts only a form submitted after the case entered its state', () => {
    const m = getMachine('test:since', { id: 'x', initial: 'a', states: { a: { on: { GO: { target: 'b', guard: { type: 'formSubmitted', params: { form: 'f', since: 'state' } } } } }, b: { type: 'final' } } });
    const base = facts({ submitted: { f: {} }, stateEnteredAt: '2026-01-10T00:00:00.000Z' });
    expect(step(m, { value: 'a', context: {} }, { type: 'GO', facts: { ...base, submittedAt: { f: '2026-01-09T00:00:00.000Z' } } }).changed).toBe(false);
    expect(step(m, { value: 'a', context: {} }, { type: 'GO', facts: { ...base, submittedAt: { f: '2026-01-11T00:00:00.000Z' } } }).changed).toBe(true);
  });

  it('applies setContext to the persisted context', () => {
    const r = step(machine, { value: { realizacja: 'przeglad' }, context: {} }, { type: 'PLAN_ZAKTUALIZOWANY', facts: facts({ submitted: { plan: {} } }) });
    expect(r.state.context).toEqual({ ostatniPrzeglad: true });
    expect(r.actions).toEqual([]);
  });
});
