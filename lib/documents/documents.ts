import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, notFound } from '@/lib/errors';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { getStore, type TBaseDoc } from '@/lib/store';
import { recordAccess, recordChange, actorOf } from '@/lib/audit/audit';
import { attachFile, getFileOrThrow, readFileBytes, saveFile } from '@/lib/files/files';
import { authorizeDocument, decideDocument } from '@/lib/policy/documents';
import type { TPrincipal } from '@/lib/policy/policy';
import { getJobs, type TJobRun } from '@/lib/jobs';
import type { TResolvedPack } from '@/lib/packs/validate';
import type { TScope, TInstitution, TOrgUnit, TUser } from '@/lib/orgs/types';
import { caseResource, rolesOnCase } from '@/lib/cases/access';
import { cols, getCaseDocOrThrow, labelOf, memberRolesOf, packOf } from '@/lib/cases/context';
import { coordinatorRoleOf } from '@/lib/cases/team';
import { listCaseForms, preparedCaseForm } from '@/lib/cases/submissions';
import type { TCase, TSubmission } from '@/lib/cases/types';
import { documentDictionary, type TDocumentDictionary } from './dictionary';
import { formatPlDate, rowCount, submissionValues } from './data';
import { DOCX_MIME, renderTemplate } from './template';
import { convertToPdf, pdfAvailable, PDF_UNAVAILABLE_MESSAGE } from './pdf';

/**
 * Documents of a case: the pack's document slots whose bound form belongs to the case and may be read by
 * the user, filled from the pinned (latest visible) submission, the case, the plan and the letterhead of
 * the generating user's institution; stored through lib/files (hash), with the template's hash, the
 * pack version and the submission version, author and visibility; audited. PDF through LibreOffice.
 * Documents with many rows, and every request with `async`, run as the job `documents.generate`.
 */
export interface TGeneratedDocument extends TBaseDoc, TScope {
  caseId: string;
  slot: string;
  title: string;
  format: 'docx' | 'pdf';
  fileId: string;
  fileName: string;
  size: number;
  sha256: string;
  packId: string;
  packVersion: string;
  /** sha256 of the template bytes the document was made from (the template version). */
  templateSha256: string;
  formKey?: string;
  submissionId?: string;
  submissionVersion?: number;
  visibility: 'shared' | 'private';
  authorUserId: string;
  authorName: string;
  authorInstitutionId?: string;
}

export const ZGenerateDocument = z.strictObject({
  document: z.string().regex(/^[a-z][a-z0-9-]*$/, 'nieprawidłowy klucz dokumentu').max(80),
  format: z.enum(['docx', 'pdf']).default('docx'),
  /** A submitted version of the bound form; default: the latest one the user may see. */
  submissionId: z.string().min(1).max(64).optional(),
  /** Run as a job and answer at once with a status URL (the UI does this to show progress). */
  async: z.boolean().optional(),
});
export type TGenerateDocumentInput = z.input<typeof ZGenerateDocument>;

/** Above this many table rows a document is generated as a job. */
export const BIG_DOCUMENT_ROWS = 200;

async function documents() {
  return (await getStore()).collection<TGeneratedDocument>('generatedDocuments');
}

type TSlot = TResolvedPack['manifest']['documents'][string];

