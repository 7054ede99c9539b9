import { decide, deny, enforce, type TDecision, type TPrincipal, type TResource } from './policy';
import { decideSubmissionRead } from './case';
import { reason } from './reasons';

/**
 * Documents generated from a case (lib/documents): who may generate and who may read one.
 * - generating needs `document.generate` on the case AND the right to read the bound form
 *   (one of the form's fill/read roles on this case);
 * - reading a generated document needs `case.read` on the case and the right to read the bound form;
 * - a document made from a private submission is visible only inside the institution that wrote it
 *   (like the submission itself); to anyone else it does not exist (404).
 */
export interface TDocumentAccessInput {
  /** The `case` resource (lib/cases/access.ts `caseResource`). */
  caseResource: TResource;
  /** The principal's roles on the case (staff + case-team) and the bound form's fill/read roles; absent = no bound form. */
  form?: { principalRoles: string[]; fill: string[]; read: string[] };
  /** The generated document (or the submission it is made from), when there is one. */
  record?: { visibility: 'shared' | 'private'; authorInstitutionId?: string; authorUserId?: string };
}

export function decideDocument(principal: TPrincipal | null, action: 'generate' | 'read', input: TDocumentAccessInput): TDecision {
  const base = decide(principal, action === 'generate' ? 'document.generate' : 'case.read', input.caseResource);
  if (!base.allow || !principal) return base;
  const reasons = [...base.reasons];
  if (input.record) {
    const r = decideSubmissionRead(principal, input.record);
    if (!r.allow) return deny(r.status, [...reasons, ...r.reasons]);
    reasons.push(...r.reasons);
  }
  const f = input.form;
  if (f && ![...f.fill, ...f.read].some((role) => f.principalRoles.includes(role))) return deny('forbidden', [...reasons, reason('document_no_form_read')]);
  return { allow: true, reasons };
}

export function authorizeDocument(principal: TPrincipal | null, action: 'generate' | 'read', input: TDocumentAccessInput): void {
  enforce(principal, decideDocument(principal, action, input), { notFound: 'document' });
}
