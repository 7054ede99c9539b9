import { z } from 'zod';
import semver from 'semver';
import { PERMISSION_NAMES } from './permissions';

/**
 * The pack manifest format (`configs/<id>/pack.json`), documented in configs/README.md. The JSON Schema
 * `configs/pack.schema.json` is generated from these schemas (`npm run pack -- schema`) and a test keeps
 * the two in step. Pure module: safe on the client (the admin UI shows the same rules).
 */

/** Machine keys of roles, forms, flows, rules…: lowercase start, then letters/digits, words joined by - or _. */
export const KEY_PATTERN = /^[a-z][a-zA-Z0-9]*(?:[-_][a-zA-Z0-9]+)*$/;
/** Pack ids are kebab-case (they become folder names and URL segments). */
export const PACK_ID_PATTERN = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Flow events are UPPER_SNAKE_CASE, as in the domain files (ZGLOS, IPW_PRZYJETY). */
export const EVENT_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
/** State keys may keep the domain's spelling (e.g. `prezentacja_PZK`), but no dots (dots address nesting). */
export const STATE_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** ISO-8601 duration, e.g. P3M, P13M, P5D, PT12H, P1Y2M. */
export const DURATION_PATTERN = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

export const ZKey = z.string().regex(KEY_PATTERN, 'must be a machine key: lowercase letters/digits, words joined by "-" or "_" (e.g. "karta-oczekiwan")');
export const ZEventName = z.string().regex(EVENT_PATTERN, 'must be an UPPER_SNAKE_CASE event name (e.g. "IPW_PRZYJETY")');
export const ZDuration = z.string().regex(DURATION_PATTERN, 'must be an ISO-8601 duration such as "P3M", "P5D" or "PT12H"');

/** A bilingual label. Polish is required; English is optional and falls back to Polish. */
export const ZLabel = z.strictObject({
  pl: z.string().min(1, 'Polish label must not be empty'),
  en: z.string().min(1).optional(),
});
export type TLabel = z.infer<typeof ZLabel>;

/**
 * Traceability shared by every entity: where the model says so (`002:1769-1823`), free notes for pack
 * authors, and whether the entry is a platform addition rather than part of the model ([derived]).
 * The runtime ignores these; the admin UI and the pack README show them.
 */
const META = {
  source: z.string().optional(),
  notes: z.string().optional(),
  platformAddition: z.boolean().optional(),
};

export const ZPermission = z.enum(PERMISSION_NAMES, { error: (iss) => `unknown permission ${JSON.stringify(iss.input)}; allowed: ${PERMISSION_NAMES.join(', ')}` });

export const ZRole = z.strictObject({
  ...META,
  label: ZLabel,
  description: ZLabel.optional(),
  permissions: z.array(ZPermission).default([]),
  /** How far the role's "all cases" style permissions reach (tenant scope). */
  scope: z.enum(['institution', 'gmina', 'powiat', 'region']).default('institution'),
});
export type TRole = z.infer<typeof ZRole>;

export const ZMemberRole = z.strictObject({
  ...META,
  label: ZLabel,
  description: ZLabel.optional(),
  permissions: z.array(ZPermission).default([]),
  /** At most one holder per team (e.g. the coordinator, the key worker). */
  single: z.boolean().default(false),
});

export const ZTeamKind = z.strictObject({
  ...META,
  label: ZLabel,
  description: ZLabel.optional(),
  /** `institutional`: a standing team (PZK); `case`: set up per case (GGK, ZZK, the rural case team). */
  scope: z.enum(['institutional', 'case']),
  memberRoles: z.record(ZKey, ZMemberRole).refine((m) => Object.keys(m).length > 0, 'a team kind needs at least one member role'),
});

export const ZDictionary = z.strictObject({
  ...META,
  label: ZLabel,
  description: ZLabel.optional(),
  options: z
    .array(z.strictObject({ ...META, value: z.string().min(1), label: ZLabel, description: ZLabel.optional() }))
    .min(1, 'a dictionary needs at least one option'),
});
export type TDictionary = z.infer<typeof ZDictionary>;

