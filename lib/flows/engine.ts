import jsonLogic from 'json-logic-js';
import { assign, setup, transition, initialTransition, type AnyStateMachine, type MachineSnapshot } from 'xstate';
import { compileFlowConfig } from './combinators';
import { ACTION_NAMES } from './registry';

/**
 * The flow engine: pure functions over persisted `{ value, context }`. Guards read precomputed facts
 * carried on the event (XState guards are synchronous), actions are not executed here: they come back as
 * effects that the case runtime stores with the state change and runs after the write commits.
 * No timers, no actors: `after` and `invoke` are refused by the pack validator.
 */

export interface TFlowFacts {
  /** Staff roles of the sender valid for this case plus its case-team member roles. */
  senderRoles: string[];
  /** Latest submitted data per form key. */
  submitted: Record<string, Record<string, unknown>>;
  /** When the latest version of each form was submitted (ISO). */
  submittedAt?: Record<string, string>;
  /** When the case entered its current state (ISO). */
  stateEnteredAt?: string;
  consentActive: boolean;
  teamInstitutionTypes: string[];
  /** Pending deadlines of the case by rule key. */
  deadlines: Record<string, { dueAt: string }>;
  now: string;
}

export interface TFlowEvent {
  type: string;
  facts: TFlowFacts;
  payload?: Record<string, unknown>;
}

export interface TPersistedState {
  value: unknown;
  context: Record<string, unknown>;
}

export interface TFlowAction {
  type: string;
  params: Record<string, unknown>;
}

type TGuardArgs = { event: TFlowEvent };

const guards = {
  senderHasRole: ({ event }: TGuardArgs, p: { roles: string[] }) => p.roles.some((r) => event.facts.senderRoles.includes(r)),
  formSubmitted: ({ event }: TGuardArgs, p: { form: string; since?: 'state' }) => {
    if (event.facts.submitted[p.form] === undefined) return false;
    if (p.since !== 'state') return true;
    const at = event.facts.submittedAt?.[p.form];
    return Boolean(at && (!event.facts.stateEnteredAt || at >= event.facts.stateEnteredAt));
  },
  consentActive: ({ event }: TGuardArgs) => event.facts.consentActive,
  jsonLogic: ({ event }: TGuardArgs, p: { form: string; rule: jsonLogic.RulesLogic }) => {
    const data = event.facts.submitted[p.form];
    return data !== undefined && Boolean(jsonLogic.apply(p.rule, data));
  },
  teamHasInstitutionType: ({ event }: TGuardArgs, p: { types: string[] }) => p.types.some((t) => event.facts.teamInstitutionTypes.includes(t)),
  deadlineNotPassed: ({ event }: TGuardArgs, p: { rule: string }) => {
    const d = event.facts.deadlines[p.rule];
    return !d || d.dueAt > event.facts.now;
  },
};

// Every registry name must have an implementation here; a test checks both lists match.
export const IMPLEMENTED_GUARDS = Object.keys(guards);

const noop = () => {};

const CACHE = Symbol.for('kooperacja.machineCache');
type G = typeof globalThis & { [CACHE]?: Map<string, AnyStateMachine> };

/** Builds (and caches per immutable pack version) the machine of a flow JSON. */
export function getMachine(cacheKey: string, flowJson: unknown): AnyStateMachine {
  const g = globalThis as G;
  const cache = (g[CACHE] ??= new Map());
  let m = cache.get(cacheKey);
  if (!m) {
    const actions: Record<string, unknown> = Object.fromEntries(ACTION_NAMES.map((n) => [n, noop]));
    // setContext is the one action that changes the machine itself: plain JSON values into the context.
    actions.setContext = assign((_: unknown, params: { values: Record<string, unknown> }) => params.values);
    m = setup({
      // xstate's setup() generics cannot express "any event with facts"; the guards are typed above.
      guards: guards as never,
      actions: actions as never,
    }).createMachine(compileFlowConfig(flowJson) as never);
    cache.set(cacheKey, m);
  }
  return m;
}

function toEffects(actions: { type: string; params?: unknown }[]): TFlowAction[] {
  return actions
    .filter((a) => (ACTION_NAMES as string[]).includes(a.type) && a.type !== 'setContext')
    .map((a) => ({ type: a.type, params: (a.params ?? {}) as Record<string, unknown> }));
}

export function initialState(machine: AnyStateMachine): { state: TPersistedState; actions: TFlowAction[] } {
  const [snap, actions] = initialTransition(machine);
  return { state: { value: snap.value, context: snap.context ?? {} }, actions: toEffects(actions) };
}

function resolve(machine: AnyStateMachine, state: TPersistedState): MachineSnapshot<never, never, never, never, never, never, never, never> {
  return machine.resolveState({ value: state.value as never, context: state.context as never }) as never;
}

/**
 * Steps the machine. `changed` is false when no transition was enabled (unknown event in this state or a
 * guard failed) — the caller answers with a clear error then.
 */
export function step(machine: AnyStateMachine, state: TPersistedState, event: TFlowEvent): { changed: boolean; state: TPersistedState; actions: TFlowAction[]; done: boolean } {
  const snap = resolve(machine, state);
  if (!snap.can(event as never)) return { changed: false, state, actions: [], done: snap.status === 'done' };
  const [next, actions] = transition(machine, snap as never, event as never);
  return { changed: true, state: { value: next.value, context: (next.context ?? {}) as Record<string, unknown> }, actions: toEffects(actions as never), done: next.status === 'done' };
}

/** Whether the event is enabled now (its transition exists in the current state and its guards pass). */
export function canSend(machine: AnyStateMachine, state: TPersistedState, event: TFlowEvent): boolean {
  return resolve(machine, state).can(event as never);
}

/** Dotted paths of the active leaf and ancestor states (e.g. `realizacja`, `realizacja.przeglad`). */
export function statePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
      const here = prefix ? `${prefix}.${k}` : k;
      return [here, ...statePaths(v, here)];
    });
  }
  return [];
}