/** The template bytes of a slot in the case's pinned pack version (templates travel with the version). */
export function templateBytes(pack: TResolvedPack, slot: TSlot): Buffer | null {
  const b64 = slot.file ? pack.assets[slot.file] : undefined;
  return b64 ? Buffer.from(b64, 'base64') : null;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The slot of a stored document (a slot removed from a later pack version leaves no bound form). */
function slotOf(pack: TResolvedPack, key: string): TSlot {
  return pack.manifest.documents[key] ?? { label: { pl: key } };
}

function formMeta(pack: TResolvedPack, slot: TSlot) {
  return slot.form ? pack.manifest.forms[slot.form] : undefined;
}

function principalRoles(principal: TPrincipal, c: TCase): string[] {
  const r = rolesOnCase(principal, c);
  return [...r.staff, ...r.member];
}

function accessInput(principal: TPrincipal, c: TCase, pack: TResolvedPack, slot: TSlot, record?: { visibility: 'shared' | 'private'; authorInstitutionId?: string; authorUserId?: string }) {
  const meta = formMeta(pack, slot);
  return {
    caseResource: caseResource(c, pack.manifest),
    ...(meta ? { form: { principalRoles: principalRoles(principal, c), fill: meta.fill, read: meta.read } } : {}),
    ...(record ? { record } : {}),
  };
}

const canSee = (principal: TPrincipal, s: Pick<TSubmission, 'visibility' | 'authorInstitutionId' | 'authorUserId'>) =>
  s.visibility === 'shared' || s.authorUserId === principal.userId || principal.memberships.some((m) => m.institutionId === s.authorInstitutionId);

/** The submission a document is made from: the one asked for, or the latest the user may see. */
async function pinnedSubmission(principal: TPrincipal, c: TCase, formKey: string | undefined, submissionId?: string): Promise<TSubmission | null> {
  if (!formKey) return null;
  const { submissions } = await cols();
  if (submissionId) {
    const s = await submissions.findById(submissionId);
    if (!s || s.caseId !== c._id || s.formKey !== formKey || s.status !== 'submitted' || !canSee(principal, s)) throw new AppError('not_found', 'Nie znaleziono wersji formularza.');
    return s;
  }
  const all = await submissions.find({ caseId: c._id, formKey, status: 'submitted' }, { sort: { submittedAt: -1 } });
  return all.find((s) => canSee(principal, s)) ?? null;
}

/** The generating user's institution in the case's area (the letterhead), else the one that opened the case. */
function letterheadInstitutionId(principal: TPrincipal, c: TCase): string {
  const onTeam = new Set(c.team.filter((t) => !t.leftAt).map((t) => t.institutionId));
  const m =
    principal.memberships.find((x) => onTeam.has(x.institutionId)) ??
    principal.memberships.find((x) => x.scope.regionId === c.regionId && (!x.scope.gminaId || x.scope.gminaId === c.gminaId) && (!x.scope.powiatId || x.scope.powiatId === c.powiatId));
  return m?.institutionId ?? c.createdByInstitutionId;
}

/** Everything a template of this case may show, as display strings (see lib/documents/dictionary.ts). */
export async function caseDocumentData(principal: TPrincipal, c: TCase, pack: TResolvedPack, slot: TSlot, submission: TSubmission | null, templateSha: string): Promise<Record<string, unknown>> {
  const store = await getStore();
  const insts = store.collection<TInstitution>('institutions');
  const instIds = [...new Set([...c.team.map((t) => t.institutionId), letterheadInstitutionId(principal, c)])];
  const instById = new Map((await insts.find({ _id: { $in: instIds } })).map((i) => [i._id, i]));
  const userIds = c.team.filter((t) => t.userId).map((t) => t.userId!);
  const userById = new Map((await store.collection<TUser>('users').find({ _id: { $in: userIds } })).map((u) => [u._id, u]));
  const units = await store.collection<TOrgUnit>('orgUnits').find({ _id: { $in: [c.regionId, c.powiatId, c.gminaId].filter((x): x is string => Boolean(x)) } });
  const unitName = (id?: string) => units.find((u) => u._id === id)?.name;
  const roles = memberRolesOf(pack.manifest, c.flowKey);
  const roleLabel = (r: string) => labelOf((roles as Record<string, { label?: { pl: string; en?: string } }>)[r]?.label, r);
  const active = c.team.filter((t) => !t.leftAt);
  const coordRole = coordinatorRoleOf(pack, c.flowKey);
  const coord = active.find((t) => t.role === coordRole && t.type === 'person') ?? active.find((t) => t.role === coordRole);
  const memberName = (t: (typeof active)[number]) => (t.userId ? userById.get(t.userId)?.name : undefined);
  const head = instById.get(letterheadInstitutionId(principal, c));
  const { tasks } = await cols();
  const planTasks = (await tasks.find({ caseId: c._id, source: 'plan' }, { sort: { createdAt: 1 } })).filter((t) => t.status !== 'cancelled');
  const statusPl: Record<string, string> = { open: 'otwarte', in_progress: 'w realizacji', done: 'wykonane', cancelled: 'anulowane' };
  const goals = [...new Set(planTasks.map((t) => t.goal ?? ''))];
  const first = c.subject.members[0];

  const base: Record<string, unknown> = {
    dataDokumentu: formatPlDate(now()),
    miejscowosc: unitName(c.gminaId) ?? unitName(c.powiatId),
    autor: principal.name,
    szablonWersja: `${c.packId} ${c.packVersion} · szablon ${templateSha.slice(0, 8)}`,
    instytucjaNazwa: head?.name,
    instytucjaAdres: head?.address,
    instytucjaEmail: head?.email,
    instytucjaTelefon: head?.phone,
    sprawaNumer: c.number,
    sprawaUtworzona: formatPlDate(c.createdAt),
    gmina: unitName(c.gminaId),
    powiat: unitName(c.powiatId),
    wojewodztwo: unitName(c.regionId),
    osobaRodzina: c.subject.name,
    imieNazwisko: first ? `${first.firstName} ${first.lastName}` : undefined,
    adres: c.subject.address,
    koordynator: coord ? [memberName(coord), instById.get(coord.institutionId)?.name].filter(Boolean).join(' — ') : undefined,
    czlonkowieRodziny: c.subject.members.map((m, i) => ({ lp: String(i + 1), imieNazwisko: `${m.firstName} ${m.lastName}`, ...(m.relation ? { pokrewienstwo: m.relation } : {}), ...(m.birthDate ? { dataUrodzenia: formatPlDate(m.birthDate) } : {}) })),
    zespol: active.map((t, i) => ({ lp: String(i + 1), instytucja: instById.get(t.institutionId)?.name ?? '', ...(memberName(t) ? { osoba: memberName(t) } : {}), rola: roleLabel(t.role) })),
    cele: goals.map((g, i) => ({
      lp: String(i + 1),
      ...(g ? { cel: g } : {}),
      zadaniaCelu: planTasks.filter((t) => (t.goal ?? '') === g).map((t) => ({ zadanie: t.title, odpowiedzialny: t.assignee.label, ...(t.dueAt ? { termin: formatPlDate(t.dueAt) } : {}), status: statusPl[t.status] ?? t.status })),
    })),
    zadania: planTasks.map((t, i) => ({
      lp: String(i + 1),
      ...(t.goal ? { cel: t.goal } : {}),
      zadanie: t.title,
      odpowiedzialny: t.assignee.label,
      ...(t.dueAt ? { termin: formatPlDate(t.dueAt) } : {}),
      ...(t.service ? { usluga: `${t.service.name} (${t.service.provider})` } : {}),
      status: statusPl[t.status] ?? t.status,
    })),
  };
  const data = Object.fromEntries(Object.entries(base).filter(([, v]) => v !== undefined && v !== ''));
  if (submission && slot.form) {
    const form = await preparedCaseForm(c, pack, slot.form);
    Object.assign(data, submissionValues(form, submission.data));
  }
  return data;
}

function slotOrThrow(pack: TResolvedPack, key: string): TSlot {
  const slot = pack.manifest.documents[key];
  if (!slot) throw new AppError('not_found', 'Ten dokument nie należy do modelu sprawy.');
  return slot;
}

function downloadUrl(caseId: string, docId: string) {
  return `/api/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(docId)}/file`;
}

export interface TDocumentSlotView {
  key: string;
  title: string;
  form?: string;
  hasTemplate: boolean;
  canGenerate: boolean;
  /** Why it cannot be generated now (no right, locked case…), in Polish. */
  reason?: string;
  submissionVersion?: number;
}

export interface TGeneratedView {
  id: string;
  slot: string;
  title: string;
  format: 'docx' | 'pdf';
  size: number;
  createdAt: Date;
  authorName: string;
  submissionVersion?: number;
  packVersion: string;
  templateSha256: string;
  visibility: 'shared' | 'private';
  url: string;
}

const viewOf = (d: TGeneratedDocument): TGeneratedView => ({
  id: d._id,
  slot: d.slot,
  title: d.title,
  format: d.format,
  size: d.size,
  createdAt: d.createdAt,
  authorName: d.authorName,
  ...(d.submissionVersion ? { submissionVersion: d.submissionVersion } : {}),
  packVersion: d.packVersion,
  templateSha256: d.templateSha256,
  visibility: d.visibility,
  url: downloadUrl(d.caseId, d._id),
});

/** Slots of the case the user may read, and the documents made so far that the user may see. */
export async function listCaseDocuments(principal: TPrincipal, caseId: string, locale: 'pl' | 'en' = 'pl'): Promise<{ pdfAvailable: boolean; pdfMessage?: string; slots: TDocumentSlotView[]; generated: TGeneratedView[] }> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  authorizeDocument(principal, 'read', { caseResource: caseResource(c, pack.manifest) });
  const forms = new Set((await listCaseForms(principal, c, pack, locale)).map((f) => f.key));
  const { submissions } = await cols();
  const subs = await submissions.find({ caseId: c._id, status: 'submitted' }, { sort: { submittedAt: -1 } });
  const slots: TDocumentSlotView[] = [];
  for (const [key, slot] of Object.entries(pack.manifest.documents)) {
    if (slot.form && !forms.has(slot.form)) continue;
    if (!slot.form && c.kind !== 'implementation') continue;
    const d = decideDocument(principal, 'generate', accessInput(principal, c, pack, slot));
    const sub = subs.find((s) => s.formKey === slot.form && canSee(principal, s));
    const hasTemplate = templateBytes(pack, slot) !== null;
    slots.push({
      key,
      title: labelOf(slot.label, key, locale),
      ...(slot.form ? { form: slot.form } : {}),
      hasTemplate,
      canGenerate: d.allow && hasTemplate,
      ...(!hasTemplate ? { reason: 'Pakiet nie ma szablonu tego dokumentu.' } : !d.allow ? { reason: d.message ?? 'Nie masz uprawnień do generowania dokumentów.' } : {}),
      ...(sub ? { submissionVersion: sub.version } : {}),
    });
  }
  const made = await (await documents()).find({ caseId: c._id }, { sort: { createdAt: -1 }, limit: 200 });
  const generated = made.filter((d) => decideDocument(principal, 'read', accessInput(principal, c, pack, slotOf(pack, d.slot), d)).allow).map(viewOf);
  return { pdfAvailable: pdfAvailable(), ...(pdfAvailable() ? {} : { pdfMessage: PDF_UNAVAILABLE_MESSAGE }), slots, generated };
}