export const ZFormRef = z.strictObject({
  ...META,
  /** The model's template id (e.g. "T5", "ZAL-6B"). */
  template: z.string().optional(),
  /** Path relative to `forms/<pack-id>/`; defaults to `<key>.json`. Resolved packs hold root-relative paths. */
  file: z.string().min(1).optional(),
  title: ZLabel.optional(),
  visibility: z.enum(['shared', 'private']),
  fill: z.array(ZKey).min(1, 'at least one role must be able to fill the form'),
  read: z.array(ZKey).default([]),
  subject: z.enum(['case', 'implementation', 'team', 'meeting', 'catalogue']).default('case'),
  /** One submission per case (true) or many (false: e.g. meeting records, plan versions are still one form). */
  repeatable: z.boolean().default(false),
});
export type TFormRef = z.infer<typeof ZFormRef>;

export const ZEventMeta = z.strictObject({
  ...META,
  label: ZLabel,
  description: ZLabel.optional(),
  /** Staff or team-member role keys allowed to send the event. */
  roles: z.array(ZKey).min(1, 'list at least one role that may send the event'),
  /** Form keys that must have a submitted version before the event is accepted. */
  forms: z.array(ZKey).default([]),
  /** Confirmation question shown before sending (irreversible steps). */
  confirm: ZLabel.optional(),
});
export type TEventMeta = z.infer<typeof ZEventMeta>;

export const ZFlowRef = z.strictObject({
  ...META,
  /** Path relative to `flows/<pack-id>/`; defaults to `<key>.json`. */
  file: z.string().min(1).optional(),
  title: ZLabel.optional(),
  subject: z.enum(['case', 'implementation']),
  /** The case team kind a case on this flow gets (must have scope `case`). */
  teamKind: ZKey.optional(),
  /** Member role given to the person who opens the case (default: the team kind's first member role). */
  creatorRole: ZKey.optional(),
  /**
   * Member role of the person who opens the case by their pack role in the institution they open it for,
   * before `creatorRole` (e.g. the OPS social worker leads the case, a school pedagogue who reports it joins as a member).
   */
  creatorRoleByStaffRole: z.record(ZKey, ZKey).optional(),
  /** Member role that `setCoordinator` hands over (default: the first `single` member role). */
  coordinatorRole: ZKey.optional(),
  events: z.record(ZEventName, ZEventMeta),
  /** Labels of states, keyed by state path (`realizacja` or `realizacja.monitoring` for nested states). */
  states: z.record(z.string(), z.strictObject({ ...META, label: ZLabel, description: ZLabel.optional() })).default({}),
});
export type TFlowRef = z.infer<typeof ZFlowRef>;

const ZFlowEventRef = z.string().regex(/^[a-z][a-zA-Z0-9_-]*\.[A-Z][A-Z0-9_]*$/, 'must be "<flow-key>.<EVENT>" (e.g. "sprawa.IPW_PRZYJETY")');

export const ZDeadlineAnchor = z.union([
  z.strictObject({ event: ZFlowEventRef }),
  /** Starts only when a flow action `scheduleDeadline` names the rule (e.g. one of several cadences chosen in a form). */
  z.strictObject({ byFlow: z.literal(true) }),
  z.strictObject({ form: ZKey, field: z.string().min(1) }),
  z.strictObject({ state: z.string().regex(/^[a-z][a-zA-Z0-9_-]*\.[A-Za-z][A-Za-z0-9_.-]*$/, 'must be "<flow-key>.<state path>"') }),
]);

export const ZDeadlineRule = z
  .strictObject({
    ...META,
    label: ZLabel,
    description: ZLabel.optional(),
    /** What the time is counted from: a flow event, a date field of a form, or entering a state. */
    anchor: ZDeadlineAnchor,
    /** Due at anchor + offset (or anchor − offset when `before`). */
    offset: ZDuration.optional(),
    /** Repeats every period after the anchor until cancelled (e.g. IPW review "at least every 3 months"). */
    cadence: z.strictObject({ every: ZDuration, count: z.number().int().positive().optional() }).optional(),
    before: z.boolean().default(false),
    /** `event`: when due, the platform itself sends `event` ("<flow>.<EVENT>") to the case (e.g. "plan period over"). */
    action: z.enum(['task', 'reminder', 'escalation', 'event']),
    event: z.string().regex(/^[a-z][a-zA-Z0-9_-]*\.[A-Z][A-Z0-9_]*$/, 'must be "<flow-key>.<EVENT>"').optional(),
    /** Roles that receive the task/reminder. */
    roles: z.array(ZKey).min(1, 'name at least one role that receives the task or reminder'),
    message: ZLabel.optional(),
    /** When still open this long after due, escalate to `escalateTo` (default: the case coordinator). */
    escalateAfter: ZDuration.optional(),
    escalateTo: z.array(ZKey).optional(),
    /** Events ("<flow>.<EVENT>") that complete or cancel the pending deadline. */
    cancelOn: z.array(ZFlowEventRef).default([]),
  })
  .refine((r) => Boolean(r.offset) !== Boolean(r.cadence), { message: 'give exactly one of "offset" or "cadence"', path: ['offset'] })
  .refine((r) => (r.action === 'event') === Boolean(r.event), { message: 'an "event" rule names the event to send (and only such a rule has one)', path: ['event'] });
