import 'server-only';
import { z } from 'zod';
import { AppError, isAppError } from '@/lib/errors';
import { env } from '@/lib/env';
import { now } from '@/lib/clock';
import { logger } from '@/lib/log';
import { getStore } from '@/lib/store';
import { getJobs } from '@/lib/jobs';
import type { TInstitution, TScope, TUser } from '@/lib/orgs/types';
import { NOTIFICATION_EMAIL_JOB, notificationEmailJobId } from './jobs/send-notification-email';
import { ZNotificationKind, type TNotification } from './types';

/** An 11-digit run (PESEL-like) anywhere in the text. */
const PESEL_LIKE = /(?<!\d)\d{11}(?!\d)/;
const noPesel = (s: string) => !PESEL_LIKE.test(s);
const NO_PESEL = 'nie może zawierać numeru PESEL ani innego 11-cyfrowego identyfikatora';

const ZScope = z.object({ regionId: z.string().min(1), powiatId: z.string().min(1).optional(), gminaId: z.string().min(1).optional() });

export const ZNotificationContent = z.object({
  kind: ZNotificationKind,
  title: z.string().trim().min(1).max(160).refine(noPesel, NO_PESEL),
  body: z.string().trim().min(1).max(500).refine(noPesel, NO_PESEL),
  /** Relative to the app; `//host` would leave it. */
  link: z.string().regex(/^\/(?!\/)[^\s]*$/, 'musi być względnym adresem w aplikacji, np. /sprawy/123'),
  dedupeKey: z.string().min(1).max(300).optional(),
  refs: z.object({ caseId: z.string().optional(), taskId: z.string().optional(), entryId: z.string().optional() }).optional(),
});
export type TNotificationContent = z.input<typeof ZNotificationContent>;

export const ZNotifyUsersInput = ZNotificationContent.extend({
  userIds: z.array(z.string().min(1)).max(1000),
  scope: ZScope,
});
export type TNotifyUsersInput = z.input<typeof ZNotifyUsersInput>;

export interface TNotifyResult {
  /** Notifications created by this call. */
  created: TNotification[];
  /** Recipients skipped because the same `dedupeKey` already notified them. */
  duplicates: string[];
}

/**
 * Notifies users in the app and, when SMTP_URL is set, by e-mail (one `notifications.email` job each).
 *
 * Personal data rule: `title` becomes the e-mail subject and `title`/`body` are shown in lists, so
 * neither may carry personal data of families — no names, PESEL, addresses; say "Sprawa nr 2024/15"
 * or "Zadanie z planu współpracy", and let the link lead to the details behind sign-in. A PESEL-like
 * 11-digit number is refused (AppError 'validation'); names cannot be detected, so that part is the
 * caller's duty.
 *
 * `dedupeKey` (e.g. `deadline:<id>:reminder`) is stored per recipient as `<dedupeKey>/<userId>`: calling
 * again with the same key — a deadline fired twice after a crash — notifies nobody twice.
 */
