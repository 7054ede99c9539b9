import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { getStore } from '@/lib/store';
import { recordAccess, actorOf } from '@/lib/audit/audit';
import { authorize, type TPrincipal } from '@/lib/policy/policy';
import { caseListFilter, decideCaseData } from '@/lib/policy/case';
import type { TInstitution, TUser } from '@/lib/orgs/types';
import { statePaths } from '@/lib/flows/engine';
import { caseResource, rolesOnCase } from './access';
import { cols, flowOf, getCaseDocOrThrow, labelOf, memberRolesOf, packOf } from './context';
import { availableEvents } from './events';
import { listCaseForms } from './submissions';
import { isMyTask } from './tasks';
import { basketServices } from './plan';
import type { TCase, TConsent } from './types';
import type { TResolvedPack } from '@/lib/packs/validate';

export const ZCaseQuery = z.object({
  status: z.enum(['active', 'closed', 'all']).default('active'),
  state: z.string().max(100).optional(),
  gminaId: z.string().max(100).optional(),
  /** Only cases whose team includes this institution. */
  institutionId: z.string().max(100).optional(),
  overdue: z.coerce.boolean().optional(),
  mine: z.coerce.boolean().optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type TCaseQuery = z.infer<typeof ZCaseQuery>;

export interface TCaseListItem {
  _id: string;
  number: string;
  subjectName: string;
  stateLabel: string;
  status: TCase['status'];
  gminaId?: string;
  updatedAt: Date;
  openTasks: number;
  overdueTasks: number;
}

export async function listCases(principal: TPrincipal, q: TCaseQuery, locale: 'pl' | 'en' = 'pl'): Promise<{ items: TCaseListItem[]; total: number }> {
  const { cases, tasks } = await cols();
  const filter: Record<string, unknown> = { kind: 'case', ...caseListFilter(principal) };
  if (q.status !== 'all') filter.status = q.status;
  if (q.gminaId) filter.gminaId = q.gminaId;
  if (q.institutionId) filter['team.institutionId'] = q.institutionId;
  if (q.mine) filter['team.userId'] = principal.userId;
  if (q.q) filter.$and = [{ $or: [{ number: { $regex: escapeRegex(q.q), $options: 'i' } }, { 'subject.name': { $regex: escapeRegex(q.q), $options: 'i' } }] }];
  let all = await cases.find(filter, { sort: { updatedAt: -1 } });
  // A search must not find a case by the family name of a member the consent does not cover.
  if (q.q) {
    const byNumber = new RegExp(escapeRegex(q.q), 'i');
    const found: TCase[] = [];
    for (const c of all) if (byNumber.test(c.number) || decideCaseData(principal, c, caseResource(c, (await packOf(c)).manifest)).allow) found.push(c);
    all = found;
  }
  if (q.state) all = all.filter((c) => statePaths(c.state.value).includes(q.state!));
  const ids = all.map((c) => c._id);
  const open = await tasks.find({ caseId: { $in: ids }, status: { $in: ['open', 'in_progress'] } }, { projection: { caseId: 1, dueAt: 1 } });
  const t = now();
  const counts = new Map<string, { open: number; overdue: number }>();
  for (const task of open) {
    const x = counts.get(task.caseId) ?? { open: 0, overdue: 0 };
    x.open++;
    if (task.dueAt && task.dueAt < t) x.overdue++;
    counts.set(task.caseId, x);
  }
  if (q.overdue) all = all.filter((c) => (counts.get(c._id)?.overdue ?? 0) > 0);
  const page = all.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  // A list shows family names: the read is audited like opening a case (which cases were shown).
  if (page.length) await recordAccess({ actor: actorOf(principal), action: 'case.list', target: { type: 'case-list', id: page.map((c) => c._id).join(',').slice(0, 4000), label: page.map((c) => c.number).join(', ').slice(0, 300) } });
  const items: TCaseListItem[] = [];
  for (const c of page) {
    const pack = await packOf(c);
    const dataVisible = decideCaseData(principal, c, caseResource(c, pack.manifest)).allow;
    const leaf = statePaths(c.state.value);
    const stateKey = leaf.at(-1) ?? '';
    items.push({
      _id: c._id,
      number: c.number,
      subjectName: dataVisible ? c.subject.name : '',
      stateLabel: labelOf(pack.manifest.flows[c.flowKey]?.states[stateKey]?.label, stateKey, locale),
      status: c.status,
      gminaId: c.gminaId,
      updatedAt: c.updatedAt,
      openTasks: counts.get(c._id)?.open ?? 0,
      overdueTasks: counts.get(c._id)?.overdue ?? 0,
    });
  }
  return { items, total: all.length };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Everything the case page shows, as the principal may see it. Every call is an audited read. */
export async function getCaseView(principal: TPrincipal, caseId: string, opts: { locale?: 'pl' | 'en'; requestId?: string } = {}) {
  const locale = opts.locale ?? 'pl';
  const c = await getCaseDocOrThrow(caseId);
  const pack = await packOf(c);
  const resource = caseResource(c, pack.manifest);
  authorize(principal, 'case.read', resource);
  await recordAccess({ actor: actorOf(principal), action: 'case.read', target: { type: 'case', id: c._id, label: c.number }, scope: resource.scope, requestId: opts.requestId });
  const { ref } = flowOf(pack, c.flowKey);
  const store = await getStore();
  const institutions = await store.collection<TInstitution>('institutions').find({ _id: { $in: [...new Set(c.team.map((t) => t.institutionId))] } });
  const users = await store.collection<TUser>('users').find({ _id: { $in: c.team.filter((t) => t.userId).map((t) => t.userId!) } });
  const instName = new Map(institutions.map((i) => [i._id, i.name]));
  const userName = new Map(users.map((u) => [u._id, u.name]));
  const memberRoles = memberRolesOf(pack.manifest, c.flowKey);
  const { tasks, timeline, consents } = await cols();
  const caseTasks = await tasks.find({ caseId }, { sort: { dueAt: 1 } });
  const paths = statePaths(c.state.value);
  const roles = rolesOnCase(principal, c);
  // Outside the consent (not covered, withdrawn, expired) a team member sees the case number and its own tasks only.
  const data = decideCaseData(principal, c, resource);
  const mineOnly = (list: typeof caseTasks) => (data.allow ? list : list.filter((t) => isMyTask(principal, t, c)));
  return {
    /** Whether the family's data is visible, and why (the reasons chain of the policy). */
    dataAccess: { allowed: data.allow, reasons: data.reasons },
    case: {
      _id: c._id,
      number: c.number,
      revision: c.revision,
      status: c.status,
      closure: c.closure && { ...c.closure, reasonLabel: closureReasonLabel(pack.manifest, c.closure.reason, locale) },
      kind: c.kind,
      subject: data.allow ? c.subject : { type: c.subject.type, name: '', members: [] },
      pack: { id: c.packId, version: c.packVersion, title: labelOf(pack.manifest.title, c.packId, locale) },
      flow: { key: c.flowKey, title: labelOf(ref.title, c.flowKey, locale) },
      state: { value: c.state.value, paths, labels: paths.map((p) => labelOf(ref.states[p]?.label, p, locale)), description: ref.states[paths.at(-1) ?? '']?.description ? labelOf(ref.states[paths.at(-1)!].description, '', locale) : undefined },
      consent: data.allow ? c.consent : { status: c.consent.status },
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    },
    myRoles: { staff: roles.staff.map((r) => labelOf(pack.manifest.roles[r]?.label, r, locale)), member: roles.member.map((r) => labelOf(memberRoles[r]?.label, r, locale)) },
    team: c.team.map((t) => ({ ...t, institutionName: instName.get(t.institutionId) ?? '', userName: t.userId ? userName.get(t.userId) : undefined, roleLabel: labelOf(memberRoles[t.role]?.label, t.role, locale) })),
    teamLabel: labelOf(pack.manifest.labels.caseTeam, 'Zespół sprawy', locale),
    memberRoles: Object.entries(memberRoles).map(([key, r]) => ({ key, label: labelOf(r.label, key, locale) })),
    events: await availableEvents(principal, c, pack, locale),
    forms: data.allow ? await listCaseForms(principal, c, pack, locale) : [],
    consents: data.allow ? await withCoverage(await consents.find({ caseId }, { sort: { createdAt: -1 } }), pack, locale) : [],
    tasks: mineOnly(caseTasks).map((t) => ({ ...t, mine: isMyTask(principal, t, c) })),
    timeline: data.allow ? await timeline.find({ caseId }, { sort: { at: -1 }, limit: 100 }) : [],
    planLabel: labelOf(pack.manifest.labels.plan, 'Plan', locale),
    /** The individual basket (IKU): the catalogue services chosen in the plan, each with the tasks using it. */
    basket: data.allow ? individualBasket(caseTasks, await basketServices(c, pack)) : [],
    basketLabel: labelOf(pack.manifest.labels.individualBasket, locale === 'en' ? 'Individual basket of services' : 'Indywidualny koszyk usług', locale),
  };
}
export type TCaseView = Awaited<ReturnType<typeof getCaseView>>;

/**
 * Whom and what each consent covers, in words: the whole team, or the named institutions and types;
 * the forms when it covers only some. `null` for records written before scopes (the whole team).
 */
async function withCoverage(list: TConsent[], pack: TResolvedPack, locale: 'pl' | 'en') {
  const ids = [...new Set(list.flatMap((k) => k.scope?.institutionIds ?? []))];
  const names = new Map((ids.length ? await (await getStore()).collection<TInstitution>('institutions').find({ _id: { $in: ids } }) : []).map((i) => [i._id, i.name]));
  const m = pack.manifest;
  const types = m.bindings.institutionTypes ? m.dictionaries[m.bindings.institutionTypes]?.options ?? [] : [];
  return list.map((k) => ({
    ...k,
    coverage: k.scope
      ? {
          wholeTeam: k.scope.wholeTeam,
          institutions: [
            ...k.scope.institutionIds.map((id) => names.get(id) ?? id),
            ...k.scope.institutionTypes.map((t) => labelOf(types.find((o) => o.value === t)?.label, t, locale)),
          ],
          ...(k.scope.forms ? { forms: k.scope.forms.map((f) => labelOf(m.forms[f]?.title, f, locale)) } : {}),
        }
      : null,
  }));
}

/** The closure reason as the pack's closure-reasons dictionary names it (the stored value is its key). */
function closureReasonLabel(pack: TResolvedPack['manifest'], reason: string, locale: 'pl' | 'en'): string {
  const dict = pack.bindings.closureReasons ? pack.dictionaries[pack.bindings.closureReasons] : undefined;
  return labelOf(dict?.options.find((o) => o.value === reason)?.label, reason, locale);
}

function individualBasket(tasks: { service?: { entryId: string; name: string; provider: string }; status: string; title: string }[], chosen: { entryId: string; name: string; provider: string }[]) {
  const byEntry = new Map<string, { entryId: string; name: string; provider: string; tasks: string[]; active: boolean }>();
  for (const s of chosen) byEntry.set(s.entryId, { ...s, tasks: [], active: true });
  for (const t of tasks) {
    if (!t.service) continue;
    const e = byEntry.get(t.service.entryId) ?? { ...t.service, tasks: [], active: false };
    e.tasks.push(t.title);
    e.active ||= t.status === 'open' || t.status === 'in_progress';
    byEntry.set(t.service.entryId, e);
  }
  return [...byEntry.values()];
}
