import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { AppError, notFound } from '@/lib/errors';
import { getStore } from '@/lib/store';
import type { TNewDoc, TUpdate } from '@/lib/store/types';
import { actorOf, recordChange } from '@/lib/audit/audit';
import { enforce, type TPrincipal, type TResource } from '@/lib/policy/policy';
import { getInstitutionOrThrow, scopeOfInstitution } from '@/lib/orgs/institutions';
import type { TInstitution } from '@/lib/orgs/types';
import { canApprove, decideEntryApprove, decideEntryProposeChange, decideEntryRead, decideEntryVerify, decideEntryWithdraw, decideProposeFor, entryResource, scopeOfEntry } from '@/lib/policy/catalogue';
import { getCatalogueCardConfig, rowsToEntryFields, validateCardData } from './card';
import { cancelEntryReview, scheduleEntryReview } from './review';
import { addDuration } from '@/lib/duration';
import {
  ZEntryFields,
  ZRevision,
  type TCatalogueActor,
  type TCatalogueCard,
  type TCatalogueChangeProposal,
  type TCatalogueEntry,
  type TCatalogueHistoryItem,
  type TCatalogueLevel,
  type TCatalogueStatus,
  type TEntryFields,
  type TSubmitCard,
} from './types';

/**
 * The catalogue workflow (01 §8 lifecycle, 03 §8.2–8.3): institutions propose entries through their
 * card, the approving role (catalogue.approve in scope: OPS lider / animator powiatu) approves, edits or
 * rejects with a reason, partners propose changes to approved entries. Every change is conditional on
 * the entry's revision (409 when stale) and audited with before/after.
 */
async function entries() {
  return (await getStore()).collection<TCatalogueEntry>('catalogueEntries');
}
async function proposals() {
  return (await getStore()).collection<TCatalogueChangeProposal>('catalogueChangeProposals');
}

function actor(principal: TPrincipal): TCatalogueActor {
  return { userId: principal.userId, name: principal.name };
}

/** Audit copy of an entry: the history is already the entry's own log. */
function auditView(e: TCatalogueEntry | null): unknown {
  if (!e) return undefined;
  const { history: _history, ...rest } = e;
  return rest;
}

async function audit(principal: TPrincipal | null, action: string, before: TCatalogueEntry | null, after: TCatalogueEntry, requestId?: string) {
  await recordChange({ actor: actorOf(principal), action, target: { type: 'catalogue-entry', id: after._id, label: after.name }, scope: scopeOfEntry(after), before: auditView(before), after: auditView(after), requestId });
}

export async function getEntryOrThrow(principal: TPrincipal, id: string): Promise<TCatalogueEntry> {
  const e = await (await entries()).findById(id);
  if (!e || !decideEntryRead(principal, e).allow) throw notFound('catalogue-entry');
  return e;
}

/** Scope of an entry of `level` offered by `inst` (a gmina entry of a powiat institution needs `gminaId`). */
export function scopeForLevel(inst: Pick<TInstitution, 'regionId' | 'powiatId' | 'gminaId'>, level: TCatalogueLevel): Pick<TCatalogueEntry, 'regionId' | 'powiatId' | 'gminaId'> {
  if (level === 'voivodeship') return { regionId: inst.regionId };
  if (level === 'powiat') {
    if (!inst.powiatId) throw new AppError('validation', 'Instytucja szczebla wojewódzkiego nie może zgłosić usługi powiatowej.', { details: [{ path: 'level', message: 'Wybierz poziom wojewódzki.' }] });
    return { regionId: inst.regionId, powiatId: inst.powiatId };
  }
  if (!inst.gminaId) throw new AppError('validation', 'Usługę gminną zgłasza instytucja gminy.', { details: [{ path: 'level', message: 'Wybierz poziom powiatowy lub wojewódzki.' }] });
  return { regionId: inst.regionId, powiatId: inst.powiatId, gminaId: inst.gminaId };
}

export function defaultLevel(inst: Pick<TInstitution, 'powiatId' | 'gminaId'>): TCatalogueLevel {
  return inst.gminaId ? 'gmina' : inst.powiatId ? 'powiat' : 'voivodeship';
}