export type TGenerateResult =
  | { status: 'done'; id: string; fileId: string; url: string; format: 'docx' | 'pdf'; sha256: string; size: number }
  | { status: 'queued'; id: string; jobId: string; statusUrl: string };

/** Generates a document (or queues it as a job); answers the stored file's id and download URL. */
export async function generateCaseDocument(principal: TPrincipal, caseId: string, input: TGenerateDocumentInput, requestId?: string): Promise<TGenerateResult> {
  const body = ZGenerateDocument.parse(input);
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const slot = slotOrThrow(pack, body.document);
  authorizeDocument(principal, 'generate', accessInput(principal, c, pack, slot));
  if (body.format === 'pdf' && !pdfAvailable()) throw new AppError('unavailable', PDF_UNAVAILABLE_MESSAGE);
  if (!templateBytes(pack, slot)) throw new AppError('validation', 'Pakiet nie ma szablonu tego dokumentu.', { details: [{ path: 'document', message: 'brak szablonu' }] });
  const submission = await pinnedSubmission(principal, c, slot.form, body.submissionId);
  const id = newId();
  const big = submission ? rowCount(submission.data) > BIG_DOCUMENT_ROWS : false;
  if (body.async || big) {
    const jobId = await getJobs().enqueue(GENERATE_JOB, { documentId: id, caseId, userId: principal.userId, document: body.document, format: body.format, ...(submission ? { submissionId: submission._id } : {}), ...(requestId ? { requestId } : {}) }, { jobId: `document.${id}` });
    return { status: 'queued', id, jobId, statusUrl: `/api/cases/${encodeURIComponent(caseId)}/documents/${id}` };
  }
  const d = await produce(principal, c, pack, body.document, slot, submission, body.format, id, requestId);
  return { status: 'done', id: d._id, fileId: d.fileId, url: downloadUrl(caseId, d._id), format: d.format, sha256: d.sha256, size: d.size };
}

