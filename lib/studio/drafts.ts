import 'server-only';
import semver from 'semver';
import { z } from 'zod';
import { AppError, isAppError } from '@/lib/errors';
import { now } from '@/lib/clock';
import { actorOf, recordChange } from '@/lib/audit/audit';
import { getStore, type TBaseDoc } from '@/lib/store';
import type { TOrgUnit } from '@/lib/orgs/types';
import type { TPrincipal } from '@/lib/policy/policy';
import { authorizePackEdit, authorizePackPublish, authorizePackReview } from '@/lib/policy/packs';
import { computeContentHash } from '@/lib/packs/bundle';
import { diffPacks, formatDiff } from '@/lib/packs/diff';
import { getPublishedPack, listPublishedVersions, publishPack } from '@/lib/packs/publish';
import type { TResolvedPack } from '@/lib/packs/validate';
import { applyOps, opsBetween, type TDraftContent, type TPatchOp } from './content';
import { checkDraftContent, schemaErrors, type TProblemReport } from './problems';
import { summarizeOps } from './summary';

/**
 * Studio drafts (issue 15). A draft stands on one published version of a pack and holds the edited
 * content `{ pack, forms, flows }`; every save is a list of JSON-Patch operations stored with author,
 * time, Polish summaries and the inverse operations, so undo/redo, the history timeline, restoring any
 * point and named checkpoints all come from the one log. Saves are conditional on the draft revision
 * (stale → 409 naming what changed meanwhile). Review and publish implement four-eyes; publish writes
 * a new immutable version (lib/packs/publish) and moves the draft's region to it.
 */
export type TDraftStatus = 'editing' | 'in_review' | 'approved' | 'published' | 'discarded';
type TWho = { userId: string; name: string };

export interface TDraftEntry {
  seq: number;
  /** Draft revision after this entry. */
  revision: number;
  kind: 'edit' | 'undo' | 'redo' | 'restore';
  at: Date;
  author: TWho;
  summary: string[];
  /** The operations applied (JSON strings: pack content has keys such as `$schema`). */
  opsJson: string;
  inverseJson: string;
}

export interface TPackDraftDoc extends TBaseDoc {
  packId: string;
  /** The region whose pack this is; absent for a platform administrator's base-pack draft. */
  regionId?: string;
  baseVersion: string;
  title: string;
  createdBy: TWho;
  status: TDraftStatus;
  contentJson: string;
  entries: TDraftEntry[];
  /** Seqs of entries that undo would revert (top = last); redo stack likewise. */
  undoStack: number[];
  redoStack: number[];
  checkpoints: Array<{ name: string; seq: number; at: Date; author: TWho }>;
  review?: {
    submittedBy: TWho;
    submittedAt: Date;
    submittedRevision: number;
    approvedBy?: TWho;
    approvedAt?: Date;
    approvedRevision?: number;
    approvedHash?: string;
    returnedBy?: TWho;
    comment?: string;
  };
  publishedVersion?: string;
}

const who = (p: TPrincipal): TWho => ({ userId: p.userId, name: p.name });

async function drafts() {
  return (await getStore()).collection<TPackDraftDoc>('packDrafts');
}

function contentOf(d: TPackDraftDoc): TDraftContent {
  return JSON.parse(d.contentJson) as TDraftContent;
}

function fromResolved(p: TResolvedPack): TDraftContent {
  return structuredClone({ pack: p.manifest as unknown as Record<string, unknown>, forms: p.forms, flows: p.flows });
}

async function baseOf(d: Pick<TPackDraftDoc, 'packId' | 'baseVersion'>): Promise<TResolvedPack> {
  const base = await getPublishedPack(d.packId, d.baseVersion);
  if (!base) throw new AppError('not_found', `Wersja ${d.packId}@${d.baseVersion}, na której stoi szkic, nie istnieje.`);
  return base;
}

/** Loads a draft the principal may see; another region's draft is a 404 (the policy decides). */
export async function getDraftDoc(principal: TPrincipal, draftId: string): Promise<TPackDraftDoc> {
  const d = await (await drafts()).findById(draftId);
  if (!d) throw new AppError('not_found', 'Nie znaleziono szkicu.');
  authorizePackEdit(principal, d.regionId);
  return d;
}

