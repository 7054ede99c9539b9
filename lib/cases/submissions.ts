import 'server-only';
import { z } from 'zod';
import { AppError, isAppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { getStore } from '@/lib/store';
import { recordAccess, actorOf } from '@/lib/audit/audit';
import { authorize, enforce, formFillPermissions, type TPrincipal } from '@/lib/policy/policy';
import { decideFormFill, decideFormRead, decideSubmissionRead } from '@/lib/policy/case';
import { prepareForm, prefilledKeys, normalizeSubmissionData, type TFormJson, type TOption } from '@/lib/forms/prepare';
import { validateSubmission } from '@/lib/forms/validate-submission';
import type { TDataSource } from '@/lib/forms/check-form';
import type { TResolvedPack } from '@/lib/packs/validate';
import type { TInstitution, TUser } from '@/lib/orgs/types';
import { listCatalogueOptions } from '@/lib/catalogue/options';
import { caseResource } from './access';
import { cols, getCaseDocOrThrow, labelOf, memberRolesOf, packOf } from './context';
import { hasRulesOnForm } from './deadline-rules';
import { runSubmissionEffects, submissionEffect } from './outbox';
import { SUBMISSION_RECORD, type TSubmissionRecord } from './records';
import { referencesFiles } from './file-access';
import { consentTermsFromData } from './consent';
import type { TCase, TSubmission } from './types';

/**
 * Forms inside cases: the prepared form (lookups filled for this case), drafts with autosave, submitted
 * versions re-validated on the server against the case's pinned pack version (the processed data is what
 * is stored), version history, and shared/private visibility as the pack declares per form.
 */

type TFormMeta = TResolvedPack['manifest']['forms'][string];

function formMetaOrThrow(pack: TResolvedPack, formKey: string): TFormMeta {
  const meta = pack.manifest.forms[formKey];
  if (!meta || pack.forms[formKey] === undefined) throw new AppError('not_found', 'Ten formularz nie należy do modelu sprawy.');
  return meta;
}

/** Options of the runtime data sources for forms of this case. */
export async function caseFormOptions(c: TCase): Promise<Partial<Record<TDataSource, TOption[]>>> {
  const store = await getStore();
  const insts = await store.collection<TInstitution>('institutions').find({ regionId: c.regionId, active: true }, { sort: { name: 1 } });
  const local = insts.filter((i) => (!i.gminaId || i.gminaId === c.gminaId) && (!i.powiatId || i.powiatId === c.powiatId));
  const byId = new Map(insts.map((i) => [i._id, i]));
  const active = c.team.filter((t) => !t.leftAt);
  const users = await store.collection<TUser>('users').find({ _id: { $in: active.filter((t) => t.userId).map((t) => t.userId!) } });
  const userName = new Map(users.map((u) => [u._id, u.name]));
  const teamInstitutions = [...new Set(active.map((t) => t.institutionId))].map((id) => ({ value: `institution:${id}`, label: byId.get(id)?.name ?? id }));
  const teamPeople = active.filter((t) => t.userId).map((t) => ({ value: `person:${t.userId}`, label: `${userName.get(t.userId!) ?? 'Osoba'} (${byId.get(t.institutionId)?.name ?? ''})` }));
  const members = c.subject.members.map((m) => ({ value: `member:${m.id}`, label: `${m.firstName} ${m.lastName}${m.relation ? ` (${m.relation})` : ''}` }));
  const roleUsers = await store.collection<TUser>('users').find({ status: 'active', 'memberships.institutionId': { $in: local.map((i) => i._id) } }, { sort: { name: 1 } });
  return {
    institutions: local.map((i) => ({ value: `institution:${i._id}`, label: i.name })),
    'team-institutions': teamInstitutions,
    'team-people': teamPeople,
    assignees: [...teamInstitutions, ...teamPeople, ...members.map((m) => ({ ...m, label: `${m.label} — rodzina` }))],
    'case-members': members,
    catalogue: await listCatalogueOptions({ regionId: c.regionId, gminaId: c.gminaId, powiatId: c.powiatId }),
    users: roleUsers.map((u) => ({ value: `person:${u._id}`, label: u.name })),
  };
}

/**
 * Values of the `properties.prefill` sources a case form may name. The card number (the identifier of the
 * case in correspondence, urban-rural AC-4) is the case number; `now` is today in Poland, on the app's clock.
 */
function casePrefill(c: TCase): Record<string, string> {
  return { 'case.number': c.number, 'case.cardNumber': c.number, now: `${now().toLocaleDateString('sv-SE', { timeZone: 'Europe/Warsaw' })}T00:00:00` };
}
/** Prefill sources owned by the case: the server sets these fields, whatever the browser sent. */
const CASE_OWNED_PREFILL = ['case.number', 'case.cardNumber'] as const;

/** `data` with the case-owned prefilled fields (the card number…) set from the case. */
function withCaseOwnedFields(c: TCase, form: TFormJson, data: Record<string, unknown>): Record<string, unknown> {
  const keys = prefilledKeys(form, CASE_OWNED_PREFILL);
  if (!keys.size) return data;
  const values = casePrefill(c);
  return { ...data, ...Object.fromEntries([...keys].map(([key, source]) => [key, values[source]])) };
}

export async function preparedCaseForm(c: TCase, pack: TResolvedPack, formKey: string, locale: 'pl' | 'en' = 'pl') {
  return prepareForm(pack.forms[formKey] as TFormJson, { dictionaries: pack.manifest.dictionaries, options: await caseFormOptions(c), prefill: casePrefill(c), locale });
}

export interface TCaseFormView {
  caseNumber: string;
  subjectName: string;
  formKey: string;
  title: string;
  form: Record<string, unknown>;
  visibility: 'shared' | 'private';
  repeatable: boolean;
  canFill: boolean;
  /** Why filling is not possible now (locked case, consent withdrawn), when canFill is false for that reason. */
  lockedReason?: string;
  draft?: Pick<TSubmission, '_id' | 'revision' | 'data' | 'seriesId' | 'updatedAt'>;
  latest?: Pick<TSubmission, '_id' | 'version' | 'data' | 'seriesId' | 'submittedAt' | 'authorUserId'>;
  versions: Pick<TSubmission, '_id' | 'version' | 'seriesId' | 'submittedAt' | 'authorUserId'>[];
  caseRevision: number;
}

/** A form of a case as the principal may see it: prepared definition, its own draft, visible versions. */
export async function getCaseForm(principal: TPrincipal, caseId: string, formKey: string, opts: { seriesId?: string; locale?: 'pl' | 'en'; requestId?: string } = {}): Promise<TCaseFormView> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const resource = caseResource(c, pack.manifest);
  authorize(principal, 'case.read', resource);
  const meta = formMetaOrThrow(pack, formKey);
  enforce(principal, decideFormRead(principal, c, resource, formKey, meta), { notFound: 'case' });
  const { submissions } = await cols();
  const seriesFilter = opts.seriesId ? { seriesId: opts.seriesId } : meta.repeatable ? {} : { seriesId: formKey };
  const all = await submissions.find({ caseId, formKey, status: 'submitted', ...seriesFilter }, { sort: { submittedAt: -1 } });
  const visible = all.filter((s) => decideSubmissionRead(principal, s).allow);
  const draft = await submissions.findOne({ caseId, formKey, status: 'draft', authorUserId: principal.userId, ...seriesFilter }, { sort: { updatedAt: -1 } });
  const fillDecision = decideFormFill(principal, c, resource, formKey, meta, formFillPermissions(pack.manifest, formKey));
  const canFill = fillDecision.allow;
  // A role that fills the form but is stopped by a lock (closed case, withdrawn consent) is told why.
  const lockedReason = !fillDecision.allow && !fillDecision.reasons.some((r) => r.code === 'form_no_fill_role') ? fillDecision.message : undefined;
  await recordAccess({ actor: actorOf(principal), action: 'case.form.read', target: { type: 'case', id: c._id, label: `${c.number} / ${formKey}` }, scope: resource.scope, requestId: opts.requestId });
  const latest = visible[0];
  const form = await preparedCaseForm(c, pack, formKey, opts.locale);
  return {
    caseNumber: c.number,
    subjectName: c.subject.name,
    formKey,
    title: labelOf(meta.title, String((pack.forms[formKey] as { title?: string }).title ?? formKey), opts.locale),
    form,
    visibility: meta.visibility,
    repeatable: meta.repeatable,
    canFill,
    ...(lockedReason ? { lockedReason } : {}),
    ...(draft ? { draft: { _id: draft._id, revision: draft.revision, data: withCaseOwnedFields(c, form, draft.data), seriesId: draft.seriesId, updatedAt: draft.updatedAt } } : {}),
    ...(latest ? { latest: { _id: latest._id, version: latest.version, data: latest.data, seriesId: latest.seriesId, submittedAt: latest.submittedAt, authorUserId: latest.authorUserId } } : {}),
    versions: visible.map((s) => ({ _id: s._id, version: s.version, seriesId: s.seriesId, submittedAt: s.submittedAt, authorUserId: s.authorUserId })),
    caseRevision: c.revision,
  };
}

