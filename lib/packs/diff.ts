import { checkFormDefinition, type TFormField } from '@/lib/forms/check-form';
import { toCanonicalJson } from './bundle';
import { getLabelText, type TLabel } from './schema';
import { PERMISSIONS, isPermission } from './permissions';
import type { TResolvedPack } from './validate';

/**
 * What changed between two resolved packs, in terms a ROPS administrator reads: forms (down to fields:
 * label, type, required), flow states and events, roles, deadline rules, dictionaries, and the rest of
 * the manifest by key. Pure; `formatDiff` renders Polish or English lines.
 */
export type TDiffArea = 'pack' | 'form' | 'field' | 'flow' | 'state' | 'event' | 'role' | 'permission' | 'teamKind' | 'rule' | 'dictionary' | 'option' | 'binding' | 'indicator' | 'document' | 'label';

export interface TDiffEntry {
  change: 'added' | 'removed' | 'changed';
  area: TDiffArea;
  /** Where: e.g. `plan` (form), `plan/zadanie` (field), `sprawa/realizacja.przeglad` (state). */
  key: string;
  /** Display names for the entity (`permission`: the role's label; `field`: the form's title and field label). */
  names?: { owner?: string; item?: string };
  /** For `changed`: what changed, as [property, before, after]. */
  changes?: Array<[string, string, string]>;
}

type TLang = 'pl' | 'en';
type TJson = Record<string, unknown>;
const isObject = (v: unknown): v is TJson => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => toCanonicalJson(a) === toCanonicalJson(b);

function diffKeys<T>(a: Record<string, T>, b: Record<string, T>, area: TDiffArea, out: TDiffEntry[], prefix = '', onBoth?: (key: string, x: T, y: T) => void): void {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const k of keys) {
    const key = prefix + k;
    if (!(k in a)) out.push({ change: 'added', area, key });
    else if (!(k in b)) out.push({ change: 'removed', area, key });
    else if (onBoth) onBoth(k, a[k], b[k]);
    else if (!same(a[k], b[k])) out.push({ change: 'changed', area, key, changes: changedProps(a[k], b[k]) });
  }
}

function show(v: unknown): string {
  if (v === undefined) return '—';
  if (isObject(v) && typeof v.pl === 'string') return v.pl;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v.join(', ');
  return JSON.stringify(v);
}

function changedProps(a: unknown, b: unknown): Array<[string, string, string]> {
  if (!isObject(a) || !isObject(b)) return [['', show(a), show(b)]];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => !same(a[k], b[k])).map((k) => [k, show(a[k]), show(b[k])]);
}

function formFields(form: unknown): Map<string, TFormField> {
  return checkFormDefinition(form).fields;
}

function statePaths(node: unknown, prefix: string[] = [], out = new Set<string>()): Set<string> {
  if (isObject(node) && isObject(node.states)) {
    for (const [k, v] of Object.entries(node.states)) {
      const p = [...prefix, k];
      out.add(p.join('.'));
      statePaths(v, p, out);
    }
  }
  return out;
}