/** The institution a principal proposes for: the given one, or its only institution with catalogue.propose. */
export async function resolveProposingInstitution(principal: TPrincipal, institutionId?: string): Promise<TInstitution> {
  const candidates = principal.memberships.filter((m) => m.permissions.includes('catalogue.propose') || m.permissions.includes('catalogue.approve'));
  const id = institutionId ?? (candidates.length === 1 ? candidates[0].institutionId : undefined);
  // No institution named and none to propose for: the role lacks the permission (with one named, the policy answers 403/404).
  if (!id && candidates.length === 0) throw new AppError('forbidden', 'Twoja rola nie może zgłaszać usług do katalogu.');
  if (!id) throw new AppError('validation', 'Wybierz instytucję, w imieniu której zgłaszasz usługi.', { details: [{ path: 'institutionId', message: 'Wybierz instytucję.' }] });
  const inst = await getInstitutionOrThrow(id);
  const resource = { type: 'institution', id: inst._id, scope: scopeOfInstitution(inst) };
  enforce(principal, decideProposeFor(principal, resource), { notFound: 'catalogue-entry' });
  return inst;
}

function cleanFields(fields: Partial<TEntryFields>): Partial<TEntryFields> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')) as Partial<TEntryFields>;
}

/** Builds (does not store) a proposed entry. */
export function newEntryDoc(inst: TInstitution, level: TCatalogueLevel, fields: TEntryFields, by: TCatalogueActor, extra: { packId?: string; cardId?: string; action?: TCatalogueHistoryItem['action'] } = {}): TNewDoc<TCatalogueEntry> {
  const scope = scopeForLevel(inst, level);
  const clean = cleanFields(fields) as TEntryFields;
  return {
    ...clean,
    ...Object.fromEntries(Object.entries(scope).filter(([, v]) => v)),
    regionId: scope.regionId,
    level,
    providerInstitutionId: inst._id,
    providerName: fields.providerName || inst.name,
    contactChannel: fields.contactChannel || [inst.phone, inst.email, inst.address].filter(Boolean).join(', ') || undefined,
    status: 'proposed',
    history: [{ at: now(), by, action: extra.action ?? 'proposed', to: 'proposed' }],
    ...(extra.packId ? { packId: extra.packId } : {}),
    ...(extra.cardId ? { cardId: extra.cardId } : {}),
    reviewCycle: 0,
    overdue: false,
  };
}

/** Item 2: one card (the pack's catalogueInput form) → one proposed entry per datagrid row. */
export async function submitCatalogueCard(principal: TPrincipal, input: TSubmitCard, requestId?: string): Promise<{ card: TCatalogueCard; entries: TCatalogueEntry[] }> {
  const inst = await resolveProposingInstitution(principal, input.institutionId);
  const cfg = await getCatalogueCardConfig(inst.regionId);
  const data = validateCardData(cfg, input.data);
  const level = input.level ?? defaultLevel(inst);
  scopeForLevel(inst, level);
  const rows = rowsToEntryFields(cfg, data);
  const parsed = rows.map((r) => ({ row: r.row, result: ZEntryFields.safeParse(cleanFields(r.fields)) }));
  const bad = parsed.filter((p) => !p.result.success);
  if (bad.length > 0) {
    throw new AppError('validation', 'Karta zawiera błędy.', {
      details: bad.flatMap((b) => (b.result.success ? [] : b.result.error.issues.map((i) => ({ path: `data.${cfg.binding.datagrid}[${b.row - 1}].${i.path.join('.')}`, message: i.message })))),
    });
  }
  if (parsed.length === 0) throw new AppError('validation', 'Dodaj co najmniej jedną usługę z nazwą.', { details: [{ path: `data.${cfg.binding.datagrid}`, message: 'Brak usług.' }] });
  const store = await getStore();
  const by = actor(principal);
  const card = await store.collection<TCatalogueCard>('catalogueCards').insertOne({
    ...scopeOfInstitution(inst),
    institutionId: inst._id,
    ...(cfg.packId ? { packId: cfg.packId } : {}),
    formKey: cfg.formKey,
    data,
    entryIds: [],
    submittedBy: by,
    submittedAt: now(),
  });
  const docs = parsed.map((p) => newEntryDoc(inst, level, (p.result as { data: TEntryFields }).data, by, { packId: cfg.packId, cardId: card._id }));
  const created = await (await entries()).insertMany(docs);
  const stored = await store.collection<TCatalogueCard>('catalogueCards').updateById(card._id, card.revision, { $set: { entryIds: created.map((e) => e._id) } });
  await recordChange({ actor: actorOf(principal), action: 'catalogue.card.submit', target: { type: 'catalogue-card', id: card._id, label: inst.name }, scope: scopeOfInstitution(inst), after: { formKey: cfg.formKey, entryIds: stored.entryIds }, requestId });
  for (const e of created) await audit(principal, 'catalogue.entry.propose', null, e, requestId);
  return { card: stored, entries: created };
}