export interface TDraftView {
  id: string;
  packId: string;
  regionId?: string;
  baseVersion: string;
  title: string;
  status: TDraftStatus;
  revision: number;
  createdBy: TWho;
  content: TDraftContent;
  history: Array<Omit<TDraftEntry, 'opsJson' | 'inverseJson'> & { ops: TPatchOp[] }>;
  canUndo: boolean;
  canRedo: boolean;
  checkpoints: TPackDraftDoc['checkpoints'];
  review?: TPackDraftDoc['review'];
  publishedVersion?: string;
  /** Other open drafts of the same pack (who else edits). */
  otherDrafts: Array<{ id: string; title: string; createdBy: TWho; updatedAt: Date }>;
}

export async function viewDraft(principal: TPrincipal, draftId: string): Promise<TDraftView> {
  const d = await getDraftDoc(principal, draftId);
  const others = await (await drafts()).find({ packId: d.packId, status: { $in: ['editing', 'in_review', 'approved'] }, _id: { $ne: d._id }, ...(d.regionId ? { regionId: d.regionId } : { regionId: { $exists: false } }) }, { projection: { contentJson: 0, entries: 0 } });
  return {
    id: d._id,
    packId: d.packId,
    regionId: d.regionId,
    baseVersion: d.baseVersion,
    title: d.title,
    status: d.status,
    revision: d.revision,
    createdBy: d.createdBy,
    content: contentOf(d),
    history: d.entries.map(({ opsJson, inverseJson: _i, ...e }) => ({ ...e, ops: JSON.parse(opsJson) as TPatchOp[] })),
    canUndo: d.undoStack.length > 0,
    canRedo: d.redoStack.length > 0,
    checkpoints: d.checkpoints,
    review: d.review,
    publishedVersion: d.publishedVersion,
    otherDrafts: others.map((o) => ({ id: o._id, title: o.title, createdBy: o.createdBy, updatedAt: o.updatedAt })),
  };
}

export const ZOpenDraft = z.object({
  /** The region whose pack to edit (region administrators); omit for a base-pack draft (platform administrators). */
  regionId: z.string().min(1).max(100).optional(),
  /** The published version to start from (default: the region's version, or the newest); an older one = rollback. */
  fromVersion: z.string().min(5).max(64).optional(),
  title: z.string().trim().min(1).max(200).optional(),
});

export async function openDraft(principal: TPrincipal, packId: string, input: z.infer<typeof ZOpenDraft>): Promise<TDraftView> {
  let baseVersion = input.fromVersion;
  if (input.regionId) {
    authorizePackEdit(principal, input.regionId);
    const region = await (await getStore()).collection<TOrgUnit>('orgUnits').findById(input.regionId);
    // A pack the region does not use is not the region's to edit: same answer as an unknown one.
    if (!region || region.kind !== 'region' || region.pack?.id !== packId) throw new AppError('not_found', 'Nie znaleziono pakietu tego regionu.');
    baseVersion ??= region.pack.version;
  } else {
    authorizePackEdit(principal, undefined);
    baseVersion ??= semver.rsort((await listPublishedVersions(packId)).map((v) => v.version))[0];
  }
  if (!baseVersion || !(await getPublishedPack(packId, baseVersion))) throw new AppError('not_found', `Pakiet ${packId} nie ma opublikowanej wersji ${baseVersion ?? ''}.`.trim());
  const base = await baseOf({ packId, baseVersion });
  const doc = await (await drafts()).insertOne({
    packId,
    ...(input.regionId ? { regionId: input.regionId } : {}),
    baseVersion,
    title: input.title ?? `Szkic ${packId}@${baseVersion} — ${principal.name}`,
    createdBy: who(principal),
    status: 'editing',
    contentJson: JSON.stringify(fromResolved(base)),
    entries: [],
    undoStack: [],
    redoStack: [],
    checkpoints: [],
  });
  await audit(principal, 'packDraft.open', doc, undefined, { packId, baseVersion });
  return viewDraft(principal, doc._id);
}

