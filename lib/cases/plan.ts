import 'server-only';
import { now } from '@/lib/clock';
import { getStore } from '@/lib/store';
import { isAppError } from '@/lib/errors';
import type { TResolvedPack } from '@/lib/packs/validate';
import type { TInstitution, TUser } from '@/lib/orgs/types';
import { snapshotCatalogueEntry } from '@/lib/catalogue/options';
import { addTimeline, cols } from './context';
import { notifyCaseRoles } from './notify-roles';
import type { TCase, TSubmission, TTask, TTaskAssignee, TTaskStatus } from './types';

/**
 * Plans become goals and tasks through the pack's plan binding: each row of the bound datagrid (or, with
 * `goalGrid`, each task row inside a goal row) is a task with its assignee (institution, person or family
 * member — the `assignees` lookup values), due date, catalogue service (with a snapshot of its name and
 * provider, so the plan still reads right when the catalogue changes) and status. A new plan version
 * updates the same tasks (keyed by series and row), adds new rows and cancels rows that disappeared.
 */

type TRow = Record<string, unknown>;

async function resolveAssignee(value: unknown, c: TCase): Promise<TTaskAssignee | undefined> {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string' || !v.includes(':')) return undefined;
  const [kind, id] = [v.slice(0, v.indexOf(':')), v.slice(v.indexOf(':') + 1)];
  const store = await getStore();
  if (kind === 'institution') {
    const inst = await store.collection<TInstitution>('institutions').findById(id);
    return inst ? { type: 'institution', institutionId: id, label: inst.name } : undefined;
  }
  if (kind === 'person') {
    const user = await store.collection<TUser>('users').findById(id);
    const row = c.team.find((t) => t.userId === id);
    return user ? { type: 'person', userId: id, ...(row ? { institutionId: row.institutionId } : {}), label: user.name } : undefined;
  }
  if (kind === 'member') {
    const m = c.subject.members.find((x) => x.id === id);
    return m ? { type: 'family-member', memberId: id, label: `${m.firstName} ${m.lastName}` } : undefined;
  }
  return undefined;
}

function mapStatus(v: unknown): TTaskStatus | undefined {
  const s = String(v ?? '').toLowerCase();
  if (!s) return undefined;
  if (/(zrealiz|wykon|done|zakoncz|osiagn)/.test(s) && !/niezreal/.test(s)) return 'done';
  if (/(w-?realiz|w_trakcie|w-trakcie|trakcie|progress|realizacja)/.test(s)) return 'in_progress';
  if (/(anul|niezreal|cancel|rezygn|zmienion)/.test(s)) return 'cancelled';
  return 'open';
}

function rowsOf(data: Record<string, unknown>, pack: TResolvedPack): { key: string; goal?: string; row: TRow }[] {
  const b = pack.manifest.bindings.plan!;
  const goalGrid = (b as { goalGrid?: string }).goalGrid;
  const out: { key: string; goal?: string; row: TRow }[] = [];
  if (goalGrid) {
    const goals = Array.isArray(data[goalGrid]) ? (data[goalGrid] as TRow[]) : [];
    goals.forEach((g, gi) => {
      const rows = Array.isArray(g[b.datagrid]) ? (g[b.datagrid] as TRow[]) : [];
      const goal = b.columns.goal ? String(g[b.columns.goal] ?? '') : undefined;
      rows.forEach((row, ri) => out.push({ key: `${gi}.${ri}`, goal, row }));
    });
    return out;
  }
  const rows = Array.isArray(data[b.datagrid]) ? (data[b.datagrid] as TRow[]) : [];
  rows.forEach((row, ri) => out.push({ key: String(ri), goal: b.columns.goal ? String(row[b.columns.goal] ?? '') || undefined : undefined, row }));
  return out;
}