async function applyChange(
  principal: TPrincipal | null,
  before: TCatalogueEntry,
  revision: number,
  update: { set?: Record<string, unknown>; unset?: string[]; history: Omit<TCatalogueHistoryItem, 'at' | 'by'>; by?: TCatalogueActor },
  action: string,
  requestId?: string,
): Promise<TCatalogueEntry> {
  const item: TCatalogueHistoryItem = { at: now(), by: update.by ?? (principal ? actor(principal) : { name: 'System' }), ...update.history };
  const u: TUpdate = { $push: { history: item } };
  if (update.set && Object.keys(update.set).length) u.$set = update.set;
  if (update.unset?.length) u.$unset = Object.fromEntries(update.unset.map((k) => [k, ''] as const));
  const after = await (await entries()).updateById(before._id, revision, u);
  await audit(principal, action, before, after, requestId);
  return after;
}

function assertStatus(e: TCatalogueEntry, allowed: TCatalogueStatus[], what: string) {
  if (!allowed.includes(e.status)) throw new AppError('conflict', `Nie można ${what} wpisu w stanie „${e.status}”.`, { meta: { status: e.status, currentRevision: e.revision } });
}

async function getForApproval(principal: TPrincipal, id: string): Promise<TCatalogueEntry> {
  const e = await getEntryOrThrow(principal, id);
  enforce(principal, decideEntryApprove(principal, e), { notFound: 'catalogue-entry' });
  return e;
}

async function reviewPeriodOf(e: TCatalogueEntry): Promise<string> {
  return (await getCatalogueCardConfig(e.regionId)).reviewPeriod;
}

/** Approval starts the review clock (lastVerifiedAt = now, next review = now + the pack's period). */
export async function approveEntry(principal: TPrincipal, id: string, input: { revision: number; reason?: string }, requestId?: string): Promise<TCatalogueEntry> {
  const e = await getForApproval(principal, id);
  assertStatus(e, ['proposed', 'rejected', 'withdrawn'], 'zatwierdzić');
  const at = now();
  const after = await applyChange(
    principal,
    e,
    input.revision,
    { set: { status: 'approved', lastVerifiedAt: at, reviewDueAt: addDuration(at, await reviewPeriodOf(e)), reviewCycle: e.reviewCycle + 1, overdue: false }, unset: ['lastReminderAt'], history: { action: 'approved', from: e.status, to: 'approved', reason: input.reason } },
    'catalogue.entry.approve',
    requestId,
  );
  await scheduleEntryReview(after);
  return after;
}

export async function rejectEntry(principal: TPrincipal, id: string, input: { revision: number; reason: string }, requestId?: string): Promise<TCatalogueEntry> {
  if (!input.reason?.trim()) throw new AppError('validation', 'Podaj powód odrzucenia.', { details: [{ path: 'reason', message: 'Podaj powód odrzucenia.' }] });
  const e = await getForApproval(principal, id);
  assertStatus(e, ['proposed'], 'odrzucić');
  return applyChange(principal, e, input.revision, { history: { action: 'rejected', from: e.status, to: 'rejected', reason: input.reason.trim() }, set: { status: 'rejected' } }, 'catalogue.entry.reject', requestId);
}

/** Withdrawn by the approver or by the providing institution (the service stopped, 03 §8.2 "updating"). */
export async function withdrawEntry(principal: TPrincipal, id: string, input: { revision: number; reason?: string }, requestId?: string): Promise<TCatalogueEntry> {
  const e = await getEntryOrThrow(principal, id);
  enforce(principal, decideEntryWithdraw(principal, e), { notFound: 'catalogue-entry' });
  assertStatus(e, ['proposed', 'approved'], 'wycofać');
  const after = await applyChange(principal, e, input.revision, { set: { status: 'withdrawn', overdue: false }, history: { action: 'withdrawn', from: e.status, to: 'withdrawn', reason: input.reason } }, 'catalogue.entry.withdraw', requestId);
  await cancelEntryReview(e);
  return after;
}