export function diffPacks(a: TResolvedPack, b: TResolvedPack): TDiffEntry[] {
  const out: TDiffEntry[] = [];
  const ma = a.manifest;
  const mb = b.manifest;
  for (const prop of ['id', 'version', 'title', 'description', 'extends', 'retention'] as const) {
    if (!same(ma[prop], mb[prop])) out.push({ change: 'changed', area: 'pack', key: prop, changes: [[prop, show(ma[prop]), show(mb[prop])]] });
  }
  // Forms: manifest entry and content, down to fields.
  diffKeys(ma.forms, mb.forms, 'form', out, '', (key, x, y) => {
    const { file: _fa, ...restA } = x;
    const { file: _fb, ...restB } = y;
    if (!same(restA, restB)) out.push({ change: 'changed', area: 'form', key, changes: changedProps(restA, restB) });
    const fa = formFields(a.forms[key]);
    const fb = formFields(b.forms[key]);
    const fieldKeys = [...new Set([...fa.keys(), ...fb.keys()])];
    for (const fk of fieldKeys) {
      const p = fa.get(fk);
      const q = fb.get(fk);
      if (!p) out.push({ change: 'added', area: 'field', key: `${key}/${fk}` });
      else if (!q) out.push({ change: 'removed', area: 'field', key: `${key}/${fk}` });
      else {
        const changes: Array<[string, string, string]> = [];
        if (p.label !== q.label) changes.push(['label', p.label, q.label]);
        if (p.type !== q.type) changes.push(['type', p.type, q.type]);
        if (p.required !== q.required) changes.push(['required', String(p.required), String(q.required)]);
        if (p.grid !== q.grid) changes.push(['grid', p.grid ?? '—', q.grid ?? '—']);
        if (p.dictionary !== q.dictionary || p.dataSource !== q.dataSource) changes.push(['options', p.dictionary ?? p.dataSource ?? '—', q.dictionary ?? q.dataSource ?? '—']);
        if (changes.length) out.push({ change: 'changed', area: 'field', key: `${key}/${fk}`, changes, names: { owner: y.title?.pl ?? key, item: q.label || fk } });
      }
    }
    // Anything else in the form (layout, logic, texts) that the field view does not show.
    if (fieldKeys.every((fk) => same(fa.get(fk), fb.get(fk))) && !same(a.forms[key], b.forms[key])) {
      out.push({ change: 'changed', area: 'form', key, changes: [['layout', '…', '…']] });
    }
  });
  // Flows: states and events.
  diffKeys(ma.flows, mb.flows, 'flow', out, '', (key, x, y) => {
    const sa = statePaths(a.flows[key]);
    const sb = statePaths(b.flows[key]);
    for (const s of [...new Set([...sa, ...sb])].sort()) {
      if (!sa.has(s)) out.push({ change: 'added', area: 'state', key: `${key}/${s}` });
      else if (!sb.has(s)) out.push({ change: 'removed', area: 'state', key: `${key}/${s}` });
    }
    diffKeys(x.events, y.events, 'event', out, `${key}/`);
    const { events: _ea, file: _fa, ...restA } = x;
    const { events: _eb, file: _fb, ...restB } = y;
    if (!same(restA, restB)) out.push({ change: 'changed', area: 'flow', key, changes: changedProps(restA, restB) });
    // Same states and event metadata, but the transitions (targets, guards, actions) differ.
    if (same(sa, sb) && !same(a.flows[key], b.flows[key])) out.push({ change: 'changed', area: 'flow', key, changes: [['transitions', '…', '…']] });
  });
  diffKeys(ma.roles, mb.roles, 'role', out, '', (key, x, y) => {
    // Permissions one by one ("Rola „Pracownik socjalny”: dodano uprawnienie „Generowanie dokumentów”").
    for (const p of y.permissions.filter((q) => !x.permissions.includes(q))) out.push({ change: 'added', area: 'permission', key: `${key}/${p}`, names: { owner: y.label.pl, item: p } });
    for (const p of x.permissions.filter((q) => !y.permissions.includes(q))) out.push({ change: 'removed', area: 'permission', key: `${key}/${p}`, names: { owner: x.label.pl, item: p } });
    const { permissions: _pa, ...ra } = x;
    const { permissions: _pb, ...rb } = y;
    if (!same(ra, rb)) out.push({ change: 'changed', area: 'role', key, changes: changedProps(ra, rb) });
  });
  diffKeys(ma.teamKinds, mb.teamKinds, 'teamKind', out, '', (key, x, y) => {
    diffKeys(x.memberRoles, y.memberRoles, 'role', out, `${key}/`);
    const { memberRoles: _a, ...ra } = x;
    const { memberRoles: _b, ...rb } = y;
    if (!same(ra, rb)) out.push({ change: 'changed', area: 'teamKind', key, changes: changedProps(ra, rb) });
  });
  diffKeys(ma.deadlines, mb.deadlines, 'rule', out);
  diffKeys(ma.dictionaries, mb.dictionaries, 'dictionary', out, '', (key, x, y) => {
    const oa = Object.fromEntries(x.options.map((o) => [o.value, o]));
    const ob = Object.fromEntries(y.options.map((o) => [o.value, o]));
    diffKeys(oa, ob, 'option', out, `${key}/`);
    if (!same(x.label, y.label)) out.push({ change: 'changed', area: 'dictionary', key, changes: [['label', show(x.label), show(y.label)]] });
  });
  diffKeys(ma.bindings as TJson, mb.bindings as TJson, 'binding', out);
  diffKeys(ma.indicators, mb.indicators, 'indicator', out);
  diffKeys(ma.documents, mb.documents, 'document', out);
  diffKeys(ma.labels, mb.labels, 'label', out);
  return out;
}

