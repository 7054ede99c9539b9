import 'server-only';
import type { TJobDefinition } from '@/lib/jobs';
import { CASE_JOBS } from '@/lib/cases/effects';
import { sendNotificationEmailJob } from '@/lib/notifications/jobs/send-notification-email';
import { catalogueReviewReminderJob } from '@/lib/catalogue/jobs/review-reminder';
import { generateDocumentJob } from '@/lib/documents/jobs/generate-document';

/**
 * Every domain job of the application, installed into the job registry at start (boot, worker, tests).
 * Kept outside lib/jobs so the job engine never imports domain code. Add a new job here.
 */
export const APP_JOBS: readonly TJobDefinition[] = [
  ...CASE_JOBS,
  sendNotificationEmailJob as unknown as TJobDefinition,
  catalogueReviewReminderJob as unknown as TJobDefinition,
  generateDocumentJob as unknown as TJobDefinition,
];