function changedFields(e: TCatalogueEntry, changes: Partial<TEntryFields>): { set: Record<string, unknown>; unset: string[]; fields: string[] } {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [k, v] of Object.entries(changes)) {
    const cur = (e as unknown as Record<string, unknown>)[k];
    if (JSON.stringify(cur) === JSON.stringify(v)) continue;
    if (v === undefined || v === '') unset.push(k);
    else set[k] = v;
  }
  return { set, unset, fields: [...Object.keys(set), ...unset] };
}

/** The approver edits an entry (any open status); the status does not change. */
export async function editEntry(principal: TPrincipal, id: string, input: { revision: number; changes: Partial<TEntryFields>; reason?: string }, requestId?: string): Promise<TCatalogueEntry> {
  const e = await getForApproval(principal, id);
  assertStatus(e, ['proposed', 'approved'], 'zmienić');
  const { set, unset, fields } = changedFields(e, input.changes);
  if (fields.length === 0) return e;
  if ('name' in set && !String(set.name).trim()) throw new AppError('validation', 'Podaj nazwę usługi.', { details: [{ path: 'changes.name', message: 'Podaj nazwę usługi.' }] });
  return applyChange(principal, e, input.revision, { set, unset, history: { action: 'edited', reason: input.reason, fields } }, 'catalogue.entry.edit', requestId);
}

/** "Verify": the provider or the approver confirms the entry is current; the review clock restarts. */
export async function verifyEntry(principal: TPrincipal, id: string, input: { revision: number }, requestId?: string): Promise<TCatalogueEntry> {
  const e = await getEntryOrThrow(principal, id);
  enforce(principal, decideEntryVerify(principal, e), { notFound: 'catalogue-entry', forbiddenMessage: 'Wpis weryfikuje instytucja realizująca lub zatwierdzający.' });
  assertStatus(e, ['approved'], 'zweryfikować');
  const at = now();
  const after = await applyChange(
    principal,
    e,
    input.revision,
    { set: { lastVerifiedAt: at, reviewDueAt: addDuration(at, await reviewPeriodOf(e)), reviewCycle: e.reviewCycle + 1, overdue: false }, unset: ['lastReminderAt'], history: { action: 'verified' } },
    'catalogue.entry.verify',
    requestId,
  );
  await scheduleEntryReview(after);
  return after;
}

// ---- change proposals -------------------------------------------------------------------------------

export async function proposeEntryChange(principal: TPrincipal, id: string, input: { changes: Partial<TEntryFields>; comment?: string }, requestId?: string): Promise<TCatalogueChangeProposal> {
  const e = await getEntryOrThrow(principal, id);
  assertStatus(e, ['approved'], 'zaproponować zmiany');
  enforce(principal, decideEntryProposeChange(principal, e), { notFound: 'catalogue-entry' });
  const { set, unset } = changedFields(e, input.changes);
  const changes = { ...set, ...Object.fromEntries(unset.map((k) => [k, undefined])) } as Partial<TEntryFields>;
  if (Object.keys(set).length + unset.length === 0) throw new AppError('validation', 'Propozycja nie zmienia żadnego pola.', { details: [{ path: 'changes', message: 'Zmień co najmniej jedno pole.' }] });
  const p = await (await proposals()).insertOne({
    entryId: e._id,
    ...scopeOfEntry(e),
    entryRevision: e.revision,
    changes: set as Partial<TEntryFields>,
    ...(input.comment ? { comment: input.comment } : {}),
    status: 'pending',
    proposedBy: actor(principal),
    proposedByInstitutionId: principal.memberships.find((m) => m.permissions.includes('catalogue.propose'))?.institutionId,
    proposedAt: now(),
  });
  await recordChange({ actor: actorOf(principal), action: 'catalogue.change.propose', target: { type: 'catalogue-change-proposal', id: p._id, label: e.name }, scope: scopeOfEntry(e), after: { entryId: e._id, changes }, requestId });
  return p;
}

export async function listChangeProposals(principal: TPrincipal, entryId: string): Promise<TCatalogueChangeProposal[]> {
  const e = await getEntryOrThrow(principal, entryId);
  const all = await (await proposals()).find({ entryId: e._id }, { sort: { proposedAt: -1 } });
  return canApprove(principal, e) ? all : all.filter((p) => p.proposedBy.userId === principal.userId);
}

