/**
 * Static checks of a Form.io form definition as the packs use it (see forms/README.md): plain Form.io
 * JSON, a closed set of component types, camelCase keys unique across the whole form, lookups through
 * pack dictionaries or runtime data sources, and no embedded JavaScript (the server evaluates forms with
 * `Evaluator.noeval`; JSON-logic is the only allowed logic). Pure module, safe on the client.
 */

export const ALLOWED_COMPONENT_TYPES = [
  'textfield', 'textarea', 'number', 'email', 'phoneNumber', 'datetime', 'day', 'checkbox', 'selectboxes', 'radio',
  'select', 'datagrid', 'editgrid', 'panel', 'fieldset', 'columns', 'well', 'table', 'htmlelement', 'content',
  'signature', 'file', 'hidden', 'currency', 'url', 'time',
] as const;

/** Runtime option sources for select/radio/selectboxes (`properties.dataSource`). */
export const DATA_SOURCES = ['institutions', 'team-institutions', 'team-people', 'assignees', 'case-members', 'catalogue', 'users'] as const;
export type TDataSource = (typeof DATA_SOURCES)[number];

const LAYOUT_TYPES = new Set(['panel', 'fieldset', 'columns', 'well', 'table', 'htmlelement', 'content']);
const GRID_TYPES = new Set(['datagrid', 'editgrid']);
const LOOKUP_TYPES = new Set(['select', 'radio', 'selectboxes']);
export const COMPONENT_KEY_PATTERN = /^[a-z][a-zA-Z0-9]*$/;

export interface TFormIssue {
  /** JSON path inside the form file, e.g. `components[2].components[0].key`. */
  path: string;
  message: string;
  hint: string;
}

/** A data-carrying field of a form, found anywhere in its component tree. */
export interface TFormField {
  key: string;
  type: string;
  label: string;
  required: boolean;
  /** JSON path of the component inside the form file. */
  path: string;
  /** Key of the enclosing datagrid/editgrid, when the field is a grid column. */
  grid?: string;
  /** For grids: their column fields. */
  columns?: string[];
  /** `properties.dictionary` / `properties.dataSource` of lookups. */
  dictionary?: string;
  dataSource?: string;
  /** Values offered inline (select `data.values`, radio/selectboxes `values`). */
  values?: string[];
}

type TJson = Record<string, unknown>;