async function assertCanFill(principal: TPrincipal, c: TCase, pack: TResolvedPack, formKey: string): Promise<TFormMeta> {
  const resource = caseResource(c, pack.manifest);
  authorize(principal, 'case.read', resource);
  const meta = formMetaOrThrow(pack, formKey);
  enforce(principal, decideFormFill(principal, c, resource, formKey, meta, formFillPermissions(pack.manifest, formKey)), { notFound: 'case' });
  return meta;
}

function actingInstitution(principal: TPrincipal, c: TCase): string {
  const onTeam = c.team.find((t) => !t.leftAt && (t.userId === principal.userId || principal.memberships.some((m) => m.institutionId === t.institutionId)));
  return onTeam?.institutionId ?? principal.memberships[0]?.institutionId ?? '';
}

export const ZSaveDraft = z.object({
  seriesId: z.string().min(1).max(100).optional(),
  data: z.record(z.string(), z.unknown()),
  /** Revision of the draft being replaced (absent for the first save). */
  revision: z.number().int().positive().optional(),
});

/** Autosave: keeps one draft per author and series; a stale revision (two tabs) answers 409. */
export async function saveDraft(principal: TPrincipal, caseId: string, formKey: string, input: z.infer<typeof ZSaveDraft>): Promise<Pick<TSubmission, '_id' | 'revision' | 'updatedAt' | 'seriesId'>> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const meta = await assertCanFill(principal, c, pack, formKey);
  const seriesId = meta.repeatable ? input.seriesId ?? newId() : formKey;
  const { submissions } = await cols();
  const existing = await submissions.findOne({ caseId, formKey, seriesId, status: 'draft', authorUserId: principal.userId });
  if (existing) {
    if (input.revision !== undefined && input.revision !== existing.revision) {
      throw new AppError('conflict', 'Szkic zmieniono w innym oknie — odśwież stronę.', { meta: { currentRevision: existing.revision } });
    }
    const d = await submissions.updateById(existing._id, existing.revision, { $set: { data: input.data } });
    return { _id: d._id, revision: d.revision, updatedAt: d.updatedAt, seriesId };
  }
  const d = await submissions.insertOne({
    caseId, formKey, seriesId, packId: c.packId, packVersion: c.packVersion, status: 'draft', version: 0, data: input.data, visibility: meta.visibility,
    authorUserId: principal.userId, authorInstitutionId: actingInstitution(principal, c), regionId: c.regionId, ...(c.powiatId ? { powiatId: c.powiatId } : {}), ...(c.gminaId ? { gminaId: c.gminaId } : {}),
  });
  return { _id: d._id, revision: d.revision, updatedAt: d.updatedAt, seriesId };
}

