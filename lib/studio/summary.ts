import { parseDuration } from '@/lib/duration';
import { PERMISSIONS, isPermission } from '@/lib/packs/permissions';
import { splitPointer, valueAt, type TDraftContent, type TPatchOp } from './content';

/**
 * One-line Polish summaries of JSON-Patch operations, for the draft history and for "what changed
 * meanwhile" in a 409: `Termin „Przegląd IPW”: 14 → 21 dni`, `Rola „Pracownik socjalny”: dodano
 * uprawnienie „Generowanie dokumentów…”`. `before` is the content the operation applies to. Pure.
 */
type TJson = Record<string, unknown>;
const isObject = (v: unknown): v is TJson => typeof v === 'object' && v !== null && !Array.isArray(v);
const q = (s: string) => `„${s}”`;

function labelOf(v: unknown, fallback: string): string {
  if (isObject(v) && isObject(v.label) && typeof v.label.pl === 'string') return v.label.pl;
  if (isObject(v) && typeof v.title === 'string') return v.title;
  return fallback;
}

/** "P14D" → "14 dni", "P3M" → "3 mies.", anything else as it is. */
export function durationPl(v: unknown): string {
  if (typeof v !== 'string') return show(v);
  try {
    const d = parseDuration(v);
    const parts: string[] = [];
    if (d.years) parts.push(`${d.years} ${d.years === 1 ? 'rok' : d.years < 5 ? 'lata' : 'lat'}`);
    if (d.months) parts.push(`${d.months} mies.`);
    if (d.days) parts.push(`${d.days} ${d.days === 1 ? 'dzień' : 'dni'}`);
    if (d.ms) parts.push(`${Math.round(d.ms / 3_600_000)} godz.`);
    return parts.join(' ') || v;
  } catch {
    return v;
  }
}