/** Renders, converts, stores, audits. Idempotent on `id` (a job that runs twice stores one document). */
async function produce(principal: TPrincipal, c: TCase, pack: TResolvedPack, key: string, slot: TSlot, submission: TSubmission | null, format: 'docx' | 'pdf', id: string, requestId?: string, progress?: (pct: number, note: string) => Promise<void>): Promise<TGeneratedDocument> {
  const col = await documents();
  const existing = await col.findById(id);
  if (existing) return existing;
  const template = templateBytes(pack, slot)!;
  const templateSha = sha256(template);
  await progress?.(10, 'dane');
  const data = await caseDocumentData(principal, c, pack, slot, submission, templateSha);
  await progress?.(30, 'DOCX');
  let bytes: Buffer;
  try {
    bytes = renderTemplate(template, data);
  } catch (err) {
    throw new AppError('validation', 'Szablonu nie da się wypełnić; popraw go w studiu pakietu.', { cause: err });
  }
  if (format === 'pdf') {
    await progress?.(50, 'PDF');
    bytes = await convertToPdf(bytes);
  }
  await progress?.(90, 'zapis');
  const title = labelOf(slot.label, key);
  const fileName = `${key}-${c.number.replace(/[^A-Za-z0-9-]+/g, '-')}.${format}`;
  const scope = { regionId: c.regionId, ...(c.powiatId ? { powiatId: c.powiatId } : {}), ...(c.gminaId ? { gminaId: c.gminaId } : {}) };
  const file = await saveFile({ name: fileName, bytes, uploadedBy: principal.userId, scope });
  await attachFile(file._id, { type: 'document', id });
  const visibility = submission?.visibility ?? (formMeta(pack, slot)?.visibility === 'private' ? 'private' : 'shared');
  const authorInstitutionId = submission?.visibility === 'private' ? submission.authorInstitutionId : letterheadInstitutionId(principal, c);
  const doc = await col.insertOne({
    _id: id,
    caseId: c._id,
    slot: key,
    title,
    format,
    fileId: file._id,
    fileName: file.name,
    size: file.size,
    sha256: file.sha256,
    packId: c.packId,
    packVersion: c.packVersion,
    templateSha256: templateSha,
    ...(slot.form ? { formKey: slot.form } : {}),
    ...(submission ? { submissionId: submission._id, submissionVersion: submission.version } : {}),
    visibility,
    authorUserId: principal.userId,
    authorName: principal.name,
    authorInstitutionId,
    ...scope,
  });
  const { _id, caseId, slot: s, packVersion, templateSha256, submissionVersion, sha256: fileSha } = doc;
  await recordChange({ actor: actorOf(principal), action: 'document.generate', target: { type: 'document', id, label: `${c.number} / ${key} (${format})` }, scope, after: { _id, caseId, slot: s, format, packVersion, templateSha256, submissionVersion, sha256: fileSha }, requestId });
  await progress?.(100, 'gotowe');
  return doc;
}

