import 'server-only';
import { defineJob } from '@/lib/jobs';
import { GENERATE_JOB, runGenerateJob, ZGenerateJob } from '../documents';

/** Generates one document (big ones, and PDFs the UI asks for with progress); idempotent on `documentId`. */
export const generateDocumentJob = defineJob({
  name: GENERATE_JOB,
  schema: ZGenerateJob,
  attempts: 2,
  async handler(payload, ctx) {
    await runGenerateJob(payload, (pct, note) => ctx.progress(pct, note));
  },
});
