import type { TCase, TSubmission } from '@/lib/cases/types';
import { decide, deny, type TDecision, type TPrincipal, type TResource } from './policy';
import { consentCoverage, consentCoversForm, rolesOnCase, type TCaseAccessFacts } from './case-rule';
import { reason } from './reasons';
import { formatMessage } from '@/lib/i18n/messages';
import { PERMISSIONS, type TPermission } from '@/lib/packs/permissions';

/**
 * Decisions about what is inside a case — its personal data, its forms, their submitted versions —
 * built on `decide()` and the case rule. Services ask these (and only these); the studio's "explain"
 * calls the same functions with a principal built for a role at an institution.
 */

type TCaseLike = Pick<TCase, 'regionId' | 'powiatId' | 'gminaId' | 'team'>;
/** Who fills and who reads a form (the pack's `forms.<key>.fill/read`). */
export interface TFormAccessMeta {
  fill: string[];
  read: string[];
}

function factsOf(resource: TResource): TCaseAccessFacts {
  return resource.facts as unknown as TCaseAccessFacts;
}

/**
 * May the principal see the family's data in this case (name, timeline, forms, files)? A case-team
 * member outside the consent sees only the case number and its own tasks (`case.read` alone).
 */
export function decideCaseData(principal: TPrincipal | null, c: TCaseLike, resource: TResource): TDecision {
  const read = decide(principal, 'case.read', resource);
  if (!read.allow || !principal || factsOf(resource).kind !== 'case') return read;
  const cov = consentCoverage(principal, factsOf(resource), c);
  return cov.covered ? { allow: true, reasons: [...read.reasons, ...cov.reasons] } : deny('forbidden', [...read.reasons, ...cov.reasons]);
}

function roleCheck(principal: TPrincipal, c: TCaseLike, allowed: string[]): string | undefined {
  const r = rolesOnCase(principal, c);
  return [...r.staff, ...r.member].find((x) => allowed.includes(x));
}

function withConsent(principal: TPrincipal, c: TCaseLike, resource: TResource, formKey: string, base: TDecision): TDecision {
  if (!base.allow || factsOf(resource).kind !== 'case') return base;
  const cov = consentCoversForm(principal, factsOf(resource), c, formKey);
  return cov.covered ? { allow: true, reasons: [...base.reasons, ...cov.reasons] } : deny('forbidden', [...base.reasons, ...cov.reasons]);
}

/** May the principal open this form of the case (its role fills or reads it, and the consent covers it)? */
export function decideFormRead(principal: TPrincipal | null, c: TCaseLike, resource: TResource, formKey: string, meta: TFormAccessMeta): TDecision {
  const read = decide(principal, 'case.read', resource);
  if (!read.allow || !principal) return read;
  const role = roleCheck(principal, c, [...meta.fill, ...meta.read]);
  if (!role) return deny('forbidden', [...read.reasons, reason('form_no_role', formKey)]);
  return withConsent(principal, c, resource, formKey, { allow: true, reasons: [...read.reasons, reason('form_role', role)] });
}

/**
 * May the principal fill this form now? Its role must fill it, and each of `permissions` (the form's
 * `formFillPermissions`: `form.fill`, plus `consent.manage` / `plan.manage` for bound forms) must hold on
 * the case (closed case, withdrawn consent and consent scope refuse with the reason).
 */
export function decideFormFill(principal: TPrincipal | null, c: TCaseLike, resource: TResource, formKey: string, meta: TFormAccessMeta, permissions: readonly TPermission[] = ['form.fill']): TDecision {
  const read = decide(principal, 'case.read', resource);
  if (!read.allow || !principal) return read;
  const role = roleCheck(principal, c, meta.fill);
  if (!role) return deny('forbidden', [...read.reasons, reason('form_no_fill_role', formKey)]);
  const chain = [...read.reasons, reason('form_role', role)];
  for (const permission of permissions) {
    const d = decide(principal, permission, resource);
    chain.push(...d.reasons);
    // A lock (closed case, withdrawn consent) speaks for itself; a missing permission is named.
    if (!d.allow) return { ...d, reasons: chain, message: d.message ?? formatMessage('pl', 'case.form.missingPermission', { permission: PERMISSIONS[permission].pl }) };
  }
  return withConsent(principal, c, resource, formKey, { allow: true, reasons: chain });
}

/**
 * The store filter of the cases the principal may know of (the case rule, for lists): cases whose team
 * includes it or its case-reading institutions and, with `case.read.all`, every case of that unit.
 */
export function caseListFilter(principal: TPrincipal): Record<string, unknown> {
  const instIds = principal.memberships.filter((m) => m.permissions.some((p) => p === 'case.read' || p === 'case.read.all')).map((m) => m.institutionId);
  const or: Record<string, unknown>[] = [
    { team: { $elemMatch: { userId: principal.userId, leftAt: { $exists: false } } } },
    { team: { $elemMatch: { type: 'institution', institutionId: { $in: instIds }, leftAt: { $exists: false } } } },
  ];
  for (const m of principal.memberships.filter((x) => x.permissions.includes('case.read.all'))) {
    or.push(m.scope.gminaId ? { gminaId: m.scope.gminaId } : m.scope.powiatId ? { powiatId: m.scope.powiatId } : { regionId: m.scope.regionId });
  }
  return { $or: or };
}

/** Private submissions are visible only inside the institution that wrote them; hidden ones answer 404. */
export function decideSubmissionRead(principal: TPrincipal, s: Pick<TSubmission, 'visibility'> & Partial<Pick<TSubmission, 'authorInstitutionId' | 'authorUserId'>>): TDecision {
  if (s.visibility === 'shared') return { allow: true, reasons: [reason('submission_shared')] };
  if (s.authorUserId === principal.userId || principal.memberships.some((m) => m.institutionId === s.authorInstitutionId)) {
    return { allow: true, reasons: [reason('submission_own_institution')] };
  }
  return deny('not_found', [reason('submission_private')]);
}