export async function decideChangeProposal(principal: TPrincipal, proposalId: string, input: { decision: 'accept' | 'reject'; reason?: string }, requestId?: string): Promise<{ proposal: TCatalogueChangeProposal; entry: TCatalogueEntry }> {
  const p = await (await proposals()).findById(proposalId);
  if (!p) throw notFound('catalogue-proposal');
  const e = await getForApproval(principal, p.entryId);
  if (p.status !== 'pending') throw new AppError('conflict', 'O tej propozycji już zdecydowano.', { meta: { status: p.status } });
  if (input.decision === 'reject' && !input.reason?.trim()) throw new AppError('validation', 'Podaj powód odrzucenia.', { details: [{ path: 'reason', message: 'Podaj powód odrzucenia.' }] });
  const decided = await (await proposals()).updateById(p._id, p.revision, {
    $set: { status: input.decision === 'accept' ? 'accepted' : 'rejected', decidedBy: actor(principal), decidedAt: now(), ...(input.reason ? { decisionReason: input.reason } : {}) },
  });
  let entry = e;
  if (input.decision === 'accept') {
    const { set, unset, fields } = changedFields(e, p.changes);
    entry = await applyChange(principal, e, e.revision, { set, unset, history: { action: 'change-accepted', reason: input.reason ?? p.comment, fields } }, 'catalogue.change.accept', requestId);
  } else {
    entry = await applyChange(principal, e, e.revision, { history: { action: 'change-rejected', reason: input.reason } }, 'catalogue.change.reject', requestId);
  }
  await recordChange({ actor: actorOf(principal), action: `catalogue.change.${input.decision}`, target: { type: 'catalogue-change-proposal', id: p._id, label: e.name }, scope: scopeOfEntry(e), before: { status: 'pending' }, after: { status: decided.status, reason: input.reason }, requestId });
  return { proposal: decided, entry };
}

// ---- for routes and pages ---------------------------------------------------------------------------

/** The policy resource of an entry (route access checks); an unknown id is `not_found`. */
export async function getEntryResource(id: string): Promise<TResource> {
  const e = await (await entries()).findById(id);
  if (!e) throw notFound('catalogue-entry');
  return entryResource(e);
}

export async function getProposalResource(id: string): Promise<TResource> {
  const p = await (await proposals()).findById(id);
  if (!p) throw notFound('catalogue-proposal');
  return { ...(await getEntryResource(p.entryId)), addressed: 'catalogue-proposal' };
}

export interface TEntryDetails {
  entry: TCatalogueEntry;
  proposals: TCatalogueChangeProposal[];
  can: { approve: boolean; verify: boolean; withdraw: boolean; proposeChange: boolean };
}

export async function getEntryDetails(principal: TPrincipal, id: string): Promise<TEntryDetails> {
  const entry = await getEntryOrThrow(principal, id);
  const approve = canApprove(principal, entry);
  return {
    entry,
    proposals: await listChangeProposals(principal, id),
    can: {
      approve,
      verify: entry.status === 'approved' && decideEntryVerify(principal, entry).allow,
      withdraw: ['proposed', 'approved'].includes(entry.status) && decideEntryWithdraw(principal, entry).allow,
      proposeChange: entry.status === 'approved' && decideEntryProposeChange(principal, entry).allow,
    },
  };
}

export const ZEntryAction = z.discriminatedUnion('action', [
  z.object({ action: z.literal('approve'), revision: ZRevision, reason: z.string().trim().max(2000).optional() }),
  z.object({ action: z.literal('reject'), revision: ZRevision, reason: z.string({ error: 'Podaj powód odrzucenia.' }).trim().min(3, 'Podaj powód odrzucenia (co najmniej 3 znaki).').max(2000) }),
  z.object({ action: z.literal('withdraw'), revision: ZRevision, reason: z.string().trim().max(2000).optional() }),
  z.object({ action: z.literal('verify'), revision: ZRevision }),
]);

export async function runEntryAction(principal: TPrincipal, id: string, input: z.infer<typeof ZEntryAction>, requestId?: string): Promise<TCatalogueEntry> {
  switch (input.action) {
    case 'approve':
      return approveEntry(principal, id, input, requestId);
    case 'reject':
      return rejectEntry(principal, id, input, requestId);
    case 'withdraw':
      return withdrawEntry(principal, id, input, requestId);
    case 'verify':
      return verifyEntry(principal, id, input, requestId);
  }
}
