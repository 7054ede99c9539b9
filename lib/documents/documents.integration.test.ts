/**
 * Documents of demo cases end to end on the embedded store: every slot a social worker may generate on a
 * demo case of each pack renders from the demo data (reopened: title and filled values in the text),
 * is stored with hashes and versions, listed, downloadable and audited; PDF where soffice exists (one
 * document); the job path reports progress; access follows the policy (404 across tenants, 403 without
 * the right).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { loadPrincipal } from '@/lib/auth/principal';
import { closeJobs, getJobs, installJobs } from '@/lib/jobs';
import { APP_JOBS } from '@/lib/app-jobs';
import type { TUser } from '@/lib/orgs/types';
import type { TCase, TSubmission } from '@/lib/cases/types';
import type { TAuditEvent } from '@/lib/audit/audit';
import type { TPrincipal } from '@/lib/policy/policy';
import { packOf } from '@/lib/cases/context';
import { preparedCaseForm } from '@/lib/cases/submissions';
import { generateCaseDocument, getCaseDocument, listCaseDocuments, readCaseDocument } from './documents';
import { submissionValues } from './data';
import { docxText } from './template';
import { pdfAvailable } from './pdf';

let cleanup: () => Promise<void>;
const who = async (email: string): Promise<TPrincipal> => {
  const u = await (await getStore()).collection<TUser>('users').findOne({ email });
  return (await loadPrincipal(u!._id))!;
};

beforeAll(async () => {
  cleanup = openTempDataDir();
  installJobs(APP_JOBS);
  await bootPacks();
  await seedDemoData(readDemoFiles().filter((d) => ['wiejski', 'miejsko-wiejski', 'miejski-3d'].includes(d.packId)));
  await getJobs().startWorker();
}, 120_000);
afterAll(async () => {
  await closeJobs();
  await cleanup();
});

/** The demo family case of a pack with the most submissions that the person can see. */
async function busiestCase(principal: TPrincipal, packId: string): Promise<TCase> {
  const store = await getStore();
  const cases = await store.collection<TCase>('cases').find({ packId, kind: 'case', status: 'active' });
  const subs = await store.collection<TSubmission>('submissions').find({ status: 'submitted' });
  const visible: TCase[] = [];
  for (const c of cases) {
    try {
      await listCaseDocuments(principal, c._id);
      visible.push(c);
    } catch {
      /* not on this person's cases */
    }
  }
  visible.sort((a, b) => subs.filter((s) => s.caseId === b._id).length - subs.filter((s) => s.caseId === a._id).length);
  expect(visible.length, `${packId}: a demo case visible to ${principal.email}`).toBeGreaterThan(0);
  return visible[0];
}

const STAFF: Record<string, string> = {
  wiejski: 'municipal-animator@wiejski.kooperacja.test',
  'miejsko-wiejski': 'pracownik-socjalny@miejsko-wiejski.kooperacja.test',
  'miejski-3d': 'pracownik-socjalny@miejski-3d.kooperacja.test',
};

describe.each(Object.entries(STAFF))('documents of a demo case of %s (staff who runs it)', (packId, email) => {
  it('generates every slot the social worker may generate, from the demo data', async () => {
    const principal = await who(email);
    const c = await busiestCase(principal, packId);
    const pack = await packOf(c);
    const list = await listCaseDocuments(principal, c._id);
    const ready = list.slots.filter((s) => s.canGenerate);
    expect(ready.length, `${packId}: slots to generate`).toBeGreaterThan(0);
    const subs = await (await getStore()).collection<TSubmission>('submissions').find({ caseId: c._id, status: 'submitted' }, { sort: { submittedAt: -1 } });
    let filled = 0;
    for (const slot of ready) {
      const r = await generateCaseDocument(principal, c._id, { document: slot.key, format: 'docx' });
      expect(r.status).toBe('done');
      if (r.status !== 'done') continue;
      const file = await readCaseDocument(principal, c._id, r.id);
      const text = docxText(file.bytes);
      expect(text, slot.key).toContain(slot.title);
      expect(text, slot.key).toContain(c.number);
      expect(text, slot.key).toContain(c.subject.name);
      expect(text, slot.key).not.toMatch(/undefined|\[object Object\]/);
      const sub = subs.find((s) => s.formKey === slot.form);
      if (sub) {
        const values = submissionValues(await preparedCaseForm(c, pack, slot.form!), sub.data);
        const sample = Object.values(values).find((v): v is string => typeof v === 'string' && v.length > 3 && !v.includes('\n'));
        if (sample) {
          expect(text, `${slot.key}: a value of the submission`).toContain(sample);
          filled++;
        }
      }
    }
    expect(filled, `${packId}: documents filled from a submission`).toBeGreaterThan(0);
    const after = await listCaseDocuments(principal, c._id);
    expect(after.generated.length).toBe(ready.length);
    expect(after.generated[0]).toMatchObject({ packVersion: c.packVersion, authorName: principal.name, format: 'docx' });
    expect(after.generated[0].templateSha256).toMatch(/^[0-9a-f]{64}$/);
  }, 120_000);
});

describe('generation details', () => {
  it('stores the submission version and audits generation and download', async () => {
    const principal = await who(STAFF.wiejski);
    const c = await busiestCase(principal, 'wiejski');
    const slot = (await listCaseDocuments(principal, c._id)).slots.find((s) => s.canGenerate && s.submissionVersion)!;
    const r = await generateCaseDocument(principal, c._id, { document: slot.key, format: 'docx' });
    if (r.status !== 'done') throw new Error('expected a direct result');
    const { document } = await getCaseDocument(principal, c._id, r.id);
    expect(document).toMatchObject({ slot: slot.key, submissionVersion: slot.submissionVersion, url: r.url });
    await readCaseDocument(principal, c._id, r.id);
    const audit = await (await getStore()).collection<TAuditEvent>('auditEvents').find({ 'target.id': r.id });
    expect(audit.map((a) => a.action).sort()).toEqual(['document.download', 'document.generate']);
  });

  it('runs as a job with progress when asked (the UI does for PDF)', async () => {
    const principal = await who(STAFF.wiejski);
    const c = await busiestCase(principal, 'wiejski');
    const r = await generateCaseDocument(principal, c._id, { document: 'zgoda', format: pdfAvailable() ? 'pdf' : 'docx', async: true });
    expect(r.status).toBe('queued');
    let state: Awaited<ReturnType<typeof getCaseDocument>> = {};
    for (let i = 0; i < 600 && !state.document; i++) {
      state = await getCaseDocument(principal, c._id, r.id);
      if (state.job?.state === 'failed') throw new Error(state.job.error);
      if (!state.document) await new Promise((res) => setTimeout(res, 100));
    }
    expect(state.document?.slot).toBe('zgoda');
    const file = await readCaseDocument(principal, c._id, r.id);
    if (pdfAvailable()) {
      expect(Buffer.from(file.bytes.subarray(0, 5)).toString()).toBe('%PDF-');
      expect(file.type).toBe('application/pdf');
    }
  }, 120_000);

  it('refuses without the right and hides documents of cases one is not on', async () => {
    const worker = await who(STAFF.wiejski);
    const c = await busiestCase(worker, 'wiejski');
    const stranger = await who('rops@miejski-3d.kooperacja.test');
    await expect(listCaseDocuments(stranger, c._id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(generateCaseDocument(stranger, c._id, { document: 'zgoda', format: 'docx' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(generateCaseDocument(worker, c._id, { document: 'nie-ma-takiego', format: 'docx' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