const AREA: Record<TDiffArea, { pl: string; en: string }> = {
  pack: { pl: 'Pakiet', en: 'Pack' },
  form: { pl: 'Formularz', en: 'Form' },
  field: { pl: 'Pole', en: 'Field' },
  flow: { pl: 'Przepływ', en: 'Flow' },
  state: { pl: 'Etap', en: 'State' },
  event: { pl: 'Zdarzenie', en: 'Event' },
  role: { pl: 'Rola', en: 'Role' },
  permission: { pl: 'Uprawnienie', en: 'Permission' },
  teamKind: { pl: 'Rodzaj zespołu', en: 'Team kind' },
  rule: { pl: 'Reguła terminu', en: 'Deadline rule' },
  dictionary: { pl: 'Słownik', en: 'Dictionary' },
  option: { pl: 'Pozycja słownika', en: 'Dictionary option' },
  binding: { pl: 'Powiązanie', en: 'Binding' },
  indicator: { pl: 'Wskaźnik', en: 'Indicator' },
  document: { pl: 'Szablon dokumentu', en: 'Document template' },
  label: { pl: 'Etykieta', en: 'Label' },
};
const CHANGE: Record<TDiffEntry['change'], { pl: string; en: string; sign: string }> = {
  added: { pl: 'dodano', en: 'added', sign: '+' },
  removed: { pl: 'usunięto', en: 'removed', sign: '-' },
  changed: { pl: 'zmieniono', en: 'changed', sign: '~' },
};
const PROP: Record<string, TLabel> = {
  label: { pl: 'etykieta', en: 'label' },
  type: { pl: 'typ', en: 'type' },
  required: { pl: 'wymagane', en: 'required' },
  grid: { pl: 'tabela', en: 'grid' },
  options: { pl: 'źródło opcji', en: 'options source' },
  roles: { pl: 'role', en: 'roles' },
  forms: { pl: 'wymagane formularze', en: 'required forms' },
  permissions: { pl: 'uprawnienia', en: 'permissions' },
  layout: { pl: 'układ/treść', en: 'layout/content' },
  transitions: { pl: 'przejścia', en: 'transitions' },
};

function renderValue(v: string, lang: TLang): string {
  if (v === 'true') return lang === 'pl' ? 'tak' : 'yes';
  if (v === 'false') return lang === 'pl' ? 'nie' : 'no';
  return lang === 'pl' ? `„${v}”` : `"${v}"`;
}

/** Lines that read better per entity: a role's permission, a field that became (not) required. */
function entityLine(e: TDiffEntry, lang: TLang): string | undefined {
  const qq = (v: string) => (lang === 'pl' ? `„${v}”` : `"${v}"`);
  if (e.area === 'permission' && e.names?.owner && e.names.item) {
    const p = e.names.item;
    const name = isPermission(p) ? PERMISSIONS[p][lang] : p;
    const verb = lang === 'pl' ? (e.change === 'added' ? 'dodano uprawnienie' : 'odebrano uprawnienie') : e.change === 'added' ? 'permission added' : 'permission removed';
    return `${CHANGE[e.change].sign} ${lang === 'pl' ? 'Rola' : 'Role'} ${qq(e.names.owner)}: ${verb} ${qq(name)}`;
  }
  if (e.area === 'field' && e.change === 'changed' && e.names?.owner && e.changes?.length === 1 && e.changes[0][0] === 'required') {
    const now = e.changes[0][2] === 'true';
    const text = lang === 'pl' ? `pole ${qq(e.names.item ?? e.key)} stało się ${now ? 'wymagane' : 'opcjonalne'}` : `field ${qq(e.names.item ?? e.key)} became ${now ? 'required' : 'optional'}`;
    return `~ ${lang === 'pl' ? 'Formularz' : 'Form'} ${qq(e.names.owner)}: ${text}`;
  }
  return undefined;
}

export function formatDiff(entries: TDiffEntry[], lang: TLang = 'pl'): string[] {
  if (entries.length === 0) return [lang === 'pl' ? 'Brak różnic.' : 'No differences.'];
  return entries.map((e) => {
    const special = entityLine(e, lang);
    if (special) return special;
    const head = `${CHANGE[e.change].sign} ${AREA[e.area][lang]} ${lang === 'pl' ? `„${e.key}”` : `"${e.key}"`}: ${CHANGE[e.change][lang]}`;
    if (!e.changes?.length) return head;
    const parts = e.changes.map(([prop, before, after]) => {
      const name = PROP[prop] ? getLabelText(PROP[prop], lang) : prop;
      if (before === '…') return name;
      return `${name} ${renderValue(before, lang)} → ${renderValue(after, lang)}`;
    });
    return `${head} — ${parts.join('; ')}`;
  });
}
