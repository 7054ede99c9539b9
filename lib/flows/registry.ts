import { z } from 'zod';
import { ZDuration, ZKey, ZLabel } from '@/lib/packs/schema';

/**
 * Every guard and action name a flow JSON may reference, with the zod schema of its `params` and a short
 * description. The pack validator checks flows against this registry; the flow engine (lib/flows, case
 * runtime) implements exactly these names — a name here without an implementation is a bug there.
 *
 * `refs` lists the pack keys a call points at, so the validator can check they exist.
 */
export type TRefKind = 'role' | 'form' | 'rule' | 'institutionType' | 'closureReason';

export interface TRegistryEntry<P extends z.ZodType = z.ZodType> {
  params: P;
  doc: string;
  refs?: (params: z.infer<P>) => Array<{ kind: TRefKind; key: string; path: string }>;
}

function entry<P extends z.ZodType>(e: TRegistryEntry<P>): TRegistryEntry<P> {
  return e;
}

const ZNoParams = z.strictObject({});

export const GUARDS = {
  senderHasRole: entry({
    params: z.strictObject({ roles: z.array(ZKey).min(1) }),
    doc: 'The sender holds one of the roles (staff role or case-team member role).',
    refs: (p) => p.roles.map((key, i) => ({ kind: 'role' as const, key, path: `roles[${i}]` })),
  }),
  formSubmitted: entry({
    params: z.strictObject({ form: ZKey, since: z.enum(['state']).optional() }),
    doc: 'The case has a submitted (not draft) version of the form; with `since: "state"` one submitted after the case entered its current state (a fresh record, not an old one).',
    refs: (p) => [{ kind: 'form', key: p.form, path: 'form' }],
  }),
  consentActive: entry({ params: ZNoParams, doc: 'The case has a consent that is valid now and not withdrawn.' }),
  jsonLogic: entry({
    params: z.strictObject({ form: ZKey, rule: z.unknown().refine((r) => typeof r === 'object' && r !== null, 'rule must be a JSON-logic object') }),
    doc: 'A JSON-logic rule holds over the latest submitted data of the form (`{"var": "fieldKey"}`).',
    refs: (p) => [{ kind: 'form', key: p.form, path: 'form' }],
  }),
  teamHasInstitutionType: entry({
    params: z.strictObject({ types: z.array(z.string().min(1)).min(1) }),
    doc: 'The case team includes an institution of one of the types (values of the institution-types dictionary).',
    refs: (p) => p.types.map((key, i) => ({ kind: 'institutionType' as const, key, path: `types[${i}]` })),
  }),
  deadlineNotPassed: entry({
    params: z.strictObject({ rule: ZKey }),
    doc: 'The pending deadline of the rule has not passed yet (or none is pending).',
    refs: (p) => [{ kind: 'rule', key: p.rule, path: 'rule' }],
  }),
} satisfies Record<string, TRegistryEntry>;

export const ACTIONS = {
  createTask: entry({
    params: z.strictObject({ title: ZLabel, role: ZKey.optional(), due: ZDuration.optional(), completeOn: z.array(z.string().regex(/^[A-Z][A-Z0-9_]*$/)).optional() }),
    doc: 'Creates a task for the holders of `role` (default: the case coordinator), due after `due`; the task is marked done when one of the `completeOn` events is sent.',
    refs: (p) => (p.role ? [{ kind: 'role' as const, key: p.role, path: 'role' }] : []),
  }),
  scheduleDeadline: entry({
    params: z.strictObject({ rule: ZKey }),
    doc: 'Starts the deadline rule now (stored as data; the sweeper fires it).',
    refs: (p) => [{ kind: 'rule', key: p.rule, path: 'rule' }],
  }),
  cancelDeadline: entry({
    params: z.strictObject({ rule: ZKey }),
    doc: 'Cancels the pending deadline of the rule.',
    refs: (p) => [{ kind: 'rule', key: p.rule, path: 'rule' }],
  }),
  notifyRole: entry({
    params: z.strictObject({ roles: z.array(ZKey).min(1), message: ZLabel }),
    doc: 'Sends an in-app (and e-mail, when configured) notification to the holders of the roles in the case.',
    refs: (p) => p.roles.map((key, i) => ({ kind: 'role' as const, key, path: `roles[${i}]` })),
  }),
  setCoordinator: entry({ params: ZNoParams, doc: 'Makes the team member named in the event payload the case coordinator.' }),
  addToTeam: entry({ params: ZNoParams, doc: 'Adds the institution/person of the event payload to the case team with the payload’s member role.' }),
  removeFromTeam: entry({ params: ZNoParams, doc: 'Removes the team member named in the event payload from the case team.' }),
  closeCase: entry({
    params: z
      .strictObject({ reason: z.string().min(1).optional(), reasonFrom: z.strictObject({ form: ZKey, field: z.string().min(1) }).optional() })
      .refine((p) => Boolean(p.reason) !== Boolean(p.reasonFrom), 'give exactly one of "reason" or "reasonFrom"'),
    doc: 'Closes the case with a reason (a value of the closure-reasons dictionary when the pack binds one), or with the value of a field of the latest submitted form (`reasonFrom`).',
    refs: (p) => [...(p.reason ? [{ kind: 'closureReason' as const, key: p.reason, path: 'reason' }] : []), ...(p.reasonFrom ? [{ kind: 'form' as const, key: p.reasonFrom.form, path: 'reasonFrom.form' }] : [])],
  }),
  setContext: entry({
    params: z.strictObject({ values: z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), z.union([z.string(), z.number(), z.boolean(), z.null()])) }),
    doc: 'Sets plain values in the machine context (flags such as `remote: true`); JSON values only.',
  }),
} satisfies Record<string, TRegistryEntry>;

/** XState v5's built-in combinators, written in JSON as `{type:'and'|'or', guards:[…]}` / `{type:'not', guard}`. */
export const GUARD_COMBINATORS = ['and', 'or', 'not'] as const;

export type TGuardName = keyof typeof GUARDS;
export type TActionName = keyof typeof ACTIONS;
export const GUARD_NAMES = Object.keys(GUARDS) as TGuardName[];
export const ACTION_NAMES = Object.keys(ACTIONS) as TActionName[];

export function getGuardEntry(name: string): TRegistryEntry | undefined {
  return Object.prototype.hasOwnProperty.call(GUARDS, name) ? (GUARDS as Record<string, TRegistryEntry>)[name] : undefined;
}

export function getActionEntry(name: string): TRegistryEntry | undefined {
  return Object.prototype.hasOwnProperty.call(ACTIONS, name) ? (ACTIONS as Record<string, TRegistryEntry>)[name] : undefined;
}
