import 'server-only';
import type { TJobDefinition } from '@/lib/jobs';
import { caseDeadlineJob } from '@/lib/cases/jobs/deadline-fired';
import { caseEscalationJob } from '@/lib/cases/jobs/task-escalation';
import { runPendingEffectsJob } from '@/lib/cases/jobs/run-pending-effects';
import { sendNotificationEmailJob } from '@/lib/notifications/jobs/send-notification-email';
import { catalogueReviewReminderJob } from '@/lib/catalogue/jobs/review-reminder';
import { generateDocumentJob } from '@/lib/documents/jobs/generate-document';

/**
 * Every domain job of the application, installed into the job registry at start (boot, worker, tests).
 * Kept outside lib/jobs so the job engine never imports domain code. Add a new job here.
 */
export const APP_JOBS: readonly TJobDefinition[] = [
  caseDeadlineJob as unknown as TJobDefinition,
  caseEscalationJob as unknown as TJobDefinition,
  runPendingEffectsJob as unknown as TJobDefinition,
  sendNotificationEmailJob as unknown as TJobDefinition,
  catalogueReviewReminderJob as unknown as TJobDefinition,
  generateDocumentJob as unknown as TJobDefinition,
];
