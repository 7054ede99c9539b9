import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { recordChange, actorOf } from '@/lib/audit/audit';
import { authorize, enforce, type TPrincipal } from '@/lib/policy/policy';
import { decideCaseData } from '@/lib/policy/case';
import type { TResolvedPack } from '@/lib/packs/validate';
import type { TInstitution } from '@/lib/orgs/types';
import { getStore } from '@/lib/store';
import { caseResource } from './access';
import { addTimeline, cols, getCaseDocOrThrow, packOf } from './context';
import { ZConsentScope, type TCaseConsentSummary, type TConsentScope } from './consent-scope';
import type { TCase, TConsent, TSubmission } from './types';

/**
 * Consent is a first-class record. It is created from the pack's consent form (bindings.consent names
 * the fields that carry validity, purpose, recipients, evidence, signatories) and gates the case team's
 * work through the `consentActive` guard. Withdrawal locks the case against further processing (see
 * access.ts) until it is closed or erased, and the case page says why.
 */

/** Readable text of a form value: selectboxes give their ticked options, rows their text cells; booleans say nothing. */
function text(v: unknown): string {
  if (Array.isArray(v)) return v.map(text).filter(Boolean).join('; ');
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length && entries.every(([, x]) => typeof x === 'boolean')) return entries.filter(([, x]) => x).map(([k]) => k).join(', ');
    return entries.map(([, x]) => text(x)).filter(Boolean).join(' ');
  }
  // Dates of signing rows are not part of who signed or what for.
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return '';
  return v === undefined || v === null || typeof v === 'boolean' ? '' : String(v);
}

function fileIds(v: unknown): string[] {
  const list = Array.isArray(v) ? v : v ? [v] : [];
  return list.map((f) => (f && typeof f === 'object' ? String((f as { id?: string; data?: { id?: string } }).id ?? (f as { data?: { id?: string } }).data?.id ?? '') : '')).filter(Boolean);
}

function date(v: unknown): Date | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Chosen values of a select (string or array) or selectboxes (`{ value: true }`) field. */
function chosen(v: unknown): string[] {
  if (typeof v === 'string') return v ? [v] : [];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x.length > 0);
  if (v && typeof v === 'object') return Object.entries(v as Record<string, unknown>).filter(([, x]) => x === true).map(([k]) => k);
  return [];
}

function ticked(d: Record<string, unknown>, when: string): boolean {
  if (d[when] === true) return true;
  const dot = when.indexOf('.');
  return dot > 0 && chosen(d[when.slice(0, dot)]).includes(when.slice(dot + 1));
}

export interface TConsentTerms {
  scope: TConsentScope;
  validFrom: Date;
  validTo?: Date;
}

/**
 * The structured terms of a consent form's data, as the pack's consent binding maps them: the named
 * institutions (of the case's region) and institution types (of the pack's dictionary), else the whole
 * team when the model's annex covers it; the forms of the ticked data categories; the validity period.
 * Anything that does not check out is a 400 naming the field, before anything is stored.
 */
export async function consentTermsFromData(c: TCase, pack: TResolvedPack, d: Record<string, unknown>): Promise<TConsentTerms> {
  const b = pack.manifest.bindings.consent!;
  const coverage = b.coverage ?? { wholeTeam: true, controllerTypes: [], categories: [] };
  const field = (key: string | undefined) => (key ? `data.${key}` : 'data');
  const institutionIds = b.recipientInstitutions ? chosen(d[b.recipientInstitutions]).map((v) => v.replace(/^institution:/, '')) : [];
  if (institutionIds.length) {
    const found = await (await getStore()).collection<TInstitution>('institutions').find({ _id: { $in: institutionIds }, regionId: c.regionId });
    const unknown = institutionIds.filter((id) => !found.some((i) => i._id === id));
    if (unknown.length) throw new AppError('validation', 'Zgoda wskazuje nieznaną instytucję.', { details: [{ path: field(b.recipientInstitutions), message: 'Wybierz instytucje z listy.' }] });
  }
  const institutionTypes = b.recipientTypes ? chosen(d[b.recipientTypes]) : [];
  const typeDict = pack.manifest.bindings.institutionTypes ? pack.manifest.dictionaries[pack.manifest.bindings.institutionTypes] : undefined;
  if (institutionTypes.some((t) => !typeDict?.options.some((o) => o.value === t))) {
    throw new AppError('validation', 'Zgoda wskazuje nieznany typ instytucji.', { details: [{ path: field(b.recipientTypes), message: 'Wybierz typy instytucji z listy.' }] });
  }
  let forms: string[] | undefined;
  if (coverage.categories.length) {
    const all = Object.keys(pack.manifest.forms);
    const inSomeCategory = new Set(coverage.categories.flatMap((k) => k.forms));
    const covered = new Set([...all.filter((f) => !inSomeCategory.has(f)), ...coverage.categories.filter((k) => ticked(d, k.when)).flatMap((k) => k.forms)]);
    if (all.some((f) => !covered.has(f))) forms = all.filter((f) => covered.has(f));
  }
  const named = institutionIds.length > 0 || institutionTypes.length > 0;
  const parsed = ZConsentScope.safeParse({ wholeTeam: !named && coverage.wholeTeam, institutionIds, institutionTypes, ...(forms ? { forms } : {}) });
  if (!parsed.success) throw new AppError('validation', 'Zakres zgody jest nieprawidłowy.', { details: parsed.error.issues.map((i) => ({ path: `consent.${i.path.join('.')}`, message: i.message })) });
  const validFrom = (b.validFrom && date(d[b.validFrom])) || now();
  const validTo = b.validTo ? date(d[b.validTo]) : undefined;
  if (validTo && validTo < validFrom) throw new AppError('validation', 'Zgoda nie może wygasać przed datą jej udzielenia.', { details: [{ path: field(b.validTo), message: 'Data końca jest wcześniejsza niż data zgody.' }] });
  return { scope: parsed.data, validFrom, ...(validTo ? { validTo } : {}) };
}

