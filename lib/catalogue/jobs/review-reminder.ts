import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { defineJob } from '@/lib/jobs/registry';
import { getStore } from '@/lib/store';
import { recordChange } from '@/lib/audit/audit';
import type { TScope } from '@/lib/orgs/types';
import { getRegionRoles } from '@/lib/orgs/region-pack';
import { notifyInstitutionRoles } from '@/lib/notifications/notify';
import { getCatalogueCardConfig } from '../card';
import type { TCatalogueEntry } from '../types';

/**
 * The review reminder (03 §8.2: "a yearly job flags entries … and notifies the provider"). Idempotent:
 * the update is conditional on the entry still being approved, on the same review cycle and not yet
 * reminded. The reminder is kept on the entry (history, lastReminderAt, overdue), in the audit log, and
 * sent to the provider institution's staff holding a catalogue role (catalogue.propose/approve) as an
 * in-app notification (and e-mail when configured), deduplicated per entry and review cycle.
 */
export const REVIEW_JOB = 'catalogue.review-reminder';

export const ZReviewReminderPayload = z.object({ entryId: z.string().min(1), cycle: z.number().int().positive() });

export async function sendReviewReminder(payload: z.infer<typeof ZReviewReminderPayload>): Promise<'reminded' | 'skipped'> {
  const col = (await getStore()).collection<TCatalogueEntry>('catalogueEntries');
  // Only an entry still approved, on the same review cycle and not yet reminded (a verified or withdrawn one is left alone).
  const due = { _id: payload.entryId, status: 'approved', reviewCycle: payload.cycle, lastReminderAt: { $exists: false } };
  const entry = await col.findOne(due);
  if (!entry) return 'skipped';
  // Notify first: the dedupe key makes a repeated attempt harmless, and a crash before the update below retries both.
  const roles = Object.entries(await getRegionRoles(entry.regionId))
    .filter(([, r]) => r.permissions.includes('catalogue.propose') || r.permissions.includes('catalogue.approve'))
    .map(([key]) => key);
  const notified = await notifyInstitutionRoles({
    institutionId: entry.providerInstitutionId,
    roles,
    kind: 'reminder',
    title: 'Zweryfikuj usługę w katalogu',
    body: `Minął termin weryfikacji usługi „${entry.name.slice(0, 200)}”. Potwierdź jej aktualność albo zgłoś zmianę.`,
    link: `/katalog/${entry._id}`,
    dedupeKey: `catalogue-review:${entry._id}:${payload.cycle}`,
    refs: { entryId: entry._id },
  });
  // The roles the pack's review rule names (e.g. the county animator who owns the rural list), in the entry's powiat.
  const { reviewRoles } = await getCatalogueCardConfig(entry.regionId);
  const owners = reviewRoles.length
    ? await notifyInstitutionRoles({
        scope: { regionId: entry.regionId, ...(entry.powiatId ? { powiatId: entry.powiatId } : {}) },
        roles: reviewRoles,
        kind: 'reminder',
        title: 'Wpis katalogu usług czeka na weryfikację',
        body: `Minął termin weryfikacji usługi „${entry.name.slice(0, 200)}” (${entry.providerName.slice(0, 150)}).`,
        link: `/katalog/${entry._id}`,
        dedupeKey: `catalogue-review:${entry._id}:${payload.cycle}:owners`,
        refs: { entryId: entry._id },
      })
    : { userIds: [] as string[] };
  const at = now();
  const updated = await col.findOneAndUpdate(due, {
    $set: { overdue: true, lastReminderAt: at },
    $push: { history: { at, by: { name: 'System' }, action: 'reminded', reason: 'Minął termin weryfikacji wpisu.' } },
  });
  if (!updated) return 'skipped';
  const scope: TScope = { regionId: updated.regionId, ...(updated.powiatId ? { powiatId: updated.powiatId } : {}), ...(updated.gminaId ? { gminaId: updated.gminaId } : {}) };
  await recordChange({
    actor: { system: REVIEW_JOB },
    action: 'catalogue.entry.review-reminder',
    target: { type: 'catalogue-entry', id: updated._id, label: updated.name },
    scope,
    before: { overdue: false },
    after: { overdue: true, lastReminderAt: at, notifiedInstitutionId: updated.providerInstitutionId, notifiedUserIds: [...new Set([...notified.userIds, ...owners.userIds])] },
  });
  return 'reminded';
}

export const catalogueReviewReminderJob = defineJob({
  name: REVIEW_JOB,
  schema: ZReviewReminderPayload,
  attempts: 5,
  async handler(payload) {
    await sendReviewReminder(payload);
  },
});

