import 'server-only';
import { logger } from '@/lib/log';
import { isAppError } from '@/lib/errors';
import type { TResource } from '@/lib/policy/policy';
import { attachFile, fileResource, getFileOrThrow, type TFileDoc } from '@/lib/files/files';
import { caseResource } from './access';
import { getCaseDocOrThrow, packOf } from './context';

/**
 * Files in case forms (consent scans, signed agreements): stored by lib/files, attached to the case when a
 * submission references them; from then on the policy's file rule lets exactly the case's readers whom
 * its consent covers download them (lib/policy/file-rule.ts) — this module only gathers the facts.
 */

/** The policy resource of a file, with the case's access facts when it is attached to a case. */
export async function caseAwareFileResource(doc: TFileDoc): Promise<TResource> {
  const base = fileResource(doc);
  if (doc.attachedTo?.type !== 'case') return base;
  const c = await getCaseDocOrThrow(doc.attachedTo.id);
  const res = caseResource(c, (await packOf(c)).manifest);
  return { ...base, scope: res.scope, facts: { ...base.facts, caseAccess: res.facts } };
}

/** File ids referenced by Form.io file values in submitted data (`[{ url, name, data: { id } }]`). */
function fileIds(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => fileIds(v, out));
  else if (value && typeof value === 'object') {
    const v = value as { url?: unknown; data?: { id?: unknown }; storage?: unknown };
    if (v.storage === 'url' && typeof v.data?.id === 'string') out.add(v.data.id);
    else Object.values(value).forEach((x) => fileIds(x, out));
  }
  return out;
}

/** Whether submitted data references uploaded files (then the submission's outbox attaches them). */
export function referencesFiles(data: Record<string, unknown>): boolean {
  return fileIds(data).size > 0;
}

/** Attaches the submitter's own uploads referenced by the data to the case; others' files are never adopted. */
export async function attachSubmissionFiles(submitterUserId: string, caseId: string, data: Record<string, unknown>): Promise<void> {
  for (const id of fileIds(data)) {
    try {
      const doc = await getFileOrThrow(id);
      if (doc.uploadedBy !== submitterUserId && doc.attachedTo?.id !== caseId) continue;
      await attachFile(id, { type: 'case', id: caseId });
    } catch (e) {
      if (isAppError(e) && (e.code === 'not_found' || e.code === 'conflict')) {
        logger().warn({ caseId, code: e.code }, 'submission references a file that cannot be attached');
        continue;
      }
      throw e;
    }
  }
}