export async function syncPlanTasks(c: TCase, pack: TResolvedPack, s: TSubmission): Promise<void> {
  const b = pack.manifest.bindings.plan;
  if (!b) return;
  const { tasks } = await cols();
  // The plan and its update forms (e.g. protocol part D) describe one plan: their rows update the same tasks.
  const series = b.updateForms.includes(s.formKey) ? b.form : s.seriesId;
  const existing = await tasks.find({ caseId: c._id, source: 'plan', planKey: { $regex: `^${c._id}:${series}:` } });
  const seen = new Set<string>();
  let created = 0;
  for (const { key, goal, row } of rowsOf(s.data, pack)) {
    const planKey = `${c._id}:${series}:${key}`;
    seen.add(planKey);
    const assignee = await resolveAssignee(row[b.columns.assignee], c);
    const title = String(row[b.columns.task] ?? '').trim();
    if (!assignee || !title) continue;
    const dueRaw = b.columns.dueDate ? row[b.columns.dueDate] : undefined;
    const dueAt = typeof dueRaw === 'string' && dueRaw ? new Date(dueRaw) : undefined;
    const serviceId = b.columns.service ? row[b.columns.service] : undefined;
    const snap = typeof serviceId === 'string' && serviceId ? await snapshotOrNothing(serviceId) : undefined;
    const service = snap ? { entryId: snap.id, name: snap.name, provider: snap.provider } : undefined;
    const status = b.columns.status ? mapStatus(row[b.columns.status]) : undefined;
    const fields = {
      title,
      ...(goal ? { goal } : {}),
      assignee,
      ...(dueAt && !Number.isNaN(dueAt.getTime()) ? { dueAt } : {}),
      ...(service ? { service } : {}),
    };
    const prev = existing.find((t) => t.planKey === planKey);
    if (prev) {
      const set: Record<string, unknown> = { ...fields };
      if (status && status !== prev.status) set.status = status;
      await tasks.updateById(prev._id, prev.revision, { $set: set }).catch((e) => {
        if (!(isAppError(e) && e.code === 'conflict')) throw e; // the assignee updated it meanwhile: keep theirs
      });
      continue;
    }
    const task = await tasks.insertOne({
      caseId: c._id, caseNumber: c.number, regionId: c.regionId, ...(c.powiatId ? { powiatId: c.powiatId } : {}), ...(c.gminaId ? { gminaId: c.gminaId } : {}),
      source: 'plan', planKey, ...fields, status: status ?? 'open', history: [],
    });
    created++;
    if (assignee.userId || assignee.institutionId) {
      const roles = c.team.filter((t) => !t.leftAt && (t.userId === assignee.userId || (!assignee.userId && t.institutionId === assignee.institutionId))).map((t) => t.role);
      if (roles.length) await notifyCaseRoles(c, roles, { kind: 'task', title: `Nowe zadanie w sprawie nr ${c.number}`, body: 'Przydzielono zadanie z planu współpracy.', dedupeKey: `task:${task._id}`, taskId: task._id });
    }
  }
  for (const t of existing) {
    if (!seen.has(t.planKey!) && t.status !== 'cancelled' && t.status !== 'done') {
      // Conditional on the status, not the revision: an assignee's note meanwhile does not keep a removed row open,
      // and a task finished meanwhile stays done.
      await tasks.findOneAndUpdate({ _id: t._id, status: { $nin: ['cancelled', 'done'] } }, { $set: { status: 'cancelled' }, $push: { history: { at: now(), byUserId: s.authorUserId, from: t.status, to: 'cancelled', note: 'Usunięte z nowej wersji planu' } } });
    }
  }
  if (created) await addTimeline({ caseId: c._id, at: now(), kind: 'task', actor: { userId: s.authorUserId }, text: `Plan: nowe zadania (${created})` });
}

export type { TTask };

/** The catalogue entry a plan row names, or nothing when it was removed from the catalogue (other failures propagate). */
async function snapshotOrNothing(entryId: string): Promise<Awaited<ReturnType<typeof snapshotCatalogueEntry>> | undefined> {
  try {
    return await snapshotCatalogueEntry(entryId);
  } catch (e) {
    if (isAppError(e) && e.code === 'not_found') return undefined;
    throw e;
  }
}

/** Services chosen in the plan's basket grid (bindings.plan.basket) of its latest version: the IKU beyond tasks. */
export async function basketServices(c: TCase, pack: TResolvedPack): Promise<{ entryId: string; name: string; provider: string }[]> {
  const b = pack.manifest.bindings.plan;
  if (!b?.basket) return [];
  const latest = await (await cols()).submissions.findOne({ caseId: c._id, formKey: { $in: [b.form, ...b.updateForms] }, status: 'submitted' }, { sort: { submittedAt: -1 } });
  const rows = Array.isArray(latest?.data[b.basket.datagrid]) ? (latest!.data[b.basket.datagrid] as TRow[]) : [];
  const out: { entryId: string; name: string; provider: string }[] = [];
  for (const row of rows) {
    const id = row[b.basket.service];
    if (typeof id !== 'string' || !id) continue;
    const snap = await snapshotOrNothing(id);
    if (snap) out.push({ entryId: snap.id, name: snap.name, provider: snap.provider });
  }
  return out;
}
