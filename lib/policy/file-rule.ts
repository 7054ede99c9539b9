import type { TPermission } from '@/lib/packs/permissions';
import type { TFileAttachment } from '@/lib/files/files';
import type { TScope } from '@/lib/orgs/types';
import type { TDecision, TPolicyHook, TPolicyHookResult, TPrincipal, TResource } from './policy';
import { caseRule, consentCoverage, type TCaseAccessFacts } from './case-rule';
import { reason } from './reasons';

/**
 * Who may download a file (resources of type `file`; the route asks for FILE_READ_PERMISSION):
 * - not yet attached: only the uploader (a file uploaded into a draft is not shared with anyone yet);
 * - attached to a case: exactly the case's readers whom its consent covers (a consent scan is family
 *   data), with the case's locks — `resource.facts.caseAccess` carries the case's access facts;
 * - attached to anything else: the rule registered for that kind, else nobody.
 * Scope still applies first: the policy answers 404 outside the file's tenant before any rule grants.
 */
export const FILE_READ_PERMISSION: TPermission = 'case.read';

const ATTACHMENT_RULES = Symbol.for('kooperacja.fileAttachmentRules');
type G = typeof globalThis & { [ATTACHMENT_RULES]?: Map<string, TPolicyHook> };

function attachmentRules(): Map<string, TPolicyHook> {
  const g = globalThis as G;
  return (g[ATTACHMENT_RULES] ??= new Map());
}

/** Another attachment kind plugs in its rule; the rule receives the file resource. */
export function registerFileAttachmentHook(attachmentType: string, hook: TPolicyHook): void {
  attachmentRules().set(attachmentType, hook);
}

const caseFileRule: TPolicyHook = (principal, permission, resource) => {
  const facts = resource.facts?.caseAccess as TCaseAccessFacts | undefined;
  if (!facts) return { deny: reason('file_no_rule').message, reasons: [reason('file_no_rule', 'case')] };
  const caseResource: TResource = { type: 'case', scope: resource.scope, facts: facts as unknown as Record<string, unknown> };
  const r = caseRule(principal, permission, caseResource);
  if (r.hide || r.deny || facts.kind !== 'case') return r;
  const cov = consentCoverage(principal, facts, { ...resource.scope, team: facts.team });
  return cov.covered ? { ...r, reasons: [...(r.reasons ?? []), ...cov.reasons] } : { ...r, deny: cov.reasons.at(-1)!.message, reasons: [...(r.reasons ?? []), ...cov.reasons] };
};

export const fileRule: TPolicyHook = (principal, permission, resource): TPolicyHookResult => {
  const attachedTo = resource.facts?.attachedTo as TFileAttachment | undefined;
  if (!attachedTo) {
    if (resource.facts?.uploadedBy === principal.userId) return { grant: [FILE_READ_PERMISSION], visible: true, reasons: [reason('file_uploader')] };
    return { deny: reason('file_not_attached').message, reasons: [reason('file_not_attached')] };
  }
  const rule = attachmentRules().get(attachedTo.type) ?? (attachedTo.type === 'case' ? caseFileRule : undefined);
  if (!rule) return { deny: reason('file_no_rule').message, reasons: [reason('file_no_rule', attachedTo.type)] };
  return rule(principal, permission, resource);
};

/**
 * Who may upload, and where the upload belongs: institution staff (scope of the first membership) or a
 * region administrator (the region). An upload is private to its uploader until it is attached.
 */
export function decideFileUpload(principal: TPrincipal): (TDecision & { allow: true; scope: TScope }) | (TDecision & { allow: false }) {
  const membership = principal.memberships[0];
  if (membership) return { allow: true, scope: membership.scope, reasons: [reason('membership', membership.institutionName)] };
  const region = principal.regionAdminOf[0];
  if (region) return { allow: true, scope: { regionId: region }, reasons: [reason('admin')] };
  return { allow: false, status: 'forbidden', reason: 'file_upload_staff_only', message: reason('file_upload_staff_only').message, reasons: [reason('file_upload_staff_only')] };
}
