/**
 * The packs carry the models as written: every label of the source templates (configs/<id>/source-labels.json,
 * taken from the domain's §7 tables) occurs in its form, and every state and transition of the model's
 * tables (configs/<id>/source-flow.json) exists in the flows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type TJson = Record<string, unknown>;
const CONFIGS = path.join(process.cwd(), 'configs');
const packs = fs.readdirSync(CONFIGS).filter((id) => fs.existsSync(path.join(CONFIGS, id, 'source-labels.json')) || fs.existsSync(path.join(CONFIGS, id, 'source-flow.json')));

/** Every text a user sees in a form: labels, titles, legends, option labels, column headers, HTML content. */
function formTexts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => formTexts(n, out));
  else if (node && typeof node === 'object') {
    const o = node as TJson;
    for (const k of ['label', 'title', 'legend', 'content', 'html', 'description', 'tooltip', 'placeholder', 'prefix', 'suffix']) if (typeof o[k] === 'string') out.push(o[k] as string);
    Object.values(o).forEach((v) => formTexts(v, out));
  }
  return out;
}

const norm = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim().toLowerCase();

interface TFlowIndex {
  /** Dotted paths of every state. */
  paths: string[];
  /** [source path, event, resolved target path] for every transition (targetless: the source itself). */
  transitions: [string, string, string][];
}

function indexFlow(flow: TJson): TFlowIndex {
  const paths: string[] = [];
  const ids = new Map<string, string>();
  const raw: [string, string, string | undefined][] = [];
  const walk = (node: TJson, p: string) => {
    if (p) paths.push(p);
    if (typeof node.id === 'string') ids.set(node.id, p);
    for (const [ev, t] of Object.entries((node.on as TJson) ?? {})) {
      for (const tr of Array.isArray(t) ? t : [t]) {
        const target = typeof tr === 'string' ? tr : (tr as TJson | undefined)?.target;
        for (const tg of Array.isArray(target) ? target : [target]) raw.push([p, ev, tg === undefined ? undefined : String(tg)]);
      }
    }
    for (const [k, child] of Object.entries((node.states as TJson) ?? {})) walk(child as TJson, p ? `${p}.${k}` : k);
  };
  walk(flow, '');
  const parent = (p: string) => (p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '');
  const join = (a: string, b: string) => (a && b ? `${a}.${b}` : a || b);
  const resolve = (src: string, tg: string | undefined): string => {
    if (tg === undefined) return src;
    if (tg.startsWith('#')) {
      const [id, ...rest] = tg.slice(1).split('.');
      return join(ids.get(id) ?? id, rest.join('.'));
    }
    if (tg.startsWith('.')) return join(src, tg.slice(1));
    return join(parent(src), tg);
  };
  return { paths, transitions: raw.map(([src, ev, tg]) => [src, ev, resolve(src, tg)]) };
}

const last = (s: string) => s.split('.').at(-1)!;
const ROOT = new Set(['(root)', '*', 'any', '']);
/** Paths of the flow that a state named in the model's table stands for (full path or its last key). */
const pathsOf = (idx: TFlowIndex, s: string) => idx.paths.filter((p) => p === s || p.endsWith(`.${s}`) || last(p) === last(s));
const matchesState = (idx: TFlowIndex, s: string) => pathsOf(idx, s).length > 0;
/** Entering `a.b.c` also enters `a.b` and `a`. */
const enters = (resolved: string, to: string) => resolved === to || resolved.split('.').includes(last(to)) || resolved.endsWith(`.${to}`);

function flowJson(packId: string, flowKey: string): TJson {
  const manifest = JSON.parse(fs.readFileSync(path.join(CONFIGS, packId, 'pack.json'), 'utf8')) as { flows: Record<string, { file?: string }> };
  const file = manifest.flows[flowKey]?.file ?? `${flowKey}.json`;
  return JSON.parse(fs.readFileSync(path.join(process.cwd(), 'flows', packId, file), 'utf8')) as TJson;
}

function checkFlow(packId: string, spec: { flow: string; states: string[]; transitions: { from: string; event: string; to: string }[] }): string[] {
  const idx = indexFlow(flowJson(packId, spec.flow));
  const missing: string[] = [];
  for (const s of spec.states) if (!matchesState(idx, s)) missing.push(`state ${s}`);
  for (const t of spec.transitions) {
    const froms = ROOT.has(t.from) ? [''] : pathsOf(idx, t.from);
    const found = idx.transitions.some(([src, ev, resolved]) => {
      if (ev !== t.event) return false;
      // Declared on the state, on an ancestor ("any active state → …") or on one of its sub-states.
      const fromOk = froms.length === 0 || froms.some((f) => src === '' || f === src || f.startsWith(`${src}.`) || src.startsWith(`${f}.`));
      const toOk = ROOT.has(t.to) ? resolved === src : enters(resolved, t.to) || (t.to === t.from && resolved === src);
      return fromOk && toOk;
    });
    if (!found) missing.push(`transition ${t.from} --${t.event}--> ${t.to}`);
  }
  return missing;
}

describe.each(packs)('pack %s against its source', (packId) => {
  const labelsFile = path.join(CONFIGS, packId, 'source-labels.json');
  const flowFile = path.join(CONFIGS, packId, 'source-flow.json');

  it.runIf(fs.existsSync(labelsFile))('every label of the source templates occurs in its form', () => {
    const spec = JSON.parse(fs.readFileSync(labelsFile, 'utf8')) as Record<string, { labels: string[] }>;
    const missing: string[] = [];
    for (const [formKey, { labels }] of Object.entries(spec)) {
      const form = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'forms', packId, `${formKey}.json`), 'utf8'));
      const texts = formTexts(form).map(norm);
      for (const l of labels) if (!texts.some((t) => t.includes(norm(l)))) missing.push(`${formKey}: ${l}`);
    }
    expect(missing).toEqual([]);
  });

  it.runIf(fs.existsSync(flowFile))('every state and transition of the model’s tables exists in the flows', () => {
    const spec = JSON.parse(fs.readFileSync(flowFile, 'utf8')) as { flow: string; states: string[]; transitions: { from: string; event: string; to: string }[]; implementation?: { flow: string; states: string[]; transitions: { from: string; event: string; to: string }[] } };
    expect(checkFlow(packId, spec)).toEqual([]);
    if (spec.implementation) expect(checkFlow(packId, spec.implementation)).toEqual([]);
  });
});
