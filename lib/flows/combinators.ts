import { and, not, or } from 'xstate';

/**
 * Flow JSON writes XState's guard combinators as data: `{ "type": "and", "guards": [...] }`,
 * `{ "type": "or", "guards": [...] }`, `{ "type": "not", "guard": … }`. XState v5 only has them as
 * functions (`and()`, `or()`, `not()`), so the JSON is turned into those before `createMachine`.
 */
type TJson = Record<string, unknown>;

function isObject(v: unknown): v is TJson {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// xstate's guard-argument types depend on the machine's generics; the JSON is checked by the pack
// validator, so the values built here are typed loosely on purpose.
type TGuardArg = Parameters<typeof not>[0];

export function compileGuard(guard: unknown): TGuardArg {
  if (isObject(guard)) {
    if (guard.type === 'and' && Array.isArray(guard.guards)) return and(guard.guards.map(compileGuard) as [TGuardArg]) as TGuardArg;
    if (guard.type === 'or' && Array.isArray(guard.guards)) return or(guard.guards.map(compileGuard) as [TGuardArg]) as TGuardArg;
    if (guard.type === 'not' && guard.guard !== undefined) return not(compileGuard(guard.guard)) as TGuardArg;
  }
  return guard as TGuardArg;
}

function compileTransition(t: unknown): unknown {
  if (Array.isArray(t)) return t.map(compileTransition);
  if (isObject(t) && t.guard !== undefined) return { ...t, guard: compileGuard(t.guard) };
  return t;
}

function compileTransitionMap(on: unknown): unknown {
  if (!isObject(on)) return on;
  return Object.fromEntries(Object.entries(on).map(([k, v]) => [k, compileTransition(v)]));
}

/** Returns a copy of a flow JSON config with guard combinators turned into XState guard functions. */
export function compileFlowConfig<T>(node: T): T {
  if (!isObject(node)) return node;
  const out: TJson = { ...node };
  if (out.on !== undefined) out.on = compileTransitionMap(out.on);
  if (out.always !== undefined) out.always = compileTransition(out.always);
  if (out.onDone !== undefined) out.onDone = compileTransition(out.onDone);
  if (isObject(out.states)) out.states = Object.fromEntries(Object.entries(out.states).map(([k, v]) => [k, compileFlowConfig(v)]));
  return out as T;
}
