import 'server-only';
import { getStore } from '@/lib/store';
import { AppError, isAppError, notFound } from '@/lib/errors';
import { getPackVersionCached } from '@/lib/orgs/region-pack';
import type { TResolvedPack } from '@/lib/packs/validate';
import type { TPack } from '@/lib/packs/schema';
import { getMachine } from '@/lib/flows/engine';
import type { TUser } from '@/lib/orgs/types';
import type { TCase, TConsent, TSubmission, TTask, TTimelineEntry } from './types';

/** Collections of the case runtime. */
export async function cols() {
  const s = await getStore();
  return {
    cases: s.collection<TCase>('cases'),
    submissions: s.collection<TSubmission>('submissions'),
    consents: s.collection<TConsent>('consents'),
    tasks: s.collection<TTask>('tasks'),
    timeline: s.collection<TTimelineEntry>('caseTimeline'),
  };
}

/** The pinned pack version of a case: a case always renders and runs on the version it started on. */
export async function packOf(c: Pick<TCase, 'packId' | 'packVersion'>): Promise<TResolvedPack> {
  const pack = await getPackVersionCached(c.packId, c.packVersion);
  if (!pack) throw new AppError('internal', `Pack ${c.packId}@${c.packVersion} of the case is not published.`);
  return pack;
}

export function flowOf(pack: TResolvedPack, flowKey: string) {
  const ref = pack.manifest.flows[flowKey];
  const json = pack.flows[flowKey];
  if (!ref || json === undefined) throw new AppError('internal', `Flow ${flowKey} is missing from ${pack.manifest.id}@${pack.manifest.version}.`);
  return { ref, json, machine: getMachine(`${pack.manifest.id}@${pack.manifest.version}#${flowKey}`, json) };
}

export async function getCaseDocOrThrow(id: string): Promise<TCase> {
  const c = await (await cols()).cases.findById(id);
  if (!c) throw notFound('case');
  return c;
}

/** Member roles of the case's team kind (permissions per role). */
export function memberRolesOf(pack: TPack, flowKey: string) {
  const tk = pack.flows[flowKey]?.teamKind;
  return tk ? pack.teamKinds[tk]?.memberRoles ?? {} : {};
}

export function labelOf(label: { pl: string; en?: string } | undefined, fallback: string, locale: 'pl' | 'en' = 'pl'): string {
  if (!label) return fallback;
  return (locale === 'en' && label.en) || label.pl;
}

/**
 * Appends to the case timeline (a readable history; the audit log is the authoritative record). An actor
 * given by user id only gets their name, so the timeline shows who did it.
 */
export async function addTimeline(entry: Omit<TTimelineEntry, '_id' | 'revision' | 'createdAt' | 'updatedAt'>): Promise<void> {
  let actor = entry.actor;
  if (actor.userId && !actor.name) {
    const user = await (await getStore()).collection<TUser>('users').findById(actor.userId);
    if (user) actor = { ...actor, name: user.name };
  }
  await (await cols()).timeline.insertOne({ ...entry, actor });
}

/** Next value of a named counter (atomic; creates the counter on first use). */
export async function nextCounter(key: string): Promise<number> {
  const counters = (await getStore()).collection<{ _id: string; key: string; value: number; revision: number; createdAt: Date; updatedAt: Date }>('counters');
  for (let i = 0; i < 5; i++) {
    const bumped = await counters.findOneAndUpdate({ key }, { $inc: { value: 1 } });
    if (bumped) return bumped.value;
    try {
      await counters.insertOne({ key, value: 0 });
    } catch (e) {
      if (!(isAppError(e) && e.code === 'conflict')) throw e;
    }
  }
  throw new AppError('unavailable', 'Counter contention; try again.');
}

