import { setup } from 'xstate';
import { ACTIONS, GUARDS, GUARD_COMBINATORS, getActionEntry, getGuardEntry, type TRefKind } from '@/lib/flows/registry';
import { compileFlowConfig } from '@/lib/flows/combinators';
import { EVENT_PATTERN, STATE_PATTERN } from './schema';

/**
 * Static checks of one flow file (pure XState v5 JSON): allowed keys only (no timers, no invocations),
 * guards/actions known to the registry with valid params, targets that resolve, and the graph checks
 * (every state reachable from the initial state; a top-level final state reachable from every state).
 * Parallel states are approximated region by region (each region's leaves are vertices).
 */
export interface TFlowIssue {
  path: string;
  message: string;
  hint: string;
}

export interface TFlowRefContext {
  roles: ReadonlySet<string>;
  forms: ReadonlySet<string>;
  rules: ReadonlySet<string>;
  /** Values of the institution-types dictionary, when the pack binds one. */
  institutionTypes?: ReadonlySet<string>;
  closureReasons?: ReadonlySet<string>;
}

export interface TFlowCheckResult {
  issues: TFlowIssue[];
  /** Events used in `on` anywhere in the machine. */
  events: Map<string, string>;
  /** Every state path (`a`, `a.b`). */
  statePaths: Set<string>;
}

type TJson = Record<string, unknown>;
const isObject = (v: unknown): v is TJson => typeof v === 'object' && v !== null && !Array.isArray(v);

const ROOT_KEYS = new Set(['id', 'initial', 'states', 'on', 'always', 'context', 'description', 'type', 'entry', 'exit', 'meta', 'tags', 'onDone', 'version', 'output']);
const STATE_KEYS = new Set(['id', 'initial', 'states', 'on', 'always', 'description', 'type', 'entry', 'exit', 'meta', 'tags', 'onDone', 'output', 'history', 'target']);
const FORBIDDEN: Record<string, string> = {
  after: 'delayed transitions are not restored from persisted state: declare a deadline rule in pack.json and use scheduleDeadline',
  invoke: 'invoked actors do not survive a restart: use actions (effects run after the write commits)',
  delays: 'no timers in flows: use deadline rules',
  actors: 'no actors in flows',
  guards: 'guards are implemented in lib/flows/registry.ts; reference them by name',
  actions: 'actions are implemented in lib/flows/registry.ts; reference them by name in transitions/entry/exit',
};
const TRANSITION_KEYS = new Set(['target', 'guard', 'actions', 'reenter', 'description', 'meta']);

interface TNode {
  key: string;
  path: string[];
  jsonPath: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  initial?: string;
  children: Map<string, TNode>;
  parent?: TNode;
  raw: TJson;
}

interface TEdge {
  source: TNode;
  targets: string[];
  jsonPath: string;
  kind: 'on' | 'always' | 'onDone';
}

function pathLabel(n: TNode): string {
  return n.path.length === 0 ? '(root)' : n.path.join('.');
}

