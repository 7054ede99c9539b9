import type { z } from 'zod';
import { checkFormDefinition, isDateField, type TFormField } from '@/lib/forms/check-form';
import { checkFlowDefinition } from './check-flow';
import { teamActionsByEvent } from '@/lib/flows/team-actions';
import { joinPath, type TPackIssue } from './issues';
import { ZPack, type TPack } from './schema';

/**
 * The pure half of the one pack loader: given a merged manifest and the contents of its form, flow and
 * asset files (from disk, or from an imported bundle), returns every issue and, when there are none,
 * the resolved pack. lib/packs/load.ts does the file-system half.
 */
export interface TPackDraft {
  /** The merged manifest (overlays applied), not yet parsed. */
  manifest: unknown;
  /** Which manifest file a JSON path belongs to (overlays: the layer that set it). */
  manifestFileFor: (path: ReadonlyArray<PropertyKey>) => string;
  forms: Record<string, TLoadedFile>;
  flows: Record<string, TLoadedFile>;
  /** Document templates etc., by root-relative path, base64. */
  assets: Record<string, string>;
  /** Issues found while reading files (missing, not JSON, bad `extends`). */
  issues: TPackIssue[];
  lineage: string[];
}

export interface TLoadedFile {
  file: string;
  json?: unknown;
}

export interface TResolvedPack {
  manifest: TPack;
  forms: Record<string, unknown>;
  flows: Record<string, unknown>;
  assets: Record<string, string>;
  lineage: string[];
}

export type TValidation = { ok: true; pack: TResolvedPack; issues: [] } | { ok: false; issues: TPackIssue[] };

function hintForZod(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return 'remove it or fix its spelling; configs/README.md lists the allowed properties';
    case 'invalid_type':
      return `expected ${issue.expected}; see configs/README.md for the format`;
    case 'invalid_value':
      return 'use one of the allowed values (configs/README.md lists them)';
    default:
      return 'see configs/README.md for the format';
  }
}

/** Binding columns the runtime reads as dates (deadlines and reminders are computed from them). */
const DATE_COLUMNS = new Set(['dueDate', 'validTo', 'reviewDate']);

