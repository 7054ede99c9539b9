import 'server-only';
import { now } from '@/lib/clock';
import { isAppError } from '@/lib/errors';
import { logger } from '@/lib/log';
import { cancelDeadline, scheduleDeadline } from '@/lib/jobs/deadlines';
import { REVIEW_JOB } from './jobs/review-reminder';
import { getStore } from '@/lib/store';
import type { TFilter } from '@/lib/store/types';
import type { TScope } from '@/lib/orgs/types';
import type { TCatalogueEntry } from './types';

/**
 * Re-verification (01 §8: update at least every 6 months; 03 §8.2: at least yearly). Each approval or
 * verification schedules one deadline `catalogue-review:<entryId>:<cycle>` at lastVerifiedAt + the pack's
 * period; when due, the job flags the entry overdue and reminds the provider. The cycle is part of the
 * key because the deadline store never re-arms a key whose deadline is already done (lib/jobs), and a
 * verified entry needs a fresh reminder a period later.
 */
export { REVIEW_JOB };

export function reviewDeadlineKey(entryId: string, cycle: number): string {
  return `catalogue-review:${entryId}:${cycle}`;
}

/** Arms the next review of an entry and cancels the previous cycle's deadline. Never throws on the job side. */
export async function scheduleEntryReview(entry: Pick<TCatalogueEntry, '_id' | 'reviewCycle' | 'reviewDueAt'>): Promise<void> {
  if (entry.reviewCycle > 1) await cancelDeadline(reviewDeadlineKey(entry._id, entry.reviewCycle - 1));
  if (!entry.reviewDueAt) return;
  try {
    await scheduleDeadline({ key: reviewDeadlineKey(entry._id, entry.reviewCycle), job: REVIEW_JOB, payload: { entryId: entry._id, cycle: entry.reviewCycle }, dueAt: entry.reviewDueAt });
  } catch (e) {
    // The entry keeps reviewDueAt, so the indicator and the "overdue" filter stay right even then.
    if (isAppError(e) && e.code === 'validation') logger().error({ entryId: entry._id, err: e.message }, 'catalogue: review job is not registered in lib/jobs/registry.ts JOBS');
    else throw e;
  }
}

export async function cancelEntryReview(entry: Pick<TCatalogueEntry, '_id' | 'reviewCycle'>): Promise<void> {
  if (entry.reviewCycle > 0) await cancelDeadline(reviewDeadlineKey(entry._id, entry.reviewCycle));
}

/** Indicator: approved entries whose review date has passed without verification (in `scope`, or everywhere). */
export async function countEntriesNotVerifiedInTime(scope?: Partial<TScope>): Promise<number> {
  const filter: TFilter = { status: 'approved', reviewDueAt: { $lte: now() } };
  if (scope?.regionId) filter.regionId = scope.regionId;
  if (scope?.powiatId) filter.powiatId = scope.powiatId;
  if (scope?.gminaId) filter.gminaId = scope.gminaId;
  return (await getStore()).collection<TCatalogueEntry>('catalogueEntries').count(filter);
}
