import { describe, expect, it } from 'vitest';
import { checkFlowDefinition } from './check-flow';

const ctx = { roles: new Set(['r']), forms: new Set(['f']), rules: new Set(['d']) };
const issuesOf = (flow: unknown) => checkFlowDefinition(flow, ctx).issues.map((i) => `${i.path}: ${i.message}`);

describe('flow graph checks', () => {
  it('follows nested states, onDone of a compound state, #id targets and always transitions', () => {
    const flow = {
      id: 'f',
      initial: 'a',
      states: {
        a: { on: { GO: '#etap-b' } },
        b: {
          id: 'etap-b',
          initial: 'b1',
          onDone: 'c',
          states: { b1: { always: { target: 'b2', guard: { type: 'consentActive' } } }, b2: { on: { DONE: 'b3' } }, b3: { type: 'final' } },
        },
        c: { on: { BACK: 'b.b2', END: 'z' } },
        z: { type: 'final' },
      },
    };
    expect(issuesOf(flow)).toEqual([]);
    const res = checkFlowDefinition(flow, ctx);
    expect([...res.statePaths]).toEqual(['a', 'b', 'b.b1', 'b.b2', 'b.b3', 'c', 'z']);
    expect([...res.events.keys()].sort()).toEqual(['BACK', 'DONE', 'END', 'GO']);
  });

  it('reports a compound state without a way out once its children finish, and bad targets', () => {
    const flow = {
      id: 'f',
      initial: 'a',
      states: {
        a: { on: { GO: 'b', JUMP: 'nowhere' } },
        b: { initial: 'b1', states: { b1: { on: { DONE: 'b2' } }, b2: { type: 'final' } } },
        z: { type: 'final' },
      },
    };
    expect(issuesOf(flow)).toEqual([
      'states.a.on.JUMP: target "nowhere" does not resolve to a state (from "a")',
      'states.z: state "z" is unreachable from the initial state',
      'states.a: no final state can be reached from state "a"',
      'states.b.states.b1: no final state can be reached from state "b.b1"',
      'states.b.states.b2: no final state can be reached from state "b.b2"',
    ]);
  });

  it('rejects root-relative targets without a dot, invoke, and wildcard events', () => {
    const flow = { id: 'f', initial: 'a', on: { STOP: 'z' }, invoke: { src: 'x' }, states: { a: { on: { '*': 'z' } }, z: { type: 'final' } } };
    expect(issuesOf(flow)).toEqual([
      'invoke: "invoke" is not allowed in flows',
      'states.a.on.*: event name "*" is not UPPER_SNAKE_CASE',
      'on.STOP: target "z" is not valid from the machine root',
    ]);
  });
});