export function checkFlowDefinition(flow: unknown, ctx: TFlowRefContext): TFlowCheckResult {
  const issues: TFlowIssue[] = [];
  const events = new Map<string, string>();
  const statePaths = new Set<string>();
  const add = (path: string, message: string, hint: string) => issues.push({ path, message, hint });
  if (!isObject(flow)) {
    add('(root)', 'a flow file must contain one JSON object (an XState machine config)', 'start from flows/sample/sprawa.json');
    return { issues, events, statePaths };
  }
  const ids = new Map<string, TNode>();
  const edges: TEdge[] = [];

  const checkRefs = (kind: TRefKind, key: string, path: string) => {
    const known =
      kind === 'role' ? ctx.roles : kind === 'form' ? ctx.forms : kind === 'rule' ? ctx.rules : kind === 'institutionType' ? ctx.institutionTypes : ctx.closureReasons;
    if (!known) return; // institution types / closure reasons are only checked when the pack binds a dictionary
    if (!known.has(key)) {
      const what = { role: 'role', form: 'form', rule: 'deadline rule', institutionType: 'institution type', closureReason: 'closure reason' }[kind];
      const where = { role: '"roles" or a team kind\'s "memberRoles"', form: '"forms"', rule: '"deadlines"', institutionType: 'the institution-types dictionary', closureReason: 'the closure-reasons dictionary' }[kind];
      add(path, `unknown ${what} "${key}"`, `declare it in ${where} of pack.json or fix the name`);
    }
  };

  const checkParams = (kind: 'guard' | 'action', name: string, params: unknown, path: string) => {
    const entry = kind === 'guard' ? getGuardEntry(name) : getActionEntry(name);
    if (!entry) {
      const names = Object.keys(kind === 'guard' ? GUARDS : ACTIONS);
      add(`${path}.type`, `unknown ${kind} "${name}"`, `use one of: ${(kind === 'guard' ? [...names, ...GUARD_COMBINATORS] : names).join(', ')}`);
      return;
    }
    const parsed = entry.params.safeParse(params ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const sub = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
        add(`${path}.params${sub}`, `invalid params for ${kind} "${name}": ${issue.message}`, `see the ${kind} "${name}" in lib/flows/registry.ts: ${entry.doc}`);
      }
      return;
    }
    for (const ref of entry.refs?.(parsed.data) ?? []) checkRefs(ref.kind, ref.key, `${path}.params.${ref.path}`);
  };

  const checkGuard = (g: unknown, path: string) => {
    if (typeof g === 'string') return checkParams('guard', g, undefined, path);
    if (!isObject(g) || typeof g.type !== 'string') return add(path, 'a guard must be a name or { "type", "params" }', 'e.g. { "type": "formSubmitted", "params": { "form": "zgoda" } }');
    if (g.type === 'and' || g.type === 'or') {
      if (!Array.isArray(g.guards) || g.guards.length === 0) return add(`${path}.guards`, `"${g.type}" needs a non-empty "guards" array`, `e.g. { "type": "${g.type}", "guards": [ … ] }`);
      g.guards.forEach((sub, i) => checkGuard(sub, `${path}.guards[${i}]`));
      return;
    }
    if (g.type === 'not') {
      if (g.guard === undefined) return add(`${path}.guard`, '"not" needs a "guard"', 'e.g. { "type": "not", "guard": { "type": "consentActive" } }');
      return checkGuard(g.guard, `${path}.guard`);
    }
    checkParams('guard', g.type, g.params, path);
  };

  const checkActions = (a: unknown, path: string) => {
    if (Array.isArray(a)) return a.forEach((x, i) => checkActions(x, `${path}[${i}]`));
    if (typeof a === 'string') return checkParams('action', a, undefined, path);
    if (!isObject(a) || typeof a.type !== 'string') return add(path, 'an action must be a name or { "type", "params" }', 'e.g. { "type": "scheduleDeadline", "params": { "rule": "przeglad-planu" } }');
    checkParams('action', a.type, a.params, path);
  };

  const readTargets = (t: unknown): string[] | null => {
    if (t === undefined) return [];
    if (typeof t === 'string') return [t];
    if (Array.isArray(t) && t.every((x) => typeof x === 'string')) return t as string[];
    return null;
  };

  const checkTransitionList = (source: TNode, raw: unknown, path: string, kind: TEdge['kind']) => {
    const list = Array.isArray(raw) ? raw.map((t, i) => ({ t, p: `${path}[${i}]` })) : [{ t: raw, p: path }];
    for (const { t, p } of list) {
      if (typeof t === 'string') {
        edges.push({ source, targets: [t], jsonPath: p, kind });
        continue;
      }
      if (!isObject(t)) {
        add(p, 'a transition must be a target string or an object', 'e.g. { "target": "zgoda", "guard": …, "actions": [ … ] }');
        continue;
      }
      for (const k of Object.keys(t)) if (!TRANSITION_KEYS.has(k)) add(`${p}.${k}`, `unknown transition property "${k}"`, `use only: ${[...TRANSITION_KEYS].join(', ')}`);
      const targets = readTargets(t.target);
      if (targets === null) add(`${p}.target`, 'target must be a string or an array of strings', 'e.g. "target": "realizacja"');
      else edges.push({ source, targets, jsonPath: p, kind });
      if (t.guard !== undefined) checkGuard(t.guard, `${p}.guard`);
      if (t.actions !== undefined) checkActions(t.actions, `${p}.actions`);
    }
  };

  const build = (raw: TJson, key: string, path: string[], jsonPath: string, parent: TNode | undefined): TNode => {
    const allowed = parent ? STATE_KEYS : ROOT_KEYS;
    for (const k of Object.keys(raw)) {
      if (FORBIDDEN[k]) add(`${jsonPath === '' ? '' : jsonPath + '.'}${k}`, `"${k}" is not allowed in flows`, FORBIDDEN[k]);
      else if (!allowed.has(k)) add(`${jsonPath === '' ? '' : jsonPath + '.'}${k}`, `unknown state property "${k}"`, `XState JSON keys allowed here: ${[...allowed].join(', ')}`);
    }
    const states = isObject(raw.states) ? raw.states : undefined;
    const hasChildren = states !== undefined && Object.keys(states).length > 0;
    const declared = raw.type;
    if (declared !== undefined && !['atomic', 'compound', 'parallel', 'final', 'history'].includes(String(declared))) {
      add(`${jsonPath ? jsonPath + '.' : ''}type`, `unknown state type ${JSON.stringify(declared)}`, 'use "final" (or "parallel"); other types are inferred');
    }
    const type: TNode['type'] = declared === 'final' ? 'final' : declared === 'parallel' ? 'parallel' : declared === 'history' ? 'history' : hasChildren ? 'compound' : 'atomic';
    const node: TNode = { key, path, jsonPath, type, initial: typeof raw.initial === 'string' ? raw.initial : undefined, children: new Map(), parent, raw };
    const jp = (k: string) => (jsonPath ? `${jsonPath}.${k}` : k);
    if (path.length > 0) statePaths.add(path.join('.'));
    if (typeof raw.id === 'string' && parent) ids.set(raw.id, node);
    if (type === 'final' && hasChildren) add(jp('states'), 'a final state cannot have child states', 'move the children into a compound state');
    if (type === 'compound') {
      if (!node.initial) add(jp('initial'), `state "${pathLabel(node)}" has child states but no "initial"`, `set "initial" to one of: ${Object.keys(states!).join(', ')}`);
      else if (!(node.initial in states!)) add(jp('initial'), `initial state "${node.initial}" does not exist`, `use one of: ${Object.keys(states!).join(', ')}`);
    }
    if (states) {
      for (const [childKey, childRaw] of Object.entries(states)) {
        const childPath = jp(`states.${childKey}`);
        if (!STATE_PATTERN.test(childKey)) add(childPath, `state key "${childKey}" is not a valid machine key`, 'use letters, digits, "_" or "-", starting with a letter (no dots)');
        if (!isObject(childRaw)) {
          add(childPath, 'a state must be an object', 'use {} for a simple state or { "type": "final" } for an end state');
          continue;
        }
        node.children.set(childKey, build(childRaw, childKey, [...path, childKey], childPath, node));
      }
    }
    if (raw.on !== undefined) {
      if (!isObject(raw.on)) add(jp('on'), '"on" must be an object of EVENT → transition', 'e.g. "on": { "AKCEPTACJA": "zgoda" }');
      else
        for (const [ev, t] of Object.entries(raw.on)) {
          const p = jp(`on.${ev}`);
          if (!EVENT_PATTERN.test(ev)) add(p, `event name "${ev}" is not UPPER_SNAKE_CASE`, 'name events like "IPW_PRZYJETY"; wildcards and xstate.* events are not allowed');
          else if (!events.has(ev)) events.set(ev, p);
          checkTransitionList(node, t, p, 'on');
        }
    }
    if (raw.always !== undefined) checkTransitionList(node, raw.always, jp('always'), 'always');
    if (raw.onDone !== undefined) checkTransitionList(node, raw.onDone, jp('onDone'), 'onDone');
    if (raw.entry !== undefined) checkActions(raw.entry, jp('entry'));
    if (raw.exit !== undefined) checkActions(raw.exit, jp('exit'));
    return node;
  };

  const root = build(flow, '', [], '', undefined);
  if (typeof flow.id !== 'string' || flow.id === '') add('id', 'the machine has no "id"', 'set "id" to the flow key');
  // XState resolves `#<machine id>.<path>` against the root; register it like any other state id.
  else if (!ids.has(flow.id)) ids.set(flow.id, root);
  if (root.type !== 'compound') {
    add('states', 'the machine has no states', 'add "initial" and "states"');
    return { issues, events, statePaths };
  }

  const descend = (from: TNode, rest: string[]): TNode | undefined => {
    let cur: TNode | undefined = from;
    for (const seg of rest) cur = cur?.children.get(seg);
    return cur;
  };
  const resolveTarget = (source: TNode, target: string): TNode | undefined | 'root-sibling' => {
    if (target.startsWith('#')) {
      const [id, ...rest] = target.slice(1).split('.');
      const n = ids.get(id);
      return n ? descend(n, rest) : undefined;
    }
    if (target.startsWith('.')) return descend(source, target.slice(1).split('.'));
    if (!source.parent) return 'root-sibling';
    return descend(source.parent, target.split('.'));
  };

  const entryLeaves = (n: TNode): TNode[] => {
    if (n.type === 'compound') {
      const child = n.initial ? n.children.get(n.initial) : undefined;
      return child ? entryLeaves(child) : [];
    }
    if (n.type === 'parallel') return [...n.children.values()].flatMap(entryLeaves);
    return [n];
  };

  const adjacency = new Map<TNode, Set<TNode>>();
  const leaves: TNode[] = [];
  const collect = (n: TNode) => {
    if (n.children.size === 0) leaves.push(n);
    n.children.forEach(collect);
  };
  collect(root);
  const link = (from: TNode, to: TNode) => {
    if (!adjacency.has(from)) adjacency.set(from, new Set());
    adjacency.get(from)!.add(to);
  };
  const isAncestorOrSelf = (a: TNode, b: TNode) => {
    for (let c: TNode | undefined = b; c; c = c.parent) if (c === a) return true;
    return false;
  };
  for (const e of edges) {
    for (const t of e.targets) {
      const r = resolveTarget(e.source, t);
      if (r === 'root-sibling') {
        add(e.jsonPath, `target "${t}" is not valid from the machine root`, `use ".${t}" for a top-level state`);
        continue;
      }
      if (!r) {
        add(e.jsonPath, `target "${t}" does not resolve to a state (from "${pathLabel(e.source)}")`, 'use a sibling key, ".child", "sibling.child" or "#id.child"');
        continue;
      }
      const targetLeaves = entryLeaves(r);
      // A transition defined on a compound/parallel state applies to every leaf inside it; onDone fires
      // from the final children of that state.
      const sources = e.kind === 'onDone' ? leaves.filter((l) => l.type === 'final' && l.parent === e.source) : leaves.filter((l) => isAncestorOrSelf(e.source, l));
      for (const s of sources) for (const tl of targetLeaves) link(s, tl);
    }
  }

  // Reachability from the initial configuration.
  const start = entryLeaves(root);
  const seen = new Set<TNode>(start);
  const queue = [...start];
  while (queue.length) {
    const n = queue.shift()!;
    for (const m of adjacency.get(n) ?? []) {
      if (seen.has(m)) continue;
      seen.add(m);
      queue.push(m);
    }
  }
  const reachedPaths = new Set<TNode>();
  for (const l of seen) for (let c: TNode | undefined = l; c; c = c.parent) reachedPaths.add(c);
  const all: TNode[] = [];
  const gather = (n: TNode) => (all.push(n), n.children.forEach(gather));
  gather(root);
  for (const n of all) {
    if (n === root || reachedPaths.has(n)) continue;
    if (n.parent && !reachedPaths.has(n.parent)) continue; // report only the outermost unreachable state
    add(n.jsonPath, `state "${pathLabel(n)}" is unreachable from the initial state`, 'add a transition that targets it or remove it');
  }

  // A top-level final state must be reachable from every reachable leaf.
  const finals = leaves.filter((l) => l.type === 'final' && l.parent === root);
  if (finals.length === 0) {
    add('states', 'the machine has no top-level final state', 'add an end state such as "zakonczona": { "type": "final" }');
  } else {
    const reverse = new Map<TNode, Set<TNode>>();
    adjacency.forEach((tos, from) =>
      tos.forEach((to) => {
        if (!reverse.has(to)) reverse.set(to, new Set());
        reverse.get(to)!.add(from);
      }),
    );
    const canFinish = new Set<TNode>(finals);
    const q = [...finals];
    while (q.length) {
      const n = q.shift()!;
      for (const m of reverse.get(n) ?? []) {
        if (canFinish.has(m)) continue;
        canFinish.add(m);
        q.push(m);
      }
    }
    for (const l of leaves) {
      if (!seen.has(l) || canFinish.has(l)) continue;
      add(l.jsonPath, `no final state can be reached from state "${pathLabel(l)}"`, 'add a transition out of it (or out of an enclosing state) that leads to an end state');
    }
  }

  // Last line of defence: XState itself must accept the machine (targets, ids, structure).
  if (issues.length === 0) {
    try {
      const alwaysTrue = () => true;
      const noop = () => undefined;
      setup({
        guards: Object.fromEntries(Object.keys(GUARDS).map((g) => [g, alwaysTrue])),
        actions: Object.fromEntries(Object.keys(ACTIONS).map((a) => [a, noop])),
        // The JSON was checked above; XState's config generics cannot describe untyped JSON.
      }).createMachine(compileFlowConfig(flow) as never);
    } catch (err) {
      add('(root)', `XState rejects the machine: ${(err as Error).message}`, 'fix the state/target named in the message');
    }
  }
  return { issues, events, statePaths };
}
