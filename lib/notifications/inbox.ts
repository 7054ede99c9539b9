import 'server-only';
import { z } from 'zod';
import { now } from '@/lib/clock';
import { getStore } from '@/lib/store';
import type { TCollection } from '@/lib/store/types';
import type { TPrincipal } from '@/lib/policy/policy';
import { toNotificationView, type TNotification, type TNotificationView } from './types';

/**
 * The signed-in user's own notifications. Every function filters by `principal.userId`: a user never
 * sees, counts or marks anybody else's notification (ids of others are silently ignored).
 */

export const NOTIFICATIONS_PAGE_SIZE = 30;

export const ZListNotificationsQuery = z.object({
  unreadOnly: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type TListNotificationsQuery = Partial<z.output<typeof ZListNotificationsQuery>>;

export interface TNotificationPage {
  items: TNotificationView[];
  /** Items matching the query (all pages). */
  total: number;
  unread: number;
  page: number;
  pageSize: number;
}

const UNREAD = { readAt: { $exists: false } };
const READ = { readAt: { $exists: true } };

async function collection(): Promise<TCollection<TNotification>> {
  return (await getStore()).collection<TNotification>('notifications');
}

/** Unread first (newest first), then read ones (newest first). */
export async function listNotifications(principal: Pick<TPrincipal, 'userId'>, query: TListNotificationsQuery = {}): Promise<TNotificationPage> {
  const unreadOnly = query.unreadOnly === true;
  const page = Math.max(1, Math.trunc(query.page ?? 1));
  const col = await collection();
  const own = { userId: principal.userId };
  const [unread, read] = await Promise.all([col.count({ ...own, ...UNREAD }), unreadOnly ? Promise.resolve(0) : col.count({ ...own, ...READ })]);
  const size = NOTIFICATIONS_PAGE_SIZE;
  const offset = (page - 1) * size;
  // Two ordered slices instead of one sort on readAt: "unread first, each newest first" is not one index order.
  const items: TNotification[] = [];
  if (offset < unread) items.push(...(await col.find({ ...own, ...UNREAD }, { sort: { createdAt: -1 }, skip: offset, limit: size })));
  if (!unreadOnly && items.length < size) {
    items.push(...(await col.find({ ...own, ...READ }, { sort: { createdAt: -1 }, skip: Math.max(0, offset - unread), limit: size - items.length })));
  }
  return { items: items.map(toNotificationView), total: unread + read, unread, page, pageSize: size };
}

export const ZMarkReadBody = z.union([
  z.object({ ids: z.array(z.string().min(1).max(100)).min(1).max(500) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);
export type TMarkReadBody = z.infer<typeof ZMarkReadBody>;

/** Marks the given notifications (or all) of the principal read. Returns how many changed. */
export async function markRead(principal: Pick<TPrincipal, 'userId'>, ids: string[] | 'all'): Promise<number> {
  const filter: Record<string, unknown> = { userId: principal.userId, ...UNREAD };
  if (ids !== 'all') {
    if (ids.length === 0) return 0;
    filter._id = { $in: ids };
  }
  return (await collection()).updateMany(filter, { $set: { readAt: now() } });
}

export async function countUnread(principal: Pick<TPrincipal, 'userId'>): Promise<number> {
  return (await collection()).count({ userId: principal.userId, ...UNREAD });
}