export const ZSubmitForm = z.object({
  seriesId: z.string().min(1).max(100).optional(),
  data: z.record(z.string(), z.unknown()),
  /** The latest version the author saw (0 = none): a newer version by someone else answers 409. */
  baseVersion: z.number().int().min(0).optional(),
});

/**
 * Submits a new version. The data is validated with @formio/core against the case's pinned form with
 * this case's lookups; on any error nothing is stored (400 with field paths). Then the bindings act —
 * files → attached to the case, consent → consent record, plan → tasks, date fields → deadline rules —
 * as effects stored with the submission in the same insert (the outbox), so none is lost on a crash.
 */
export async function submitForm(principal: TPrincipal, caseId: string, formKey: string, input: z.infer<typeof ZSubmitForm>, requestId?: string): Promise<TSubmission> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const meta = await assertCanFill(principal, c, pack, formKey);
  const seriesId = meta.repeatable ? input.seriesId ?? newId() : formKey;
  const form = await preparedCaseForm(c, pack, formKey);
  const result = validateSubmission(form as { components: unknown[] }, normalizeSubmissionData(form, withCaseOwnedFields(c, form, input.data)));
  if (result.errors.length) {
    throw new AppError('validation', 'Formularz zawiera błędy — popraw zaznaczone pola.', { details: result.errors.map((e) => ({ path: `data.${e.path}`, message: e.message })) });
  }
  const b = pack.manifest.bindings;
  // The consent's structured terms are checked before anything is stored (the outbox effect records them).
  if (b.consent?.form === formKey) await consentTermsFromData(c, pack, result.data);
  const { submissions } = await cols();
  const previous = await submissions.findOne({ caseId, formKey, seriesId, status: 'submitted' }, { sort: { version: -1 } });
  const version = (previous?.version ?? 0) + 1;
  if (input.baseVersion !== undefined && input.baseVersion !== (previous?.version ?? 0)) {
    throw new AppError('conflict', 'Ktoś zatwierdził nowszą wersję tego formularza w międzyczasie — odśwież stronę, aby zobaczyć zmiany.', { meta: { currentVersion: previous?.version ?? 0 } });
  }
  const record: TSubmissionRecord = {
    text: `${labelOf(meta.title, formKey)} — wersja ${version}`,
    actor: { userId: principal.userId, name: principal.name },
    ...(previous ? { before: { version: previous.version, data: previous.data } } : {}),
    ...(requestId ? { requestId } : {}),
  };
  const effects = [
    { ...submissionEffect(SUBMISSION_RECORD, principal.userId), params: record as unknown as Record<string, unknown> },
    ...(referencesFiles(result.data) ? [submissionEffect('attachFiles', principal.userId)] : []),
    ...(b.consent?.form === formKey ? [submissionEffect('recordConsent', principal.userId, requestId ? { requestId } : {})] : []),
    ...(b.plan && (b.plan.form === formKey || b.plan.updateForms.includes(formKey)) ? [submissionEffect('syncPlanTasks', principal.userId)] : []),
    ...(hasRulesOnForm(pack, formKey) ? [submissionEffect('scheduleFormRules', principal.userId)] : []),
  ];
  let saved: TSubmission;
  try {
    saved = await submissions.insertOne({
      caseId, formKey, seriesId, packId: c.packId, packVersion: c.packVersion, status: 'submitted', version, data: result.data, visibility: meta.visibility,
      authorUserId: principal.userId, authorInstitutionId: actingInstitution(principal, c), submittedAt: now(),
      regionId: c.regionId, ...(c.powiatId ? { powiatId: c.powiatId } : {}), ...(c.gminaId ? { gminaId: c.gminaId } : {}),
      pendingEffects: effects,
    });
  } catch (e) {
    if (isAppError(e) && e.code === 'conflict') throw new AppError('conflict', 'Ktoś zatwierdził ten formularz w tej samej chwili — odśwież stronę.');
    throw e;
  }
  // The first effect records the version (draft removed, timeline, audit); a failing effect is logged and
  // retried from the outbox — the submission itself is stored either way.
  return runSubmissionEffects(saved._id);
}