function isObject(v: unknown): v is TJson {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCode(v: unknown): boolean {
  return typeof v === 'string' && v.trim().length > 0;
}

/** Children of a component in the Form.io tree, with their JSON paths. */
function listChildren(comp: TJson, path: string): Array<{ comp: unknown; path: string }> {
  const out: Array<{ comp: unknown; path: string }> = [];
  if (Array.isArray(comp.components)) comp.components.forEach((c, i) => out.push({ comp: c, path: `${path}.components[${i}]` }));
  if (comp.type === 'columns' && Array.isArray(comp.columns)) {
    comp.columns.forEach((col, ci) => {
      if (isObject(col) && Array.isArray(col.components)) col.components.forEach((c, i) => out.push({ comp: c, path: `${path}.columns[${ci}].components[${i}]` }));
    });
  }
  if (comp.type === 'table' && Array.isArray(comp.rows)) {
    comp.rows.forEach((row, ri) => {
      if (!Array.isArray(row)) return;
      row.forEach((cell, ci) => {
        if (isObject(cell) && Array.isArray(cell.components)) cell.components.forEach((c, i) => out.push({ comp: c, path: `${path}.rows[${ri}][${ci}].components[${i}]` }));
      });
    });
  }
  return out;
}

function checkNoCode(comp: TJson, path: string, issues: TFormIssue[]): void {
  const reject = (where: string, what: string) =>
    issues.push({ path: `${path}.${where}`, message: `custom JavaScript is not allowed (${what})`, hint: 'express the rule in JSON-logic (conditional.json, validate.json) or remove it' });
  if (isCode(comp.calculateValue)) reject('calculateValue', 'calculateValue');
  if (isCode(comp.customDefaultValue)) reject('customDefaultValue', 'customDefaultValue');
  if (isCode(comp.customConditional)) reject('customConditional', 'customConditional');
  if (isObject(comp.validate) && isCode(comp.validate.custom)) reject('validate.custom', 'validate.custom');
  if (isObject(comp.calculateValue)) {
    // Form.io accepts {json: …} here; that is JSON-logic, so allowed.
  }
  if (Array.isArray(comp.logic)) {
    comp.logic.forEach((rule, li) => {
      if (!isObject(rule)) return;
      if (isObject(rule.trigger) && isCode(rule.trigger.javascript)) reject(`logic[${li}].trigger.javascript`, 'logic trigger');
      if (Array.isArray(rule.actions)) {
        rule.actions.forEach((a, ai) => {
          if (!isObject(a)) return;
          if (isCode(a.value)) reject(`logic[${li}].actions[${ai}].value`, 'logic action value');
          if (isCode(a.customAction)) reject(`logic[${li}].actions[${ai}].customAction`, 'logic customAction');
        });
      }
    });
  }
}

function collectValues(comp: TJson): string[] | undefined {
  const src = comp.type === 'select' ? (isObject(comp.data) ? comp.data.values : undefined) : comp.values;
  if (!Array.isArray(src)) return undefined;
  return src.filter(isObject).map((v) => String(v.value ?? '')).filter((v) => v !== '');
}

export interface TCheckFormOptions {
  /** Expected `name` (the form key). */
  formKey?: string;
  /** Dictionary keys available in the resolved pack; when given, `properties.dictionary` must be one of them. */
  dictionaries?: ReadonlySet<string>;
}

export interface TCheckFormResult {
  issues: TFormIssue[];
  fields: Map<string, TFormField>;
}

/** Checks one form definition and returns its issues and the fields it declares (by key). */
export function checkFormDefinition(form: unknown, opts: TCheckFormOptions = {}): TCheckFormResult {
  const issues: TFormIssue[] = [];
  const fields = new Map<string, TFormField>();
  if (!isObject(form)) {
    issues.push({ path: '(root)', message: 'a form file must contain one JSON object', hint: 'export the form from the builder as JSON ({ "display": "form", "components": [...] })' });
    return { issues, fields };
  }
  if (opts.formKey !== undefined && form.name !== opts.formKey) {
    issues.push({ path: 'name', message: `form name must be "${opts.formKey}" (the form key), found ${JSON.stringify(form.name)}`, hint: `set "name": "${opts.formKey}" or rename the file/key` });
  }
  if (typeof form.title !== 'string' || form.title.trim() === '') issues.push({ path: 'title', message: 'form title is missing', hint: 'add a Polish "title"' });
  if (form.display !== undefined && form.display !== 'form') issues.push({ path: 'display', message: `display must be "form", found ${JSON.stringify(form.display)}`, hint: 'wizards and PDF forms are not supported; use panels' });
  if (form.type !== undefined && form.type !== 'form') issues.push({ path: 'type', message: `type must be "form", found ${JSON.stringify(form.type)}`, hint: 'resources are not used; set "type": "form"' });
  if (!Array.isArray(form.components)) {
    issues.push({ path: 'components', message: 'form has no "components" array', hint: 'add the form fields under "components"' });
    return { issues, fields };
  }
  const seen = new Map<string, string>();
  const walk = (raw: unknown, path: string, grid: TFormField | undefined) => {
    if (!isObject(raw)) {
      issues.push({ path, message: 'a component must be an object', hint: 'remove the stray value' });
      return;
    }
    const type = String(raw.type ?? '');
    const key = raw.key;
    if (type === 'button') {
      issues.push({ path: `${path}.type`, message: 'button components are not allowed', hint: 'remove it: the host renders its own save/submit buttons' });
    } else if (!(ALLOWED_COMPONENT_TYPES as readonly string[]).includes(type)) {
      issues.push({ path: `${path}.type`, message: `component type "${type}" is not allowed`, hint: `use one of: ${ALLOWED_COMPONENT_TYPES.join(', ')}` });
    }
    if (typeof key !== 'string' || !COMPONENT_KEY_PATTERN.test(key)) {
      issues.push({ path: `${path}.key`, message: `component key ${JSON.stringify(key)} is not camelCase ASCII`, hint: 'use a key like "dataSporzadzenia" (letters and digits, starting lowercase, no Polish characters)' });
    } else if (seen.has(key)) {
      issues.push({ path: `${path}.key`, message: `duplicate component key "${key}" (also at ${seen.get(key)})`, hint: 'keys must be unique across the whole form, including inside datagrids and panels; rename one' });
    } else {
      seen.set(key, path);
    }
    checkNoCode(raw, path, issues);
    const dataSrc = raw.dataSrc;
    if (dataSrc === 'custom') issues.push({ path: `${path}.dataSrc`, message: 'dataSrc "custom" runs JavaScript and is not allowed', hint: 'use "properties": { "dictionary": … } or { "dataSource": … }' });
    if (dataSrc === 'url' && isObject(raw.data) && typeof raw.data.url === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(raw.data.url)) {
      issues.push({ path: `${path}.data.url`, message: 'absolute URLs as option sources are not allowed', hint: 'use a pack dictionary or a runtime "dataSource"' });
    } else if (dataSrc === 'url') {
      // The server checks every choice against the component's own options (choice-values.ts); options
      // fetched by the browser are unknown to it, so such a field would refuse every value.
      issues.push({ path: `${path}.dataSrc`, message: 'options fetched from a URL cannot be checked by the server', hint: 'use a pack dictionary or a runtime "dataSource"' });
    }
    const props = isObject(raw.properties) ? raw.properties : {};
    let dictionary: string | undefined;
    let dataSource: string | undefined;
    if (props.dictionary !== undefined) {
      if (!LOOKUP_TYPES.has(type)) issues.push({ path: `${path}.properties.dictionary`, message: `"dictionary" only works on select, radio and selectboxes (this is ${type})`, hint: 'change the component type or remove the property' });
      dictionary = String(props.dictionary);
      if (opts.dictionaries && !opts.dictionaries.has(dictionary)) {
        issues.push({ path: `${path}.properties.dictionary`, message: `unknown dictionary "${dictionary}"`, hint: `add "${dictionary}" to "dictionaries" in pack.json or use one of: ${[...opts.dictionaries].join(', ') || '(none)'}` });
      }
    }
    if (props.dataSource !== undefined) {
      if (!LOOKUP_TYPES.has(type)) issues.push({ path: `${path}.properties.dataSource`, message: `"dataSource" only works on select, radio and selectboxes (this is ${type})`, hint: 'change the component type or remove the property' });
      dataSource = String(props.dataSource);
      if (!(DATA_SOURCES as readonly string[]).includes(dataSource)) {
        issues.push({ path: `${path}.properties.dataSource`, message: `unknown dataSource "${dataSource}"`, hint: `use one of: ${DATA_SOURCES.join(', ')}` });
      }
    }
    if (type === 'file' && (raw.storage !== undefined || raw.url !== undefined)) {
      issues.push({ path: `${path}.storage`, message: 'file components must not configure storage', hint: 'remove "storage"/"url": the host injects its own storage' });
    }
    const isData = !LAYOUT_TYPES.has(type) && typeof key === 'string';
    let field: TFormField | undefined;
    if (isData) {
      field = {
        key: key as string,
        type,
        label: typeof raw.label === 'string' ? raw.label : '',
        required: isObject(raw.validate) && raw.validate.required === true,
        path,
        ...(grid ? { grid: grid.key } : {}),
        ...(GRID_TYPES.has(type) ? { columns: [] } : {}),
        ...(dictionary ? { dictionary } : {}),
        ...(dataSource ? { dataSource } : {}),
        ...(LOOKUP_TYPES.has(type) && collectValues(raw) ? { values: collectValues(raw) } : {}),
      };
      if (!fields.has(field.key)) fields.set(field.key, field);
      if (grid?.columns) grid.columns.push(field.key);
    }
    const nextGrid = field && GRID_TYPES.has(type) ? field : grid;
    for (const child of listChildren(raw, path)) walk(child.comp, child.path, nextGrid);
  };
  form.components.forEach((c, i) => walk(c, `components[${i}]`, undefined));
  return { issues, fields };
}

/** Whether a field can anchor a date-based deadline. */
export function isDateField(field: TFormField): boolean {
  return field.type === 'datetime' || field.type === 'day';
}