export function validatePackDraft(draft: TPackDraft): TValidation {
  const issues: TPackIssue[] = [...draft.issues];
  // The manifest could not be read or merged (missing base, bad range, broken JSON): nothing to check.
  if (draft.manifest === undefined && issues.length > 0) return { ok: false, issues };
  const parsed = ZPack.safeParse(draft.manifest);
  if (!parsed.success) {
    for (const zi of parsed.error.issues) {
      const segs = zi.code === 'unrecognized_keys' ? [...zi.path, zi.keys[0]] : zi.path;
      const message = zi.code === 'unrecognized_keys' ? `unknown property "${zi.keys.join('", "')}"` : zi.message;
      issues.push({ file: draft.manifestFileFor(zi.path), path: joinPath(segs), message, hint: hintForZod(zi) });
    }
    return { ok: false, issues };
  }
  const pack = parsed.data;
  const mf = (path: Array<string | number>) => ({ file: draft.manifestFileFor(path), path: joinPath(path) });
  const push = (path: Array<string | number>, message: string, hint: string) => issues.push({ ...mf(path), message, hint });

  // Roles: staff roles and every team kind's member roles share one key space, so an event or a form
  // can list either kind without ambiguity.
  const roleOwner = new Map<string, string>();
  for (const key of Object.keys(pack.roles)) roleOwner.set(key, `roles.${key}`);
  for (const [tk, kind] of Object.entries(pack.teamKinds)) {
    for (const key of Object.keys(kind.memberRoles)) {
      const prev = roleOwner.get(key);
      if (prev) push(['teamKinds', tk, 'memberRoles', key], `role key "${key}" is already used by ${prev}`, 'role keys must be unique across staff roles and all team member roles; rename one');
      else roleOwner.set(key, `teamKinds.${tk}.memberRoles.${key}`);
    }
  }
  const roles = new Set(roleOwner.keys());
  const rolePermissions = new Map<string, readonly string[]>(Object.entries(pack.roles).map(([k, r]) => [k, r.permissions]));
  for (const kind of Object.values(pack.teamKinds)) for (const [k, r] of Object.entries(kind.memberRoles)) if (!rolePermissions.has(k)) rolePermissions.set(k, r.permissions);
  const checkRoles = (list: string[], path: Array<string | number>) =>
    list.forEach((r, i) => {
      if (!roles.has(r)) push([...path, i], `unknown role "${r}"`, `declare it under "roles" or a team kind's "memberRoles"; known roles: ${[...roles].join(', ') || '(none)'}`);
    });
  const dictionaries = new Set(Object.keys(pack.dictionaries));
  const checkDictionary = (key: string | undefined, path: Array<string | number>) => {
    if (key !== undefined && !dictionaries.has(key)) push(path, `unknown dictionary "${key}"`, `add it to "dictionaries"; known: ${[...dictionaries].join(', ') || '(none)'}`);
  };

  // Forms.
  const formFields = new Map<string, Map<string, TFormField>>();
  for (const [key, ref] of Object.entries(pack.forms)) {
    checkRoles(ref.fill, ['forms', key, 'fill']);
    checkRoles(ref.read, ['forms', key, 'read']);
    const loaded = draft.forms[key];
    if (!loaded || loaded.json === undefined) continue; // reading issue already recorded
    const res = checkFormDefinition(loaded.json, { formKey: key, dictionaries });
    for (const fi of res.issues) issues.push({ file: loaded.file, ...fi });
    formFields.set(key, res.fields);
  }
  const forms = new Set(Object.keys(pack.forms));
  const checkForms = (list: string[], path: Array<string | number>) =>
    list.forEach((f, i) => {
      if (!forms.has(f)) push([...path, i], `unknown form "${f}"`, `declare it under "forms"; known forms: ${[...forms].join(', ') || '(none)'}`);
    });
  /** Checks that `field` exists in `form` (optionally as a column of `grid`, or outside any grid). */
  const checkField = (form: string, field: string | undefined, path: Array<string | number>, opts: { grid?: string; topLevel?: boolean; date?: boolean } = {}) => {
    if (field === undefined) return;
    const fields = formFields.get(form);
    if (!fields) return; // form itself missing or unreadable: reported elsewhere
    const f = fields.get(field);
    if (!f) return push(path, `form "${form}" has no field "${field}"`, `use one of its component keys: ${[...fields.keys()].slice(0, 20).join(', ')}${fields.size > 20 ? ', …' : ''}`);
    if (opts.grid !== undefined && f.grid !== opts.grid) return push(path, `field "${field}" is not a column of datagrid "${opts.grid}" in form "${form}"`, `use a component inside "${opts.grid}"`);
    if (opts.topLevel && f.grid !== undefined) return push(path, `field "${field}" of form "${form}" is inside datagrid "${f.grid}"`, 'bind a field outside any datagrid');
    if (opts.date && !isDateField(f)) push(path, `field "${field}" of form "${form}" is a ${f.type}, not a date`, 'anchor deadlines on a datetime or day component');
  };
  const requireForm = (form: string, path: Array<string | number>): boolean => {
    if (forms.has(form)) return true;
    push(path, `unknown form "${form}"`, `declare it under "forms"; known forms: ${[...forms].join(', ') || '(none)'}`);
    return false;
  };

  // Flows.
  const flowStates = new Map<string, Set<string>>();
  const rules = new Set(Object.keys(pack.deadlines));
  const dictValues = (key: string | undefined) => (key && pack.dictionaries[key] ? new Set(pack.dictionaries[key].options.map((o) => o.value)) : undefined);
  for (const [key, ref] of Object.entries(pack.flows)) {
    if (ref.teamKind !== undefined) {
      const tk = pack.teamKinds[ref.teamKind];
      if (!tk) push(['flows', key, 'teamKind'], `unknown team kind "${ref.teamKind}"`, `declare it under "teamKinds"; known: ${Object.keys(pack.teamKinds).join(', ') || '(none)'}`);
      else if (tk.scope !== 'case') push(['flows', key, 'teamKind'], `team kind "${ref.teamKind}" has scope "${tk.scope}", not "case"`, 'a flow’s team kind is the per-case team; use a team kind with "scope": "case"');
      const memberRoleRefs: [(string | number)[], string | undefined][] = [
        [['flows', key, 'creatorRole'], ref.creatorRole],
        [['flows', key, 'coordinatorRole'], ref.coordinatorRole],
        ...Object.entries(ref.creatorRoleByStaffRole ?? {}).map(([staff, role]): [(string | number)[], string] => [['flows', key, 'creatorRoleByStaffRole', staff], role]),
      ];
      for (const [path, role] of memberRoleRefs) {
        if (tk && role !== undefined && !tk.memberRoles[role]) {
          push(path, `"${role}" is not a member role of team kind "${ref.teamKind}"`, `use one of: ${Object.keys(tk.memberRoles).join(', ')}`);
        }
      }
      for (const staff of Object.keys(ref.creatorRoleByStaffRole ?? {})) {
        if (!pack.roles[staff]) push(['flows', key, 'creatorRoleByStaffRole', staff], `"${staff}" is not a staff role of the pack`, `use one of: ${Object.keys(pack.roles).join(', ')}`);
      }
    }
    for (const [ev, meta] of Object.entries(ref.events)) {
      checkRoles(meta.roles, ['flows', key, 'events', ev, 'roles']);
      // Sending an event needs both the event's role and `case.transition` (the runtime checks both): a role
      // listed without the permission would be offered a step it can never take.
      meta.roles.forEach((r, i) => {
        const perms = rolePermissions.get(r);
        if (perms && !perms.includes('case.transition')) {
          push(['flows', key, 'events', ev, 'roles', i], `role "${r}" may not send events: it lacks the "case.transition" permission`, `add "case.transition" to the permissions of "${r}", or remove "${r}" from this event's roles`);
        }
      });
      checkForms(meta.forms, ['flows', key, 'events', ev, 'forms']);
    }
    const loaded = draft.flows[key];
    if (!loaded || loaded.json === undefined) continue;
    const res = checkFlowDefinition(loaded.json, {
      roles,
      forms,
      rules,
      institutionTypes: dictValues(pack.bindings.institutionTypes),
      closureReasons: dictValues(pack.bindings.closureReasons),
    });
    for (const fi of res.issues) issues.push({ file: loaded.file, ...fi });
    flowStates.set(key, res.statePaths);
    for (const [ev, where] of res.events) {
      if (!ref.events[ev]) issues.push({ file: loaded.file, path: where, message: `event "${ev}" has no metadata in pack.json`, hint: `add flows.${key}.events.${ev} with label, roles and forms to pack.json` });
    }
    for (const [ev, action] of Object.entries(teamActionsByEvent(loaded.json))) {
      ref.events[ev]?.roles.forEach((r, i) => {
        const perms = rolePermissions.get(r);
        if (perms && !perms.includes('case.team.manage')) {
          push(['flows', key, 'events', ev, 'roles', i], `role "${r}" may not change the case team (this event runs "${action}"): it lacks the "case.team.manage" permission`, `add "case.team.manage" to the permissions of "${r}", or remove "${r}" from this event's roles`);
        }
      });
    }
    for (const ev of Object.keys(ref.events)) {
      if (!res.events.has(ev)) push(['flows', key, 'events', ev], `event "${ev}" is declared but never used in ${loaded.file}`, 'use it in a transition of the flow or remove its metadata');
    }
    for (const sp of Object.keys(ref.states)) {
      if (!res.statePaths.has(sp)) push(['flows', key, 'states', sp], `flow "${key}" has no state "${sp}"`, `label an existing state path: ${[...res.statePaths].join(', ')}`);
    }
  }
  const checkFlowEvent = (ref: string, path: Array<string | number>) => {
    const [flow, ev] = ref.split('.');
    if (!pack.flows[flow]) return push(path, `unknown flow "${flow}"`, `known flows: ${Object.keys(pack.flows).join(', ') || '(none)'}`);
    if (!pack.flows[flow].events[ev]) push(path, `flow "${flow}" has no event "${ev}"`, `declared events: ${Object.keys(pack.flows[flow].events).join(', ')}`);
  };

  // Deadline rules.
  for (const [key, rule] of Object.entries(pack.deadlines)) {
    const base: Array<string | number> = ['deadlines', key];
    const a = rule.anchor;
    if ('event' in a) checkFlowEvent(a.event, [...base, 'anchor', 'event']);
    else if ('byFlow' in a) {
      // Nothing to resolve: the flow names the rule in a scheduleDeadline action (checked with the flow).
    } else if ('form' in a) {
      if (requireForm(a.form, [...base, 'anchor', 'form'])) checkField(a.form, a.field, [...base, 'anchor', 'field'], { date: true });
    } else {
      const dot = a.state.indexOf('.');
      const flow = a.state.slice(0, dot);
      const state = a.state.slice(dot + 1);
      if (!pack.flows[flow]) push([...base, 'anchor', 'state'], `unknown flow "${flow}"`, `known flows: ${Object.keys(pack.flows).join(', ') || '(none)'}`);
      else if (flowStates.has(flow) && !flowStates.get(flow)!.has(state)) push([...base, 'anchor', 'state'], `flow "${flow}" has no state "${state}"`, `existing states: ${[...flowStates.get(flow)!].join(', ')}`);
    }
    checkRoles(rule.roles, [...base, 'roles']);
    if (rule.escalateTo) checkRoles(rule.escalateTo, [...base, 'escalateTo']);
    rule.cancelOn.forEach((ev, i) => checkFlowEvent(ev, [...base, 'cancelOn', i]));
    if (rule.event) checkFlowEvent(rule.event, [...base, 'event']);
  }

  // Bindings.
  const b = pack.bindings;
  if (b.consent && requireForm(b.consent.form, ['bindings', 'consent', 'form'])) {
    for (const k of ['validFrom', 'validTo', 'purpose', 'recipients', 'evidence', 'signatories'] as const) {
      checkField(b.consent.form, b.consent[k], ['bindings', 'consent', k], { topLevel: true, date: k === 'validFrom' || k === 'validTo' });
    }
  }
  const checkGridBinding = (kind: 'plan' | 'catalogueInput', form: string, grid: string, columns: Record<string, string | undefined>) => {
    if (!requireForm(form, ['bindings', kind, 'form'])) return;
    const fields = formFields.get(form);
    const g = fields?.get(grid);
    if (fields && (!g || !g.columns)) return push(['bindings', kind, 'datagrid'], `form "${form}" has no datagrid "${grid}"`, 'name a datagrid or editgrid component of the form');
    for (const [col, field] of Object.entries(columns)) checkField(form, field, ['bindings', kind, 'columns', col], { grid, date: DATE_COLUMNS.has(col) });
  };
  if (b.plan) {
    const { goal, ...taskColumns } = b.plan.columns;
    checkGridBinding('plan', b.plan.form, b.plan.datagrid, taskColumns);
    if (b.plan.goalGrid === undefined) checkField(b.plan.form, goal, ['bindings', 'plan', 'columns', 'goal'], { grid: b.plan.datagrid });
    else {
      const fields = formFields.get(b.plan.form);
      const goalGrid = fields?.get(b.plan.goalGrid);
      if (fields && (!goalGrid || !goalGrid.columns)) push(['bindings', 'plan', 'goalGrid'], `form "${b.plan.form}" has no datagrid "${b.plan.goalGrid}"`, 'name the editgrid/datagrid whose rows are goals');
      else if (fields?.get(b.plan.datagrid) && fields.get(b.plan.datagrid)!.grid !== b.plan.goalGrid) push(['bindings', 'plan', 'datagrid'], `task grid "${b.plan.datagrid}" is not inside goal grid "${b.plan.goalGrid}"`, 'nest the task datagrid in the goal grid, or drop "goalGrid"');
      else checkField(b.plan.form, goal, ['bindings', 'plan', 'columns', 'goal'], { grid: b.plan.goalGrid });
    }
    for (const k of ['goal', 'startDate', 'endDate'] as const) checkField(b.plan.form, b.plan[k], ['bindings', 'plan', k], { topLevel: true, date: k !== 'goal' });
    b.plan.updateForms.forEach((form, i) => {
      if (requireForm(form, ['bindings', 'plan', 'updateForms', i])) checkGridBinding('plan', form, b.plan!.datagrid, taskColumns);
    });
    if (b.plan.basket) {
      for (const form of [b.plan.form, ...b.plan.updateForms]) checkGridBinding('plan', form, b.plan.basket.datagrid, { service: b.plan.basket.service });
    }
  }
  if (b.catalogueInput) checkGridBinding('catalogueInput', b.catalogueInput.form, b.catalogueInput.datagrid, b.catalogueInput.columns);
  b.meetingProtocol.forEach((m, i) => {
    const form = typeof m === 'string' ? m : m.form;
    const path: Array<string | number> = typeof m === 'string' ? ['bindings', 'meetingProtocol', i] : ['bindings', 'meetingProtocol', i, 'form'];
    if (!requireForm(form, path) || typeof m === 'string') return;
    checkField(form, m.date, ['bindings', 'meetingProtocol', i, 'date'], { topLevel: true, date: true });
    checkField(form, m.mode, ['bindings', 'meetingProtocol', i, 'mode'], { topLevel: true });
    checkField(form, m.attendance, ['bindings', 'meetingProtocol', i, 'attendance']);
  });
  for (const [name, m] of Object.entries(b.other)) {
    if (!requireForm(m.form, ['bindings', 'other', name, 'form'])) continue;
    const fields = formFields.get(m.form);
    if (m.datagrid !== undefined && fields && !fields.get(m.datagrid)?.columns) push(['bindings', 'other', name, 'datagrid'], `form "${m.form}" has no datagrid "${m.datagrid}"`, 'name a datagrid or editgrid component of the form');
    for (const [role, field] of Object.entries(m.fields)) checkField(m.form, field, ['bindings', 'other', name, 'fields', role]);
  }
  // Submitting the consent form records a consent, a plan form changes the plan: a fill role needs the permission too.
  const checkFillPermission = (form: string, permission: string) =>
    pack.forms[form]?.fill.forEach((r, i) => {
      const perms = rolePermissions.get(r);
      if (perms && !perms.includes(permission)) push(['forms', form, 'fill', i], `role "${r}" may not submit form "${form}": it lacks the "${permission}" permission`, `add "${permission}" to the permissions of "${r}", or remove "${r}" from this form's fill roles`);
    });
  if (b.consent) checkFillPermission(b.consent.form, 'consent.manage');
  if (b.plan) [b.plan.form, ...b.plan.updateForms].forEach((f) => checkFillPermission(f, 'plan.manage'));
  if (b.intake) requireForm(b.intake.form, ['bindings', 'intake', 'form']);
  checkDictionary(b.institutionTypes, ['bindings', 'institutionTypes']);
  checkDictionary(b.closureReasons, ['bindings', 'closureReasons']);

  // Documents.
  for (const [key, doc] of Object.entries(pack.documents)) {
    if (doc.form) requireForm(doc.form, ['documents', key, 'form']);
    if (doc.file && draft.assets[doc.file] === undefined) push(['documents', key, 'file'], `template file "${doc.file}" not found`, 'put the DOCX next to pack.json (path relative to configs/<pack-id>/) or remove "file"');
  }

  if (issues.length > 0) return { ok: false, issues };
  const formsOut: Record<string, unknown> = {};
  const flowsOut: Record<string, unknown> = {};
  for (const k of Object.keys(pack.forms)) formsOut[k] = draft.forms[k].json;
  for (const k of Object.keys(pack.flows)) flowsOut[k] = draft.flows[k].json;
  return { ok: true, issues: [], pack: { manifest: pack, forms: formsOut, flows: flowsOut, assets: { ...draft.assets }, lineage: draft.lineage } };
}
