import { walkComponents, type TComponentJson } from '@/lib/forms/prepare';
import { MISSING_VALUE } from './template';

/**
 * Turns a stored submission into display strings for a template: option values become their labels,
 * dates are Polish dates, checkboxes "tak"/"nie", selectboxes the ticked labels, grids arrays of rows.
 * An empty value is left out, so the template shows the visible placeholder instead. Pure.
 */
const WARSAW = 'Europe/Warsaw';

export function formatPlDate(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const d = v instanceof Date ? v : new Date(String(v));
  if (Number.isNaN(d.getTime())) return String(v);
  return new Intl.DateTimeFormat('pl-PL', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: WARSAW }).format(d);
}

type TFieldInfo = { type: string; options?: Map<string, string>; grid?: boolean; columns?: string[] };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Field types and option labels of a prepared form (lookups already filled for the case). */
export function fieldInfoOf(form: { components?: unknown[] }): Map<string, TFieldInfo> {
  const info = new Map<string, TFieldInfo>();
  walkComponents(form, (comp: TComponentJson, parents) => {
    const key = comp.key;
    const type = String(comp.type ?? '');
    if (typeof key !== 'string' || ['panel', 'fieldset', 'columns', 'well', 'table', 'htmlelement', 'content'].includes(type)) return;
    const src = type === 'select' ? (isObject(comp.data) ? comp.data.values : undefined) : comp.values;
    const options = Array.isArray(src) ? new Map(src.filter(isObject).map((o) => [String(o.value), String(o.label ?? o.value)])) : undefined;
    info.set(key, { type, ...(options ? { options } : {}), ...(type === 'datagrid' || type === 'editgrid' ? { grid: true, columns: [] } : {}) });
    const grid = [...parents].reverse().find((p) => p.type === 'datagrid' || p.type === 'editgrid');
    if (grid && typeof grid.key === 'string') info.get(grid.key)?.columns?.push(key);
  });
  return info;
}

function display(value: unknown, f: TFieldInfo | undefined): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const type = f?.type ?? '';
  if (type === 'checkbox') return value === true ? 'tak' : 'nie';
  if (type === 'datetime' || type === 'day') return formatPlDate(value);
  if (type === 'selectboxes' && isObject(value)) {
    const ticked = Object.entries(value).filter(([, on]) => on === true).map(([k]) => f?.options?.get(k) ?? k);
    return ticked.length ? ticked.join(', ') : undefined;
  }
  if (type === 'file' && Array.isArray(value)) return value.map((x) => (isObject(x) ? String(x.originalName ?? x.name ?? '') : '')).filter(Boolean).join(', ') || undefined;
  if (Array.isArray(value)) return value.map((x) => f?.options?.get(String(x)) ?? String(x)).join(', ') || undefined;
  if (isObject(value)) return undefined;
  const s = String(value);
  return f?.options?.get(s) ?? s;
}

function gridRows(info: Map<string, TFieldInfo>, f: TFieldInfo, value: unknown): Record<string, unknown>[] {
  const rows = Array.isArray(value) ? value.filter(isObject) : [];
  return rows.map((row, i) => {
    const r: Record<string, unknown> = { lp: String(i + 1) };
    for (const col of f.columns ?? []) {
      const ci = info.get(col);
      if (ci?.grid) {
        r[col] = gridRows(info, ci, row[col]);
        continue;
      }
      const d = display(row[col], ci);
      if (d !== undefined) r[col] = d;
    }
    if (row.lp !== undefined && row.lp !== null && row.lp !== '') r.lp = String(row.lp);
    return r;
  });
}

/** Submission data as template values (grids as arrays of rows with `lp`, nested grids inside their rows). */
export function submissionValues(form: { components?: unknown[] }, data: Record<string, unknown>): Record<string, unknown> {
  const info = fieldInfoOf(form);
  const out: Record<string, unknown> = {};
  for (const [key, f] of info) {
    if (isInsideGrid(info, key)) continue;
    if (f.grid) {
      out[key] = gridRows(info, f, data[key]);
      continue;
    }
    const d = display(data[key], f);
    if (d !== undefined) out[key] = d;
  }
  return out;
}

function isInsideGrid(info: Map<string, TFieldInfo>, key: string): boolean {
  for (const f of info.values()) if (f.columns?.includes(key)) return true;
  return false;
}

/** Number of rows a document will have (the size that decides whether generation runs as a job). */
export function rowCount(data: Record<string, unknown>): number {
  let n = 0;
  for (const v of Object.values(data)) if (Array.isArray(v)) n += v.length + v.reduce((s: number, r) => s + (isObject(r) ? rowCount(r) : 0), 0);
  return n;
}

export { MISSING_VALUE };