export type TDeadlineRule = z.infer<typeof ZDeadlineRule>;

const ZFieldKey = z.string().min(1);

export const ZMeetingProtocolBinding = z.union([
  ZKey,
  z.strictObject({ form: ZKey, date: ZFieldKey.optional(), mode: ZFieldKey.optional(), attendance: ZFieldKey.optional() }),
]);

export const ZBindings = z.strictObject({
  /** Which form is the consent record and which of its fields carry validity and purpose. */
  consent: z
    .strictObject({
      form: ZKey,
      validFrom: ZFieldKey.optional(),
      validTo: ZFieldKey.optional(),
      purpose: ZFieldKey.optional(),
      recipients: ZFieldKey.optional(),
      evidence: ZFieldKey.optional(),
      signatories: ZFieldKey.optional(),
      /** Field (selectboxes/select of `institution:<id>` values) naming the institutions the consent covers. */
      recipientInstitutions: ZFieldKey.optional(),
      /** Field (selectboxes/select of institution-type keys) naming the institution types it covers. */
      recipientTypes: ZFieldKey.optional(),
      /** What the model's consent annex covers (lib/policy enforces it). */
      coverage: z
        .strictObject({
          /** Covers every institution of the case team when the form names no recipients (rural: "członkowie PZK", 002:1736). */
          wholeTeam: z.boolean().default(true),
          /** Institution types that control the case data (the GOPS/OPS): they keep access when the consent ends. */
          controllerTypes: z.array(ZKey).default([]),
          /**
           * Data categories: a ticked consent item (`field` checkbox or `field.option` of selectboxes) covers
           * these forms. With categories, a form named by no category is covered by the consent as a whole.
           */
          categories: z.array(z.strictObject({ when: z.string().min(1), forms: z.array(ZKey).min(1) })).default([]),
        })
        .optional(),
    })
    .optional(),
  /** Which form is the plan and which datagrid columns are the tasks. */
  plan: z
    .strictObject({
      form: ZKey,
      /** Top-level fields of the plan form. */
      goal: ZFieldKey.optional(),
      startDate: ZFieldKey.optional(),
      endDate: ZFieldKey.optional(),
      /** The grid whose rows are tasks. */
      datagrid: ZFieldKey,
      /**
       * Optional grid whose rows are goals, with the task grid nested inside each goal row (goals → tasks,
       * e.g. Karta planu pracy part B). Then `columns.goal` is a column of this grid.
       */
      goalGrid: ZFieldKey.optional(),
      columns: z.strictObject({
        goal: ZFieldKey.optional(),
        task: ZFieldKey,
        assignee: ZFieldKey,
        dueDate: ZFieldKey.optional(),
        service: ZFieldKey.optional(),
        status: ZFieldKey.optional(),
      }),
      /** Forms that update the plan with the same grid and columns (e.g. ZZK protocol part D): their rows update the same tasks. */
      updateForms: z.array(ZKey).default([]),
      /** A grid of chosen catalogue services kept apart from the tasks (the individual basket, IKU). */
      basket: z.strictObject({ datagrid: ZFieldKey, service: ZFieldKey }).optional(),
    })
    .optional(),
  /** Forms that are meeting protocols (PZK/GGK/ZZK meetings, workshops). */
  meetingProtocol: z.array(ZMeetingProtocolBinding).default([]),
  /** The form whose datagrid feeds the service catalogue. */
  catalogueInput: z
    .strictObject({
      form: ZKey,
      datagrid: ZFieldKey,
      columns: z.strictObject({
        name: ZFieldKey,
        description: ZFieldKey.optional(),
        provider: ZFieldKey.optional(),
        recipientGroup: ZFieldKey.optional(),
        conditions: ZFieldKey.optional(),
        contact: ZFieldKey.optional(),
        area: ZFieldKey.optional(),
        validTo: ZFieldKey.optional(),
        reviewDate: ZFieldKey.optional(),
      }),
    })
    .optional(),
  /** The intake form whose submission opens a case. */
  intake: z.strictObject({ form: ZKey }).optional(),
  /**
   * Named field mappings for runtime capabilities beyond the ones above (e.g. an evaluation form's
   * attainment and next-step fields). Validated like the others (form, grid and fields must exist);
   * a runtime feature reads the mapping under its documented name.
   */
  other: z
    .record(ZKey, z.strictObject({ form: ZKey, datagrid: ZFieldKey.optional(), fields: z.record(z.string(), ZFieldKey) }))
    .default({}),
  /** Dictionary keys with runtime meaning. */
  institutionTypes: ZKey.optional(),
  closureReasons: ZKey.optional(),
});
export type TBindings = z.infer<typeof ZBindings>;