const ZOp = z.object({ op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']), path: z.string().max(1000), from: z.string().max(1000).optional(), value: z.unknown().optional() }).passthrough();

export const ZDraftChange = z.discriminatedUnion('action', [
  z.object({ action: z.literal('patch'), revision: z.number().int().min(1), ops: z.array(ZOp).min(1).max(500) }),
  z.object({ action: z.literal('undo'), revision: z.number().int().min(1) }),
  z.object({ action: z.literal('redo'), revision: z.number().int().min(1) }),
  /** Back to the state after history entry `seq` (0 = the version the draft stands on), as a new entry. */
  z.object({ action: z.literal('restore'), revision: z.number().int().min(1), seq: z.number().int().min(0) }),
  z.object({ action: z.literal('checkpoint'), revision: z.number().int().min(1), name: z.string().trim().min(1).max(120) }),
]);
export type TDraftChange = z.infer<typeof ZDraftChange>;

/** What happened after `revision`: the 409 message and its details. */
function staleError(d: TPackDraftDoc, revision: number, what = 'Szkic zmienił się w międzyczasie'): AppError {
  const since = d.entries.filter((e) => e.revision > revision);
  const lines = since.flatMap((e) => e.summary.map((s) => `${e.author.name}: ${s}`));
  return new AppError('conflict', `${what} (wersja robocza ${revision} → ${d.revision}): ${lines.length ? lines.join('; ') : 'zmienił się stan przeglądu'}. Odśwież szkic i zastosuj zmianę ponownie.`, {
    meta: { currentRevision: d.revision, changedMeanwhile: since.map((e) => ({ seq: e.seq, author: e.author.name, at: e.at, summary: e.summary })) },
  });
}

function contentAt(base: TDraftContent, entries: TDraftEntry[], seq: number): TDraftContent {
  let c = base;
  for (const e of entries) if (e.seq <= seq) c = applyOps(c, JSON.parse(e.opsJson) as TPatchOp[]);
  return c;
}

export async function changeDraft(principal: TPrincipal, draftId: string, change: TDraftChange): Promise<TDraftView> {
  const d = await getDraftDoc(principal, draftId);
  if (d.status === 'published' || d.status === 'discarded') throw new AppError('conflict', 'Szkic jest już opublikowany lub zamknięty; otwórz nowy szkic.');
  if (d.revision !== change.revision) throw staleError(d, change.revision);
  const before = contentOf(d);
  const entries = d.entries;
  const seq = (entries[entries.length - 1]?.seq ?? 0) + 1;
  let ops: TPatchOp[];
  let kind: TDraftEntry['kind'];
  let summary: string[];
  let undoStack = d.undoStack;
  let redoStack: number[] = [];
  if (change.action === 'checkpoint') {
    const cp = { name: change.name, seq: entries[entries.length - 1]?.seq ?? 0, at: now(), author: who(principal) };
    const updated = await conditional(d, change.revision, { $push: { checkpoints: cp } });
    await audit(principal, 'packDraft.checkpoint', updated, undefined, cp);
    return viewDraft(principal, draftId);
  }
  if (change.action === 'patch') {
    ops = change.ops as TPatchOp[];
    kind = 'edit';
    summary = summarizeOps(before, ops, applyOps);
    undoStack = [...undoStack, seq];
  } else if (change.action === 'undo' || change.action === 'redo') {
    const stack = change.action === 'undo' ? d.undoStack : d.redoStack;
    const target = entries.find((e) => e.seq === stack[stack.length - 1]);
    if (!target) throw new AppError('conflict', change.action === 'undo' ? 'Nie ma czego cofnąć.' : 'Nie ma czego ponowić.');
    ops = JSON.parse(change.action === 'undo' ? target.inverseJson : target.opsJson) as TPatchOp[];
    kind = change.action;
    summary = target.summary.map((s) => `${change.action === 'undo' ? 'Cofnięto' : 'Ponowiono'}: ${s}`);
    if (change.action === 'undo') {
      undoStack = d.undoStack.slice(0, -1);
      redoStack = [...d.redoStack, target.seq];
    } else {
      undoStack = [...d.undoStack, target.seq];
      redoStack = d.redoStack.slice(0, -1);
    }
  } else {
    if (change.seq > seq - 1) throw new AppError('validation', `W historii nie ma punktu ${change.seq}.`);
    const target = contentAt(fromResolved(await baseOf(d)), entries, change.seq);
    ops = opsBetween(before, target);
    kind = 'restore';
    summary = [`Przywrócono stan ${change.seq === 0 ? `wersji ${d.baseVersion}` : `po zmianie nr ${change.seq}`}`];
    undoStack = [...undoStack, seq];
  }
  const after = applyOps(before, ops);
  // A save that breaks the manifest's schema is refused whole; cross-reference problems are listed instead.
  const broken = schemaErrors(after);
  if (broken.length) {
    throw new AppError('validation', `Zmiana narusza schemat pakietu i nie została zapisana: ${broken.map((b) => `${b.pointer}: ${b.message}`).join('; ')}`, {
      details: broken.map((b) => ({ path: b.pointer, message: b.message })),
    });
  }
  const entry: TDraftEntry = { seq, revision: d.revision + 1, kind, at: now(), author: who(principal), summary, opsJson: JSON.stringify(ops), inverseJson: JSON.stringify(opsBetween(after, before)) };
  const updated = await conditional(d, change.revision, { $set: { contentJson: JSON.stringify(after), undoStack, redoStack }, $push: { entries: entry } });
  await audit(principal, `packDraft.${kind}`, updated, undefined, { seq, summary, ops });
  return viewDraft(principal, draftId);
}

async function conditional(d: TPackDraftDoc, revision: number, update: Parameters<Awaited<ReturnType<typeof drafts>>['updateById']>[2]): Promise<TPackDraftDoc> {
  try {
    return await (await drafts()).updateById(d._id, revision, update);
  } catch (err) {
    if (isAppError(err) && err.code === 'conflict') {
      const fresh = await (await drafts()).findById(d._id);
      if (fresh) throw staleError(fresh, revision);
    }
    throw err;
  }
}

async function audit(principal: TPrincipal, action: string, d: TPackDraftDoc, before: unknown, after: unknown): Promise<void> {
  await recordChange({ actor: actorOf(principal), action, target: { type: 'packDraft', id: d._id, label: `${d.packId}@${d.baseVersion}: ${d.title}` }, scope: d.regionId ? { regionId: d.regionId } : undefined, before, after });
}

async function assetsOf(d: TPackDraftDoc): Promise<{ assets: Record<string, string>; lineage: string[] }> {
  const base = await baseOf(d);
  return { assets: base.assets, lineage: base.lineage };
}

export async function draftProblems(principal: TPrincipal, draftId: string): Promise<TProblemReport & { revision: number }> {
  const d = await getDraftDoc(principal, draftId);
  const { assets, lineage } = await assetsOf(d);
  const { pack: _p, ...report } = checkDraftContent(contentOf(d), assets, lineage);
  return { ...report, revision: d.revision };
}

export const ZDiffQuery = z.object({ against: z.enum(['published', 'base']).default('published'), lang: z.enum(['pl', 'en']).default('pl') });

/**
 * The semantic diff of the draft against the version it stands on (`published`) or, for an overlay,
 * against the newest published version of its base pack (`base`). Same engine as `npm run pack -- diff`.
 */
export async function draftDiff(principal: TPrincipal, draftId: string, q: z.infer<typeof ZDiffQuery>): Promise<{ revision: number; against: string; lines: string[] }> {
  const d = await getDraftDoc(principal, draftId);
  const base = await baseOf(d);
  let other = base;
  let against = `${d.packId}@${d.baseVersion}`;
  if (q.against === 'base') {
    const ext = base.manifest.extends;
    if (!ext) throw new AppError('bad_request', `Pakiet ${d.packId} nie rozszerza pakietu bazowego.`);
    const baseId = ext.slice(0, ext.indexOf('@'));
    const v = semver.rsort((await listPublishedVersions(baseId)).map((x) => x.version))[0];
    const p = v ? await getPublishedPack(baseId, v) : null;
    if (!p) throw new AppError('not_found', `Pakiet bazowy ${baseId} nie ma opublikowanej wersji.`);
    other = p;
    against = `${baseId}@${v}`;
  }
  return { revision: d.revision, against, lines: formatDiff(diffPacks(other, asResolved(contentOf(d), base)), q.lang) };
}

function asResolved(c: TDraftContent, base: TResolvedPack): TResolvedPack {
  return { manifest: c.pack as unknown as TResolvedPack['manifest'], forms: c.forms, flows: c.flows, assets: base.assets, lineage: base.lineage };
}

function draftHash(d: TPackDraftDoc): string {
  const c = contentOf(d);
  return computeContentHash({ manifest: c.pack as unknown as TResolvedPack['manifest'], forms: c.forms, flows: c.flows, assets: {}, lineage: [] });
}

export const ZReview = z.discriminatedUnion('action', [
  z.object({ action: z.literal('submit'), revision: z.number().int().min(1) }),
  z.object({ action: z.literal('approve'), revision: z.number().int().min(1), comment: z.string().trim().max(2000).optional() }),
  z.object({ action: z.literal('return'), revision: z.number().int().min(1), comment: z.string().trim().min(1).max(2000) }),
]);

/** Four-eyes: the author submits; another administrator with `pack.review` approves or returns it. */
export async function reviewDraft(principal: TPrincipal, draftId: string, input: z.infer<typeof ZReview>): Promise<TDraftView> {
  const d = await getDraftDoc(principal, draftId);
  if (d.revision !== input.revision) throw staleError(d, input.revision);
  const t = now();
  let update: Parameters<typeof conditional>[2];
  if (input.action === 'submit') {
    if (d.status !== 'editing') throw new AppError('conflict', 'Szkic jest już w przeglądzie lub zamknięty.');
    update = { $set: { status: 'in_review', review: { submittedBy: who(principal), submittedAt: t, submittedRevision: d.revision } } };
  } else {
    authorizePackReview(principal, d.regionId);
    const open = input.action === 'approve' ? d.status === 'in_review' : d.status === 'in_review' || d.status === 'approved';
    if (!open || !d.review) throw new AppError('conflict', 'Szkic nie czeka na przegląd.');
    const authors = new Set([d.review.submittedBy.userId, ...d.entries.map((e) => e.author.userId)]);
    if (authors.has(principal.userId)) throw new AppError('forbidden', 'Autor zmian nie może przeglądać własnego szkicu (zasada czterech oczu).');
    update =
      input.action === 'approve'
        ? { $set: { status: 'approved', review: { ...d.review, approvedBy: who(principal), approvedAt: t, approvedRevision: d.revision + 1, approvedHash: draftHash(d), comment: input.comment } } }
        : { $set: { status: 'editing', review: { submittedBy: d.review.submittedBy, submittedAt: d.review.submittedAt, submittedRevision: d.review.submittedRevision, returnedBy: who(principal), comment: input.comment } } };
  }
  const updated = await conditional(d, input.revision, update);
  await audit(principal, `packDraft.review.${input.action}`, updated, { status: d.status }, { status: updated.status, comment: 'comment' in input ? input.comment : undefined });
  return viewDraft(principal, draftId);
}

interface TStudioSettings extends TBaseDoc {
  regionId: string;
  fourEyes: boolean;
  changedBy: TWho;
  reason: string;
}

/** Whether publishing in `regionId` needs an approval (default yes; base packs always). */
export async function fourEyesRequired(regionId: string | undefined): Promise<boolean> {
  if (!regionId) return true;
  const s = await (await getStore()).collection<TStudioSettings>('studioSettings').findOne({ regionId });
  return s?.fourEyes ?? true;
}

/** The explicit, audited switch: a region may turn four-eyes off (or on again), with a reason. */
export async function setFourEyes(principal: TPrincipal, regionId: string, fourEyes: boolean, reason: string): Promise<void> {
  authorizePackPublish(principal, regionId);
  const col = (await getStore()).collection<TStudioSettings>('studioSettings');
  const existing = await col.findOne({ regionId });
  if (existing) await col.updateById(existing._id, existing.revision, { $set: { fourEyes, reason, changedBy: who(principal) } });
  else await col.insertOne({ regionId, fourEyes, reason, changedBy: who(principal) });
  await recordChange({ actor: actorOf(principal), action: 'studio.fourEyes', target: { type: 'region', id: regionId }, scope: { regionId }, before: { fourEyes: existing?.fourEyes ?? true }, after: { fourEyes, reason } });
}

export const ZPublish = z.object({
  revision: z.number().int().min(1),
  /** Warnings of the problems panel the publisher accepts (all of them must be acknowledged). */
  acknowledgeWarnings: z.boolean().default(false),
});

/**
 * Publishes exactly the reviewed content as a new immutable version (patch + 1 above every published
 * version of the pack) and moves the draft's region to it. Refused while errors remain, without
 * acknowledged warnings, without an approval (unless the region switched four-eyes off), or when the
 * draft changed after the approval (saying what changed).
 */
export async function publishDraft(principal: TPrincipal, draftId: string, input: z.infer<typeof ZPublish>): Promise<{ packId: string; version: string; contentHash: string; releaseNotes: string[] }> {
  const d = await getDraftDoc(principal, draftId);
  authorizePackPublish(principal, d.regionId);
  if (d.status === 'published' || d.status === 'discarded') throw new AppError('conflict', 'Szkic jest już opublikowany lub zamknięty.');
  if (d.revision !== input.revision) throw staleError(d, input.revision);
  const needsReview = await fourEyesRequired(d.regionId);
  if (needsReview) {
    if (d.status !== 'approved' || !d.review?.approvedRevision) throw new AppError('conflict', 'Szkic nie został zatwierdzony w przeglądzie (zasada czterech oczu).');
    if (d.review.approvedRevision !== d.revision || d.review.approvedHash !== draftHash(d)) throw staleError(d, d.review.approvedRevision, 'Szkic zmienił się po zatwierdzeniu; przegląd jest nieaktualny');
  }
  const base = await baseOf(d);
  const content = contentOf(d);
  const versions = (await listPublishedVersions(d.packId)).map((v) => v.version);
  const next = semver.inc(semver.rsort([...versions, d.baseVersion])[0], 'patch')!;
  content.pack = { ...content.pack, version: next };
  const report = checkDraftContent(content, base.assets, base.lineage);
  if (report.errors.length || !report.pack) {
    throw new AppError('validation', `Nie można opublikować: ${report.errors.length} błąd(ów) w pakiecie. Pierwszy: ${report.errors[0]?.pointer} — ${report.errors[0]?.message}`, {
      details: report.errors.map((e) => ({ path: e.pointer, message: e.message })),
    });
  }
  if (report.warnings.length && !input.acknowledgeWarnings) {
    throw new AppError('conflict', `Pakiet ma ${report.warnings.length} ostrzeżeń; potwierdź je, aby opublikować.`, { meta: { warnings: report.warnings } });
  }
  const releaseNotes = formatDiff(diffPacks(base, report.pack), 'pl').filter((l) => !l.includes('„version”'));
  const r = await publishPack(report.pack, {
    source: 'studio',
    meta: { publishedBy: who(principal), reviewedBy: d.review?.approvedBy, releaseNotes, acknowledgedWarnings: report.warnings.map((w) => `${w.pointer}: ${w.message}`) },
  });
  await conditional(d, d.revision, { $set: { status: 'published', publishedVersion: r.version } });
  if (d.regionId) {
    const units = (await getStore()).collection<TOrgUnit>('orgUnits');
    const region = await units.findById(d.regionId);
    if (region) {
      await units.updateById(region._id, region.revision, { $set: { pack: { id: r.packId, version: r.version } } });
      await recordChange({ actor: actorOf(principal), action: 'region.pack', target: { type: 'orgUnit', id: region._id, label: region.name }, scope: { regionId: d.regionId }, before: region.pack, after: { id: r.packId, version: r.version } });
    }
  }
  await recordChange({
    actor: actorOf(principal),
    action: 'pack.publish',
    target: { type: 'packVersion', id: `${r.packId}@${r.version}` },
    scope: d.regionId ? { regionId: d.regionId } : undefined,
    after: { draftId: d._id, contentHash: r.contentHash, reviewedBy: d.review?.approvedBy, releaseNotes, acknowledgedWarnings: report.warnings.length },
  });
  return { packId: r.packId, version: r.version, contentHash: r.contentHash, releaseNotes };
}