/** One submitted version with its data (history view), if the principal may see it. */
export async function getSubmission(principal: TPrincipal, caseId: string, submissionId: string, requestId?: string): Promise<TSubmission> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const resource = caseResource(c, pack.manifest);
  authorize(principal, 'case.read', resource);
  const s = await (await cols()).submissions.findById(submissionId);
  if (!s || s.caseId !== caseId || s.status !== 'submitted') throw new AppError('not_found', 'Nie znaleziono wersji formularza.');
  const meta = formMetaOrThrow(pack, s.formKey);
  // Forms the principal may not read and private versions of other institutions: as if they did not exist.
  if (!decideFormRead(principal, c, resource, s.formKey, meta).allow || !decideSubmissionRead(principal, s).allow) throw new AppError('not_found', 'Nie znaleziono wersji formularza.');
  await recordAccess({ actor: actorOf(principal), action: 'case.submission.read', target: { type: 'submission', id: s._id, label: `${c.number} / ${s.formKey} v${s.version}` }, scope: { regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId }, requestId });
  return s;
}

/**
 * Forms of this record: a family case shows its case forms and the meeting records its case team fills
 * (workshops, team meetings); an implementation record shows implementation forms and the meetings of
 * the institutional team. Agreements, catalogue cards and team forms live elsewhere.
 */
function formBelongsTo(c: TCase, pack: TResolvedPack, meta: TFormMeta): boolean {
  if (c.kind === 'implementation') return meta.subject === 'implementation' || meta.subject === 'meeting';
  if (meta.subject === 'case') return true;
  if (meta.subject !== 'meeting') return false;
  const caseRoles = Object.keys(memberRolesOf(pack.manifest, c.flowKey));
  return meta.fill.some((r) => caseRoles.includes(r));
}

/** Summary of the case's forms for the case page: which exist, who may fill them, latest version visible. */
export async function listCaseForms(principal: TPrincipal, c: TCase, pack: TResolvedPack, locale: 'pl' | 'en' = 'pl') {
  const { submissions } = await cols();
  const subs = await submissions.find({ caseId: c._id, status: 'submitted' }, { sort: { submittedAt: -1 } });
  const resource = caseResource(c, pack.manifest);
  return Object.entries(pack.manifest.forms)
    .filter(([, meta]) => formBelongsTo(c, pack, meta))
    .filter(([key, meta]) => decideFormRead(principal, c, resource, key, meta).allow)
    .map(([key, meta]) => {
      const mine = subs.filter((s) => s.formKey === key && decideSubmissionRead(principal, s).allow);
      return {
        key,
        title: labelOf(meta.title, key, locale),
        visibility: meta.visibility,
        repeatable: meta.repeatable,
        canFill: decideFormFill(principal, c, resource, key, meta, formFillPermissions(pack.manifest, key)).allow,
        submittedCount: mine.length,
        latestAt: mine[0]?.submittedAt,
        latestVersion: mine[0]?.version,
      };
    });
}
