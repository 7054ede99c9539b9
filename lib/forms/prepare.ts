/**
 * Turns a pack form (as stored in `forms/<pack>/`) into the form that is rendered AND validated: lookups
 * get their options (pack dictionaries, runtime data sources), prefilled fields their defaults, file fields
 * get our upload endpoint.
 * The same prepared form must be used on both sides — the server only accepts values the browser
 * offered (`validate.onlyAvailableItems`), so a value smuggled past the UI is refused.
 * Pure module, safe on the client and the server.
 */
import type { TDictionary } from '@/lib/packs/schema';
import { FILE_MAX_SIZE_LABEL, FILE_PATTERN } from '@/lib/files/limits';
import { AppError } from '@/lib/errors';
import type { TDataSource } from './check-form';

export type TFormJson = Record<string, unknown> & { components: unknown[] };
export type TComponentJson = Record<string, unknown>;

export interface TOption {
  value: string;
  label: string;
}

export interface TPrepareFormOptions {
  /** The pack's dictionaries (resolved manifest `dictionaries`). */
  dictionaries: Record<string, TDictionary>;
  /** Options of runtime data sources for this form instance; a missing source gives an empty list. */
  options?: Partial<Record<TDataSource, TOption[]>>;
  locale?: 'pl' | 'en';
  /**
   * Values of `properties.prefill` sources for this form instance (`case.cardNumber`, `now`…): a component
   * naming a source given here gets it as its default value. Sources not given leave the field empty.
   */
  prefill?: Partial<Record<string, string>>;
}

/** Where file fields upload (app/api/files, Form.io's `url` storage provider); limits: lib/files/limits.ts. */
export const FILE_UPLOAD_URL = '/api/files';

function isObject(v: unknown): v is TComponentJson {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The child component lists of a component: `components`, columns' and table cells' components. */
function childLists(comp: TComponentJson): unknown[][] {
  const lists: unknown[][] = [];
  if (Array.isArray(comp.components)) lists.push(comp.components);
  if (Array.isArray(comp.columns)) for (const col of comp.columns) if (isObject(col) && Array.isArray(col.components)) lists.push(col.components);
  if (Array.isArray(comp.rows)) {
    for (const row of comp.rows) if (Array.isArray(row)) for (const cell of row) if (isObject(cell) && Array.isArray(cell.components)) lists.push(cell.components);
  }
  return lists;
}

/**
 * Visits every component of a form (depth first, parents before children). `parents` are the enclosing
 * components, outermost first; the visitor may mutate the component it is given.
 */
export function walkComponents(form: { components?: unknown[] }, visit: (comp: TComponentJson, parents: TComponentJson[]) => void): void {
  const walk = (list: unknown[], parents: TComponentJson[]) => {
    for (const c of list) {
      if (!isObject(c)) continue;
      visit(c, parents);
      for (const children of childLists(c)) walk(children, [...parents, c]);
    }
  };
  walk(Array.isArray(form.components) ? form.components : [], []);
}

function dictionaryOptions(dict: TDictionary | undefined, locale: 'pl' | 'en'): TOption[] {
  return (dict?.options ?? []).map((o) => ({ value: o.value, label: (locale === 'en' ? o.label.en : undefined) ?? o.label.pl }));
}

function applyOptions(comp: TComponentJson, options: TOption[]): void {
  const values = options.map((o) => ({ value: o.value, label: o.label }));
  if (comp.type === 'select') {
    comp.dataSrc = 'values';
    comp.data = { ...(isObject(comp.data) ? comp.data : {}), values };
  } else {
    comp.values = values;
  }
  comp.validate = { ...(isObject(comp.validate) ? comp.validate : {}), onlyAvailableItems: true };
}

export function prepareForm<T extends TFormJson>(form: T, opts: TPrepareFormOptions): T {
  const locale = opts.locale ?? 'pl';
  const out = structuredClone(form);
  walkComponents(out, (comp) => {
    const props = isObject(comp.properties) ? comp.properties : {};
    if (typeof props.dictionary === 'string') {
      applyOptions(comp, dictionaryOptions(opts.dictionaries[props.dictionary], locale));
    } else if (typeof props.dataSource === 'string') {
      applyOptions(comp, opts.options?.[props.dataSource as TDataSource] ?? []);
    }
    if (typeof props.prefill === 'string' && opts.prefill?.[props.prefill] !== undefined) comp.defaultValue = opts.prefill[props.prefill];
    if (comp.type === 'file') {
      comp.storage = 'url';
      comp.url = FILE_UPLOAD_URL;
      comp.fileMaxSize = FILE_MAX_SIZE_LABEL;
      comp.filePattern = FILE_PATTERN;
      // Files stay with the platform: no base64 in the submission, no third-party image editors.
      delete comp.options;
    }
  });
  return out;
}

/**
 * The data keys of fields outside grids whose `properties.prefill` is one of `sources`, with that source:
 * the server sets them from the case (e.g. the card number), whatever the browser sent.
 */
export function prefilledKeys(form: { components?: unknown[] }, sources: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  walkComponents(form, (comp, parents) => {
    const props = isObject(comp.properties) ? comp.properties : {};
    const inData = parents.every((p) => !GRID_TYPES.has(String(p.type)) && !(NESTED_DATA_TYPES.has(String(p.type)) && p.input !== false));
    if (inData && typeof comp.key === 'string' && typeof props.prefill === 'string' && sources.includes(props.prefill)) keys.set(comp.key, props.prefill);
  });
  return keys;
}

/** Deepest nesting form data may have: the deepest pack form (grid in a grid row) needs well under 10. */
export const FORM_DATA_MAX_DEPTH = 32;

/**
 * Refuses form data nested deeper than any form can produce, before anything recursive touches it
 * (structuredClone and @formio/core's processors overflow the stack at ~10,000 levels). Iterative.
 */
export function assertDataDepth(data: unknown, max = FORM_DATA_MAX_DEPTH): void {
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) throw new AppError('validation', `Dane formularza są zagnieżdżone zbyt głęboko (najwyżej ${max} poziomów).`, { details: [{ path: 'data', message: `Najwyżej ${max} poziomów zagnieżdżenia.` }] });
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
}

const GRID_TYPES = new Set(['datagrid', 'editgrid']);
/** Components whose value is an object holding their children's values. */
const NESTED_DATA_TYPES = new Set(['container']);

/**
 * @formio/core validates one phantom empty row of a datagrid whose key is missing from the data (so a
 * required column fails on a grid the user never touched). Missing datagrid/editgrid keys become `[]`,
 * at every level (grids inside grid rows too). Returns a new object; the input stays untouched.
 */
export function normalizeSubmissionData(form: { components?: unknown[] }, data: Record<string, unknown>): Record<string, unknown> {
  assertDataDepth(data);
  const out = structuredClone(data ?? {});
  const fill = (components: unknown[], level: Record<string, unknown>) => {
    for (const c of components) {
      if (!isObject(c)) continue;
      const key = typeof c.key === 'string' ? c.key : undefined;
      const children = childLists(c).flat();
      if (key && GRID_TYPES.has(String(c.type))) {
        if (!Array.isArray(level[key])) level[key] = [];
        for (const row of level[key] as unknown[]) if (isObject(row)) fill(children, row);
      } else if (key && NESTED_DATA_TYPES.has(String(c.type)) && c.input !== false) {
        if (isObject(level[key])) fill(children, level[key] as Record<string, unknown>);
      } else {
        fill(children, level);
      }
    }
  };
  fill(Array.isArray(form.components) ? form.components : [], out);
  return out;
}
