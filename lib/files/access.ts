import type { TPermission } from '@/lib/packs/permissions';
import { registerPolicyHook, type TPolicyHook, type TPolicyHookResult } from '@/lib/policy/policy';
import type { TFileAttachment } from './files';

/**
 * Who may download a file, as a policy hook on resources of type `file` (the route asks the policy module
 * for FILE_READ_PERMISSION on `fileResource(doc)`):
 * - not yet attached: only the uploader (a file uploaded into a draft is not shared with anyone yet);
 * - attached: whatever the attachment kind's hook says — the case runtime registers one for `case`
 *   (case team, consent) with `registerFileAttachmentHook('case', …)`. Without a hook: nobody (deny).
 * Scope still applies first: the policy answers 404 outside the file's tenant before any hook grants.
 */
export const FILE_READ_PERMISSION: TPermission = 'case.read';

const ATTACHMENT_HOOKS = Symbol.for('kooperacja.fileAttachmentHooks');
type G = typeof globalThis & { [ATTACHMENT_HOOKS]?: Map<string, TPolicyHook> };

function attachmentHooks(): Map<string, TPolicyHook> {
  const g = globalThis as G;
  return (g[ATTACHMENT_HOOKS] ??= new Map());
}

/** The hook receives the file resource; `resource.facts.attachedTo` says what it belongs to. */
export function registerFileAttachmentHook(attachmentType: string, hook: TPolicyHook): void {
  attachmentHooks().set(attachmentType, hook);
}

const fileHook: TPolicyHook = (principal, permission, resource): TPolicyHookResult => {
  const attachedTo = resource.facts?.attachedTo as TFileAttachment | undefined;
  if (!attachedTo) {
    if (resource.facts?.uploadedBy === principal.userId) return { grant: [FILE_READ_PERMISSION], visible: true };
    return { deny: 'file not attached yet: only the uploader may read it' };
  }
  const hook = attachmentHooks().get(attachedTo.type);
  if (!hook) return { deny: `no access rule for files attached to ${attachedTo.type}` };
  return hook(principal, permission, resource);
};

registerPolicyHook('file', fileHook);