export async function notifyUsers(input: TNotifyUsersInput): Promise<TNotifyResult> {
  const parsed = ZNotifyUsersInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation', 'Powiadomienie jest niepoprawne.', {
      details: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  const { userIds, scope, dedupeKey, refs, ...content } = parsed.data;
  const notifications = (await getStore()).collection<TNotification>('notifications');
  const created: TNotification[] = [];
  const duplicates: string[] = [];
  const unsentDuplicates: TNotification[] = [];
  for (const userId of new Set(userIds)) {
    try {
      created.push(
        await notifications.insertOne({
          ...content,
          userId,
          regionId: scope.regionId,
          // Absent fields stay absent (MongoDB would index a stored null in the sparse unique index).
          ...(scope.powiatId ? { powiatId: scope.powiatId } : {}),
          ...(scope.gminaId ? { gminaId: scope.gminaId } : {}),
          ...(refs ? { refs } : {}),
          ...(dedupeKey ? { dedupeKey: `${dedupeKey}/${userId}` } : {}),
        }),
      );
    } catch (e) {
      if (dedupeKey && isAppError(e) && e.code === 'conflict') {
        duplicates.push(userId);
        const existing = await notifications.findOne({ dedupeKey: `${dedupeKey}/${userId}` });
        if (existing && !existing.emailedAt) unsentDuplicates.push(existing);
        continue;
      }
      throw e;
    }
  }
  if (env().SMTP_URL) {
    const jobs = getJobs();
    // Duplicates not yet e-mailed are queued again: an earlier run may have crashed between the insert
    // and the enqueue. The job id is stable, so a job that already exists is not queued twice.
    for (const n of [...created, ...unsentDuplicates]) await jobs.enqueue(NOTIFICATION_EMAIL_JOB, { notificationId: n._id }, { jobId: notificationEmailJobId(n._id) });
  }
  if (created.length || duplicates.length) {
    logger().info({ component: 'notifications', kind: content.kind, created: created.length, duplicates: duplicates.length }, 'notified users');
  }
  return { created, duplicates };
}

export type TNotifyInstitutionRolesInput = Omit<TNotifyUsersInput, 'userIds' | 'scope'> & {
  /** Pack role keys (e.g. `koordynator`); a user holding any of them is notified. */
  roles: string[];
} & ({ institutionId: string; scope?: TScope } | { institutionId?: undefined; scope: TScope });

/**
 * Notifies the users holding any of `roles` in an active membership (started, not ended) of one
 * institution, or of any active institution inside `scope` (region, powiat or gmina). Disabled accounts
 * are skipped. The notification's scope is the institution's unless `scope` is given. Same rules as
 * `notifyUsers`.
 */
export async function notifyInstitutionRoles(input: TNotifyInstitutionRolesInput): Promise<TNotifyResult & { userIds: string[] }> {
  const { roles, institutionId, scope: givenScope, ...content } = input;
  let scope: TScope;
  let institutionIds: string[];
  const institutions = (await getStore()).collection<TInstitution>('institutions');
  if (institutionId) {
    const inst = await institutions.findById(institutionId);
    if (!inst) throw new AppError('not_found', `Institution ${institutionId} does not exist`);
    scope = givenScope ?? { regionId: inst.regionId, ...(inst.powiatId ? { powiatId: inst.powiatId } : {}), ...(inst.gminaId ? { gminaId: inst.gminaId } : {}) };
    institutionIds = [inst._id];
  } else {
    scope = givenScope!;
    const filter: Record<string, unknown> = { regionId: scope.regionId, active: true };
    if (scope.powiatId) filter.powiatId = scope.powiatId;
    if (scope.gminaId) filter.gminaId = scope.gminaId;
    institutionIds = (await institutions.find(filter, { projection: { _id: 1 } })).map((i) => i._id);
  }
  const userIds = await findUsersWithRoles(institutionIds, roles);
  const result = await notifyUsers({ ...content, userIds, scope });
  return { ...result, userIds };
}

/** Active users with an active membership in one of `institutionIds` that holds one of `roles`. */
export async function findUsersWithRoles(institutionIds: string[], roles: string[]): Promise<string[]> {
  if (institutionIds.length === 0 || roles.length === 0) return [];
  const at = now().getTime();
  const wanted = new Set(institutionIds);
  const candidates = await (await getStore())
    .collection<TUser>('users')
    .find({ 'memberships.institutionId': { $in: institutionIds }, status: 'active' }, { projection: { _id: 1, memberships: 1 } });
  return candidates
    .filter((u) =>
      u.memberships.some(
        (m) =>
          wanted.has(m.institutionId) &&
          m.roles.some((r) => roles.includes(r)) &&
          new Date(m.since).getTime() <= at &&
          (m.until === undefined || m.until === null || new Date(m.until).getTime() > at),
      ),
    )
    .map((u) => u._id);
}
