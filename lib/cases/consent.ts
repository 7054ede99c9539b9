import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { recordChange, actorOf } from '@/lib/audit/audit';
import { authorize, type TPrincipal } from '@/lib/policy/policy';
import type { TResolvedPack } from '@/lib/packs/validate';
import { caseResource } from './access';
import { addTimeline, cols, getCaseDocOrThrow, packOf } from './context';
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

export async function recordConsentFromSubmission(principal: TPrincipal, c: TCase, pack: TResolvedPack, s: TSubmission, requestId?: string): Promise<TConsent> {
  const b = pack.manifest.bindings.consent!;
  const d = s.data;
  const { consents, cases } = await cols();
  const consent = await consents.insertOne({
    caseId: c._id,
    submissionId: s._id,
    signatories: b.signatories ? text(d[b.signatories]).split('; ').filter(Boolean) : [],
    purpose: b.purpose ? text(d[b.purpose]) : '',
    recipients: b.recipients ? text(d[b.recipients]) : '',
    evidenceFileIds: b.evidence ? fileIds(d[b.evidence]) : [],
    validFrom: (b.validFrom && date(d[b.validFrom])) || now(),
    ...(b.validTo && date(d[b.validTo]) ? { validTo: date(d[b.validTo]) } : {}),
    status: 'active',
    recordedByUserId: principal.userId,
    regionId: c.regionId,
    ...(c.powiatId ? { powiatId: c.powiatId } : {}),
    ...(c.gminaId ? { gminaId: c.gminaId } : {}),
  });
  // Older active consents are superseded by the new record (e.g. a renewed or extended consent).
  await consents.updateMany({ caseId: c._id, status: 'active', _id: { $ne: consent._id } }, { $set: { status: 'withdrawn', withdrawnAt: now(), withdrawnByUserId: principal.userId, withdrawalReason: 'Zastąpiona nową zgodą' } });
  // Atomic whatever else changes on the case meanwhile (a revision-conditional retry could give up and leave it unset).
  await cases.findOneAndUpdate({ _id: c._id }, { $set: { consent: { status: 'active', consentId: consent._id } } });
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
  authorize(principal, 'case.read', caseResource(c, (await packOf(c)).manifest));
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
  const updated = (await cases.findOneAndUpdate({ _id: caseId }, { $set: { consent: { status: 'withdrawn', consentId: consent._id, withdrawnAt: at, reason: input.reason } } })) ?? c;
  await addTimeline({ caseId, at, kind: 'consent', actor: { userId: principal.userId, name: principal.name }, text: 'Wycofano zgodę — sprawa zablokowana do zamknięcia lub anonimizacji' });
  await recordChange({ actor: actorOf(principal), action: 'consent.withdraw', target: { type: 'consent', id: consent._id, label: c.number }, scope: resource.scope, before: consent, after, requestId });
  return updated;
}
