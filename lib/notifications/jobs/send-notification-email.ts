import 'server-only';
import { z } from 'zod';
import { AppError } from '@/lib/errors';
import { env } from '@/lib/env';
import { now } from '@/lib/clock';
import { getStore } from '@/lib/store';
import type { TUser } from '@/lib/orgs/types';
// Type-only on purpose: lib/jobs/registry.ts imports this file for JOBS, so a runtime import back would
// be a cycle (defineJob's checks run when the registry builds JOBS and in registerJobForTests anyway).
import type { TJobDefinition } from '@/lib/jobs/registry';
import type { TNotification } from '../types';
import { composeNotificationEmail, getMailTransport } from '../mailer';

export const NOTIFICATION_EMAIL_JOB = 'notifications.email';

export const ZNotificationEmailPayload = z.object({ notificationId: z.string().min(1).max(100) });

/** The stable job id per notification: enqueueing the same notification twice is a no-op. */
export function notificationEmailJobId(notificationId: string): string {
  return `${NOTIFICATION_EMAIL_JOB}.${notificationId}`;
}

/**
 * E-mails one notification to its recipient. Idempotent: a notification with `emailedAt` is not sent
 * again. A crash between the SMTP server's acceptance and the `emailedAt` write may send a second copy
 * (at-least-once); that is the accepted price of never losing a reminder.
 * SMTP failures throw, and the job engine retries with this backoff (1, 2, 4, 8, 16 min).
 */
export const sendNotificationEmailJob: TJobDefinition<typeof ZNotificationEmailPayload> = {
  name: NOTIFICATION_EMAIL_JOB,
  schema: ZNotificationEmailPayload,
  attempts: 6,
  backoff: { type: 'exponential', delayMs: 60_000 },
  async handler({ notificationId }, ctx) {
    const store = await getStore();
    const notifications = store.collection<TNotification>('notifications');
    const n = await notifications.findById(notificationId);
    if (!n) throw new AppError('not_found', `Notification ${notificationId} does not exist`);
    if (n.emailedAt) {
      ctx.log.info('notification already e-mailed; skipping');
      return;
    }
    const transport = getMailTransport();
    if (!transport) {
      ctx.log.warn('SMTP_URL is no longer set; notification stays in-app only');
      return;
    }
    const user = await store.collection<TUser>('users').findById(n.userId);
    if (!user || user.status !== 'active') {
      ctx.log.info('recipient missing or disabled; not e-mailing');
      return;
    }
    const mail = composeNotificationEmail(n);
    await transport.sendMail({ from: env().MAIL_FROM, to: user.email, subject: mail.subject, text: mail.text });
    await notifications.findOneAndUpdate({ _id: n._id, emailedAt: { $exists: false } }, { $set: { emailedAt: now() } });
    await ctx.progress(100);
  },
};