export const ZIndicator = z
  .strictObject({
    ...META,
    label: ZLabel,
    description: ZLabel.optional(),
    kind: z.enum(['count', 'ratio', 'sum', 'average', 'duration']),
    source: z.enum(['cases', 'submissions', 'tasks', 'meetings', 'consents', 'catalogue', 'implementations', 'deadlines', 'teams']),
    /** MongoDB-style filter over the source (no personal-data fields). */
    filter: z.record(z.string(), z.unknown()).default({}),
    /** For `ratio`: the denominator filter (same source). */
    denominator: z.record(z.string(), z.unknown()).optional(),
    /** For `sum`/`average`/`duration`: the numeric or date field. */
    field: z.string().optional(),
    groupBy: z.array(z.string()).default([]),
  })
  .refine((i) => i.kind !== 'ratio' || i.denominator !== undefined, { message: 'a ratio needs a "denominator" filter', path: ['denominator'] })
  .refine((i) => !['sum', 'average', 'duration'].includes(i.kind) || Boolean(i.field), { message: 'this kind needs a "field"', path: ['field'] });

export const ZDocumentSlot = z.strictObject({
  ...META,
  template: z.string().optional(),
  label: ZLabel,
  description: ZLabel.optional(),
  /** DOCX template, relative to `configs/<pack-id>/`. */
  file: z.string().min(1).optional(),
  /** The form whose submission fills the template. */
  form: ZKey.optional(),
});

export const ZRetention = z.strictObject({
  /** How long closed cases keep personal data before the retention job acts. */
  afterClose: ZDuration,
  mode: z.enum(['anonymise', 'erase']).default('anonymise'),
});

export const ZPack = z.strictObject({
  $schema: z.string().optional(),
  ...META,
  id: z.string().regex(PACK_ID_PATTERN, 'pack id must be kebab-case (e.g. "wiejski", "miejsko-wiejski")'),
  version: z.string().refine((v) => semver.valid(v) === v, 'must be a semantic version such as "1.0.0"'),
  title: ZLabel,
  description: ZLabel.optional(),
  /** `"<base-id>@<semver range>"`, e.g. `"wiejski@^1.0.0"`. */
  extends: z
    .string()
    .regex(/^[a-z][a-z0-9-]*@.+$/, 'must be "<base-id>@<semver range>"')
    .refine((v) => semver.validRange(v.slice(v.indexOf('@') + 1)) !== null, 'the part after "@" must be a semver range such as "^1.0.0"')
    .optional(),
  roles: z.record(ZKey, ZRole).default({}),
  teamKinds: z.record(ZKey, ZTeamKind).default({}),
  dictionaries: z.record(ZKey, ZDictionary).default({}),
  forms: z.record(ZKey, ZFormRef).default({}),
  flows: z.record(ZKey, ZFlowRef).default({}),
  deadlines: z.record(ZKey, ZDeadlineRule).default({}),
  bindings: ZBindings.default({ meetingProtocol: [], other: {} }),
  indicators: z.record(ZKey, ZIndicator).default({}),
  documents: z.record(ZKey, ZDocumentSlot).default({}),
  labels: z.record(z.string(), ZLabel).default({}),
  retention: ZRetention.optional(),
});
export type TPack = z.infer<typeof ZPack>;
export type TPackInput = z.input<typeof ZPack>;

/** The text of a label in a language; English falls back to Polish. */
export function getLabelText(label: TLabel | undefined, lang: 'pl' | 'en' = 'pl'): string {
  if (!label) return '';
  return lang === 'en' ? (label.en ?? label.pl) : label.pl;
}

/** JSON Schema for editors (written to configs/pack.schema.json). */
export function buildPackJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ZPack, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://kooperacja.example/schemas/pack.schema.json', title: 'Kooperacja configuration pack (configs/<id>/pack.json)' };
}