function show(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return q(v);
  if (typeof v === 'boolean') return v ? 'tak' : 'nie';
  if (isObject(v) && typeof v.pl === 'string') return q(v.pl);
  if (isObject(v) && isObject(v.label) && typeof v.label.pl === 'string') return q(v.label.pl);
  if (isObject(v) && typeof v.value === 'string') return q(v.value);
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

const SECTION: Record<string, string> = {
  roles: 'Rola',
  dictionaries: 'Słownik',
  deadlines: 'Termin',
  forms: 'Formularz',
  flows: 'Przepływ',
  teamKinds: 'Rodzaj zespołu',
  indicators: 'Wskaźnik',
  documents: 'Szablon dokumentu',
  labels: 'Etykieta',
  bindings: 'Powiązanie',
};
const DURATION_PROPS = new Set(['offset', 'escalateAfter', 'every', 'afterClose']);
const PROP_PL: Record<string, string> = {
  label: 'etykieta',
  offset: 'termin',
  escalateAfter: 'eskalacja po',
  every: 'co',
  roles: 'role',
  escalateTo: 'eskalacja do',
  message: 'komunikat',
  permissions: 'uprawnienia',
  options: 'pozycje',
  required: 'wymagane',
  fill: 'wypełniają',
  read: 'czytają',
  pl: 'po polsku',
  en: 'po angielsku',
};

function verb(op: TPatchOp['op']): string {
  return op === 'add' ? 'dodano' : op === 'remove' ? 'usunięto' : op === 'replace' ? 'zmieniono' : op === 'move' ? 'przeniesiono' : op === 'copy' ? 'skopiowano' : 'sprawdzono';
}

function permissionName(p: unknown): string {
  return typeof p === 'string' && isPermission(p) ? `${q(PERMISSIONS[p].pl)} (${p})` : show(p);
}

/** Summary of one operation applied to `before`. */
export function summarizeOp(before: TDraftContent, op: TPatchOp): string {
  const segs = splitPointer(op.path);
  const newValue = 'value' in op ? op.value : undefined;
  const oldValue = valueAt(before, op.path);
  const [part, ...rest] = segs;
  if (part === 'forms' || part === 'flows') {
    const key = rest[0] ?? '';
    const name = part === 'forms' ? 'Formularz' : 'Przepływ';
    const label = labelOf(valueAt(before, `/pack/${part}/${key}`), key);
    if (rest.length === 1) return `${name} ${q(label)}: ${verb(op.op)} ${part === 'forms' ? 'treść formularza' : 'definicję przepływu'}`;
    const leaf = rest[rest.length - 1];
    if (part === 'forms' && leaf === 'required') return `${name} ${q(label)}: pole stało się ${newValue ? 'wymagane' : 'opcjonalne'}`;
    return `${name} ${q(label)}: ${verb(op.op)} ${rest.slice(1).join('/')}${op.op === 'replace' ? ` (${show(oldValue)} → ${show(newValue)})` : ''}`;
  }
  if (part !== 'pack') return `${verb(op.op)} ${op.path}`;
  const [section, key, ...tail] = rest;
  if (section === undefined) return 'Zmieniono cały pakiet';
  const sectionName = SECTION[section];
  if (!sectionName || key === undefined) {
    const what = section === 'retention' ? 'Retencja' : section === 'title' ? 'Tytuł pakietu' : `Pakiet: ${section}`;
    if (section === 'retention' && tail.length === 0 && rest.length === 2) {
      return `Retencja: ${PROP_PL[key] ?? key} ${DURATION_PROPS.has(key) ? `${durationPl(oldValue)} → ${durationPl(newValue)}` : `${show(oldValue)} → ${show(newValue)}`}`;
    }
    return `${what}: ${verb(op.op)}${op.op === 'replace' ? ` ${show(oldValue)} → ${show(newValue)}` : ''}`;
  }
  const entity = valueAt(before, `/pack/${section}/${key}`);
  const head = `${sectionName} ${q(labelOf(entity, key))}`;
  if (tail.length === 0) {
    if (op.op === 'add') return `${sectionName} ${q(labelOf(newValue, key))}: dodano`;
    if (op.op === 'remove') return `${head}: usunięto`;
    return `${head}: zmieniono`;
  }
  const prop = tail[0];
  if (section === 'roles' && prop === 'permissions') {
    if (tail.length === 2 && op.op === 'add') return `${head}: dodano uprawnienie ${permissionName(newValue)}`;
    if (tail.length === 2 && op.op === 'remove') return `${head}: odebrano uprawnienie ${permissionName(oldValue)}`;
    if (tail.length === 2 && op.op === 'replace') return `${head}: uprawnienie ${permissionName(oldValue)} → ${permissionName(newValue)}`;
  }
  if (section === 'dictionaries' && prop === 'options' && tail.length === 2) {
    if (op.op === 'add') return `${head}: dodano pozycję ${show(newValue)}`;
    if (op.op === 'remove') return `${head}: usunięto pozycję ${show(oldValue)}`;
  }
  const leaf = tail[tail.length - 1];
  const durationLike = tail.some((t) => DURATION_PROPS.has(t)) && typeof (newValue ?? oldValue) === 'string';
  const propName = tail.map((t) => PROP_PL[t] ?? t).join(' › ');
  if (op.op === 'replace' || (op.op === 'add' && oldValue !== undefined)) {
    const fmt = durationLike ? durationPl : show;
    if (durationLike && tail.length === 1 && prop === 'offset') return `${head}: ${fmt(oldValue).replace(/ dni$/, '')} → ${fmt(newValue)}`;
    return `${head}: ${propName} ${fmt(oldValue)} → ${fmt(newValue)}`;
  }
  if (op.op === 'add') return `${head}: dodano ${propName} ${durationLike ? durationPl(newValue) : show(newValue)}`;
  if (op.op === 'remove') return `${head}: usunięto ${propName}${leaf === 'en' ? '' : ` ${show(oldValue)}`}`;
  return `${head}: ${verb(op.op)} ${propName}`;
}

/** Summaries of a whole save (operations applied in order). */
export function summarizeOps(before: TDraftContent, ops: TPatchOp[], apply: (c: TDraftContent, o: TPatchOp[]) => TDraftContent): string[] {
  const out: string[] = [];
  let cur = before;
  for (const op of ops) {
    out.push(summarizeOp(cur, op));
    cur = apply(cur, [op]);
  }
  return out;
}