export async function recordConsentFromSubmission(principal: TPrincipal, c: TCase, pack: TResolvedPack, s: TSubmission, terms: TConsentTerms, requestId?: string): Promise<TConsent> {
  const b = pack.manifest.bindings.consent!;
  const d = s.data;
  const { consents, cases } = await cols();
  const consent = await consents.insertOne({
    caseId: c._id,
    submissionId: s._id,
    signatories: b.signatories ? text(d[b.signatories]).split('; ').filter(Boolean) : [],
    purpose: b.purpose ? text(d[b.purpose]) : '',
    recipients: b.recipients ? text(d[b.recipients]) : '',
    scope: terms.scope,
    evidenceFileIds: b.evidence ? fileIds(d[b.evidence]) : [],
    validFrom: terms.validFrom,
    ...(terms.validTo ? { validTo: terms.validTo } : {}),
    status: 'active',
    recordedByUserId: principal.userId,
    regionId: c.regionId,
    ...(c.powiatId ? { powiatId: c.powiatId } : {}),
    ...(c.gminaId ? { gminaId: c.gminaId } : {}),
  });
  // Older active consents are superseded by the new record (e.g. a renewed or extended consent).
  await consents.updateMany({ caseId: c._id, status: 'active', _id: { $ne: consent._id } }, { $set: { status: 'withdrawn', withdrawnAt: now(), withdrawnByUserId: principal.userId, withdrawalReason: 'Zastąpiona nową zgodą' } });
  // Atomic whatever else changes on the case meanwhile (a revision-conditional retry could give up and leave it unset).
  const summary: TCaseConsentSummary = { status: 'active', consentId: consent._id, scope: terms.scope, validFrom: terms.validFrom, ...(terms.validTo ? { validTo: terms.validTo } : {}) };
  await cases.findOneAndUpdate({ _id: c._id }, { $set: { consent: summary } });
  await addTimeline({ caseId: c._id, at: now(), kind: 'consent', actor: { userId: principal.userId, name: principal.name }, text: 'Zarejestrowano zgodę osoby/rodziny' });
  await recordChange({ actor: actorOf(principal), action: 'consent.record', target: { type: 'consent', id: consent._id, label: c.number }, scope: { regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId }, after: consent, requestId });
  return consent;
}

/** Whether the consent is in force at `at` (recorded, not withdrawn, inside its validity). */
export function isConsentInForce(consent: Pick<TConsent, 'status' | 'validFrom' | 'validTo'>, at: Date = now()): boolean {
  return consent.status === 'active' && consent.validFrom <= at && (!consent.validTo || consent.validTo >= at);
}

export async function listConsents(principal: TPrincipal, caseId: string): Promise<TConsent[]> {
  const c = await getCaseDocOrThrow(caseId);
  // Consent records name the family and its signatories: family data, under the consent's own scope.
  enforce(principal, decideCaseData(principal, c, caseResource(c, (await packOf(c)).manifest)), { notFound: 'case' });
  return (await cols()).consents.find({ caseId }, { sort: { createdAt: -1 } });
}

export const ZWithdrawConsent = z.object({
  reason: z.string().trim().min(3, 'Podaj, jak i kiedy osoba/rodzina wycofała zgodę.').max(1000),
  withdrawnAt: z.coerce.date().optional(),
});

/**
 * Records the withdrawal (by the family, through the GOPS/OPS). From then on the case is locked against
 * processing except closing, export and erasure; every later attempt answers with the reason.
 */
export async function withdrawConsent(principal: TPrincipal, caseId: string, consentId: string, input: z.infer<typeof ZWithdrawConsent>, requestId?: string): Promise<TCase> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const resource = caseResource(c, pack.manifest);
  authorize(principal, 'case.read', resource);
  authorize(principal, 'consent.manage', resource);
  const { consents, cases } = await cols();
  const consent = await consents.findById(consentId);
  if (!consent || consent.caseId !== caseId) throw new AppError('not_found', 'Nie znaleziono zgody.');
  if (consent.status === 'withdrawn') throw new AppError('conflict', 'Ta zgoda została już wycofana.');
  const at = input.withdrawnAt ?? now();
  const after = await consents.updateById(consent._id, consent.revision, { $set: { status: 'withdrawn', withdrawnAt: at, withdrawnByUserId: principal.userId, withdrawalReason: input.reason } });
  // The lock must hold once the withdrawal is acknowledged: one atomic update, never a retry that gives up.
  const updated = (await cases.findOneAndUpdate({ _id: caseId }, { $set: { 'consent.status': 'withdrawn', 'consent.consentId': consent._id, 'consent.withdrawnAt': at, 'consent.reason': input.reason } })) ?? c;
  await addTimeline({ caseId, at, kind: 'consent', actor: { userId: principal.userId, name: principal.name }, text: 'Wycofano zgodę — sprawę można już tylko przeglądać albo zamknąć' });
  await recordChange({ actor: actorOf(principal), action: 'consent.withdraw', target: { type: 'consent', id: consent._id, label: c.number }, scope: resource.scope, before: consent, after, requestId });
  return updated;
}
