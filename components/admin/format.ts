import type { CSSProperties } from 'react';
import type { TLocale } from '@/lib/i18n/messages';
import type { TLabel, TOption, TUnitView } from './types';

export function pickLabel(label: TLabel | undefined, locale: TLocale, fallback = ''): string {
  if (!label) return fallback;
  return (locale === 'en' && label.en) || label.pl;
}

export function optionLabel(options: TOption[] | undefined, value: string | undefined, locale: TLocale): string {
  if (!value) return '';
  return pickLabel(options?.find((o) => o.value === value)?.label, locale, value);
}

const DATE_LOCALE: Record<TLocale, string> = { pl: 'pl-PL', en: 'en-GB' };

export function formatDate(value: string | Date | undefined, locale: TLocale): string {
  if (!value) return '';
  return new Date(value).toLocaleDateString(DATE_LOCALE[locale], { timeZone: 'Europe/Warsaw' });
}

export function formatDateTime(value: string | Date | undefined, locale: TLocale): string {
  if (!value) return '';
  return new Date(value).toLocaleString(DATE_LOCALE[locale], { timeZone: 'Europe/Warsaw', dateStyle: 'short', timeStyle: 'medium' });
}

/** Today as `YYYY-MM-DD` in Poland (the value a date input expects). */
export function todayIso(): string {
  return new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Warsaw' });
}

/** Form values → API body: empty strings dropped, so optional fields stay absent instead of failing validation. */
export function compact(values: Record<string, FormDataEntryValue | string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  return out;
}

/** Units ordered as a tree (region, its powiats, each powiat's gminas) with their depth, for selects. */
export function flattenUnits(units: TUnitView[]): { unit: TUnitView; depth: number }[] {
  const out: { unit: TUnitView; depth: number }[] = [];
  const byParent = new Map<string, TUnitView[]>();
  for (const u of units) {
    const key = u.parentId ?? '';
    byParent.set(key, [...(byParent.get(key) ?? []), u]);
  }
  const ids = new Set(units.map((u) => u._id));
  const walk = (parent: string, depth: number) => {
    for (const u of (byParent.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'pl'))) {
      out.push({ unit: u, depth });
      walk(u._id, depth + 1);
    }
  };
  walk('', 0);
  // Units whose parent the principal cannot see still belong in the list, at the top level.
  for (const u of units) if (u.parentId && !ids.has(u.parentId)) {
    out.push({ unit: u, depth: 0 });
    walk(u._id, 1);
  }
  return out;
}

const INDENT = '\u00a0\u00a0\u00a0';

/** Select options for org units, indented by depth so the tree stays readable. */
export function unitOptions(units: TUnitView[]): { value: string; label: string }[] {
  return flattenUnits(units).map(({ unit, depth }) => ({ value: unit._id, label: `${INDENT.repeat(depth)}${unit.name}` }));
}

/** Greys a table row or table (Bootstrap 5.3 colours cells through this variable, not through `color`). */
export const MUTED_TABLE: CSSProperties = { ['--bs-table-color' as string]: 'var(--bs-secondary-color)' };