/** A generated document's metadata, or — while its job runs — the job's progress. */
export async function getCaseDocument(principal: TPrincipal, caseId: string, docId: string): Promise<{ document?: TGeneratedView; job?: Pick<TJobRun, 'state' | 'progress' | 'note' | 'error'> }> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const d = await (await documents()).findById(docId);
  if (d && d.caseId === caseId) {
    authorizeDocument(principal, 'read', accessInput(principal, c, pack, slotOf(pack, d.slot), d));
    return { document: viewOf(d) };
  }
  authorizeDocument(principal, 'read', { caseResource: caseResource(c, pack.manifest) });
  const run = await getJobs().getRun(`document.${docId}`);
  if (!run || (run.name !== GENERATE_JOB)) throw notFound('document');
  return { job: { state: run.state, progress: run.progress, ...(run.note ? { note: run.note } : {}), ...(run.error ? { error: run.error } : {}) } };
}

/** The bytes of a generated document (download or preview), audited as a read of case data. */
export async function readCaseDocument(principal: TPrincipal, caseId: string, docId: string, requestId?: string): Promise<{ name: string; type: string; bytes: Uint8Array }> {
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const d = await (await documents()).findById(docId);
  if (!d || d.caseId !== caseId) throw notFound('document');
  authorizeDocument(principal, 'read', accessInput(principal, c, pack, slotOf(pack, d.slot), d));
  const file = await getFileOrThrow(d.fileId);
  const bytes = await readFileBytes(file);
  await recordAccess({ actor: actorOf(principal), action: 'document.download', target: { type: 'document', id: d._id, label: `${c.number} / ${d.slot} (${d.format})` }, scope: { regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId }, requestId });
  return { name: d.fileName, type: d.format === 'pdf' ? 'application/pdf' : DOCX_MIME, bytes };
}

/** The data dictionary of a slot of a pack version (for the studio's cheat sheet and inspection). */
export function slotDictionary(pack: TResolvedPack, key: string): TDocumentDictionary {
  slotOrThrow(pack, key);
  return documentDictionary(pack.manifest, pack.forms, key);
}

export const GENERATE_JOB = 'documents.generate';

export const ZGenerateJob = z.object({
  documentId: z.string().min(1),
  caseId: z.string().min(1),
  userId: z.string().min(1),
  document: z.string().min(1),
  format: z.enum(['docx', 'pdf']),
  submissionId: z.string().optional(),
  requestId: z.string().optional(),
});

/** The job body: the same checks as a direct request, with the principal as it is when the job runs. */
export async function runGenerateJob(p: z.infer<typeof ZGenerateJob>, progress: (pct: number, note: string) => Promise<void>): Promise<void> {
  const { loadPrincipal } = await import('@/lib/auth/principal');
  const principal = await loadPrincipal(p.userId);
  if (!principal) throw new AppError('forbidden', 'Konto osoby zlecającej dokument jest nieaktywne.');
  const c = await getCaseDocOrThrow(p.caseId);
  const pack = await packOf(c);
  const slot = slotOrThrow(pack, p.document);
  authorizeDocument(principal, 'generate', accessInput(principal, c, pack, slot));
  const submission = await pinnedSubmission(principal, c, slot.form, p.submissionId);
  await produce(principal, c, pack, p.document, slot, submission, p.format, p.documentId, p.requestId, progress);
}
