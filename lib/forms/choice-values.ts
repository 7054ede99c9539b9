import 'server-only';
import { FieldError } from '@formio/core';

/**
 * A processor for @formio/core that refuses a choice value outside the component's own options — on
 * every radio, select, selectboxes and checkbox, whether or not the pack set `validate.onlyAvailableItems`.
 * @formio/core 2.8.3 (pinned) checks options only with that flag, and even then misses cases: a radio
 * value that normalises to a number or boolean is never checked (lodash `isEmpty(5)` is true), a
 * selectboxes map may carry non-boolean values, a checkbox takes anything. It runs last in the processor
 * chain (post pass), so the value it sees is the normalised one that would be stored (and a hidden field's value has
 * already been cleared). Options are normalised the same way Form.io normalises the submitted value
 * (radio "5" → 5), so a listed value is always accepted.
 */

type TJson = Record<string, unknown>;

interface TChoiceContext {
  component: TJson;
  value: unknown;
  path: string;
  scope: { errors: unknown[] };
  [k: string]: unknown;
}

function isObject(v: unknown): v is TJson {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

function optionValues(list: unknown): unknown[] | undefined {
  return Array.isArray(list) ? list.map((o) => (isObject(o) ? o.value : o)) : undefined;
}

/** Mirrors @formio/core's radio normalisation (process/normalize), applied to the option values. */
function normalizeRadio(value: unknown, dataType: unknown): unknown {
  if (dataType === 'number') return Number(value);
  if (dataType === 'string') return typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (dataType === 'boolean') return !(!value || String(value) === 'false');
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) && String(Number(value)) === value) return Number(value);
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

/** Mirrors @formio/core's single-select normalisation for the `auto`, `string`, `number` and `boolean` data types. */
function normalizeSelect(value: unknown, dataType: unknown): unknown {
  if (isObject(value)) return value;
  let v: unknown = value;
  const toNumber = () => {
    const n = Number(v);
    if (v !== '' && Number.isFinite(n) && String(v) === String(n)) v = n;
  };
  const toBoolean = () => {
    if (typeof v === 'string' && (v.toLowerCase() === 'true' || v.toLowerCase() === 'false')) v = v.toLowerCase() === 'true';
  };
  switch (dataType ?? 'auto') {
    case 'number': toNumber(); break;
    case 'boolean': toBoolean(); break;
    case 'string': v = String(v); break;
    case 'auto': v = String(v); toNumber(); toBoolean(); break;
  }
  return v;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * True when `value` is one the component offers; undefined for components that are not choices. Options
 * the server cannot know (fetched from a URL, refused by the pack validator anyway) accept nothing.
 */
export function isOfferedValue(component: TJson, value: unknown): boolean | undefined {
  switch (component.type) {
    case 'radio': {
      const options = component.dataSrc === 'url' ? [] : optionValues(component.values) ?? [];
      const listed = options.map((o) => normalizeRadio(o, component.dataType));
      return listed.some((o) => sameValue(o, value));
    }
    case 'select': {
      const data = isObject(component.data) ? component.data : {};
      const src = component.dataSrc ?? (Array.isArray(data.values) ? 'values' : undefined);
      const raw = (src === 'values' ? optionValues(data.values) : src === 'json' && Array.isArray(data.json) ? optionValues(data.json) : undefined) ?? [];
      const listed = raw.map((o) => normalizeSelect(o, component.dataType));
      const one = (v: unknown) => listed.some((o) => sameValue(o, v));
      if (component.multiple) return Array.isArray(value) && value.every(one);
      return one(value);
    }
    case 'selectboxes': {
      const options = component.dataSrc === 'url' ? [] : optionValues(component.values) ?? [];
      if (!isObject(value)) return false;
      const keys = new Set(options.map(String));
      return Object.entries(value).every(([k, v]) => keys.has(k) && typeof v === 'boolean');
    }
    case 'checkbox':
      if (component.inputType === 'radio') return value === component.value || value === false;
      return typeof value === 'boolean';
    default:
      return undefined;
  }
}

const CHOICE_TYPES = new Set(['radio', 'select', 'selectboxes', 'checkbox']);

function checkChoiceSync(context: TChoiceContext): void {
  const { component, value } = context;
  if (!CHOICE_TYPES.has(String(component.type)) || isEmptyValue(value)) return;
  if (isOfferedValue(component, value) !== false) return;
  // @formio/core's own option check (onlyAvailableItems) may have reported the same field already.
  const already = context.scope.errors.some((e) => isObject(e) && isObject(e.context) && e.context.path === context.path && e.ruleName === 'onlyAvailableItems');
  if (already) return;
  const error = new FieldError('invalidOption', context as unknown as ConstructorParameters<typeof FieldError>[1], 'onlyAvailableItems');
  (error.context as { path?: string }).path = context.path;
  context.scope.errors.push(error);
}

/**
 * Processor info in @formio/core's shape. Append it after `Processors`: it runs in the post pass, after
 * normalisation, clearing of hidden fields and Form.io's own validation of the same component.
 */
export const choiceValuesProcessInfo = {
  name: 'choiceValues',
  shouldProcess: () => true,
  postProcess: async (context: TChoiceContext) => checkChoiceSync(context),
  postProcessSync: checkChoiceSync,
};
