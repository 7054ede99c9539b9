import { describe, expect, it } from 'vitest';
import type { TPermission } from '@/lib/packs/permissions';
import type { TCaseTeamMember } from '@/lib/cases/types';
import type { TCaseConsentSummary } from '@/lib/cases/consent-scope';
import { decide, type TPrincipal, type TPrincipalMembership, type TResource } from './policy';
import { decideCaseData, decideFormFill, decideFormRead, decideSubmissionRead } from './case';
import type { TCaseAccessFacts } from './case-rule';
import { decideFileUpload, fileRule } from './file-rule';

/** Table-driven tests of the case, form, submission and file decisions: pure functions, no store. */
const scope = { regionId: 'r1', powiatId: 'p1', gminaId: 'g1' };
const at = new Date('2026-12-01T12:00:00Z');

function member(institutionId: string, institutionType: string, permissions: TPermission[], roles: string[] = []): TPrincipalMembership {
  return { institutionId, institutionName: institutionId.toUpperCase(), institutionType, level: 'gmina', scope, roles, permissions };
}
function principal(userId: string, memberships: TPrincipalMembership[]): TPrincipal {
  return { userId, name: userId, email: `${userId}@x.pl`, platformAdmin: false, regionAdminOf: [], memberships, teams: [] };
}
const socialWorker = principal('ps', [member('ops', 'ops', ['case.read', 'case.create'], ['pracownik-socjalny'])]);
const head = principal('kier', [member('ops', 'ops', ['case.read.all'], ['kierownik-ops'])]);
const pedagogue = principal('ped', [member('school', 'szkola', ['case.read'], ['partner'])]);
const police = principal('pol', [member('kpp', 'policja', ['case.read'], ['partner'])]);
const stranger = principal('obcy', [member('ngo', 'ngo', ['case.read'], ['partner'])]);

const row = (id: string, institutionId: string, userId: string, role: string): TCaseTeamMember => ({ id, type: 'person', institutionId, userId, role, joinedAt: at });
const team = [row('1', 'ops', 'ps', 'koordynator'), row('2', 'school', 'ped', 'czlonek'), row('3', 'kpp', 'pol', 'czlonek')];
const memberRolePermissions: Record<string, TPermission[]> = { koordynator: ['form.fill', 'plan.manage', 'consent.manage', 'case.transition'], czlonek: ['form.fill', 'task.update'] };

const schoolOnly = { wholeTeam: false, institutionIds: ['school'], institutionTypes: [] };
const consents: Record<string, TCaseConsentSummary> = {
  none: { status: 'none' },
  legacy: { status: 'active', consentId: 'c0' },
  wholeTeam: { status: 'active', consentId: 'c1', scope: { wholeTeam: true, institutionIds: [], institutionTypes: [] }, validFrom: new Date('2026-11-01') },
  schoolOnly: { status: 'active', consentId: 'c2', scope: schoolOnly, validFrom: new Date('2026-11-01') },
  policeType: { status: 'active', consentId: 'c3', scope: { wholeTeam: false, institutionIds: [], institutionTypes: ['policja'] }, validFrom: new Date('2026-11-01') },
  planOnly: { status: 'active', consentId: 'c4', scope: { wholeTeam: true, institutionIds: [], institutionTypes: [], forms: ['plan'] }, validFrom: new Date('2026-11-01') },
  expired: { status: 'active', consentId: 'c5', scope: { wholeTeam: true, institutionIds: [], institutionTypes: [] }, validFrom: new Date('2026-01-01'), validTo: new Date('2026-06-30') },
  future: { status: 'active', consentId: 'c6', scope: { wholeTeam: true, institutionIds: [], institutionTypes: [] }, validFrom: new Date('2027-01-01') },
  withdrawn: { status: 'withdrawn', consentId: 'c7', scope: { wholeTeam: true, institutionIds: [], institutionTypes: [] }, validFrom: new Date('2026-11-01') },
};

function caseOf(consent: TCaseConsentSummary, over: Partial<TCaseAccessFacts> = {}) {
  const facts: TCaseAccessFacts = { kind: 'case', team, memberRolePermissions, status: 'active', consent, controllerTypes: ['ops'], at, ...over };
  const resource: TResource = { type: 'case', id: 'k1', scope, facts: facts as unknown as Record<string, unknown> };
  return { c: { ...scope, team: facts.team }, resource };
}

describe('case data and consent scope', () => {
  const table: [string, TPrincipal, keyof typeof consents, boolean, string][] = [
    ['controller, no consent yet', socialWorker, 'none', true, 'consent_controller'],
    ['member at intake (no consent yet)', police, 'none', true, 'consent_intake'],
    ['member, consent recorded before scopes', police, 'legacy', true, 'consent_legacy'],
    ['member, whole-team consent', police, 'wholeTeam', true, 'consent_covers'],
    ['named institution', pedagogue, 'schoolOnly', true, 'consent_covers'],
    ['member not named', police, 'schoolOnly', false, 'consent_not_covered'],
    ['named institution type', police, 'policeType', true, 'consent_covers'],
    ['controller, consent names others', socialWorker, 'schoolOnly', true, 'consent_controller'],
    ['controller reading all cases of the gmina', head, 'schoolOnly', true, 'consent_controller'],
    ['member, consent expired', pedagogue, 'expired', false, 'consent_expired'],
    ['member, consent not yet valid', pedagogue, 'future', false, 'consent_not_yet_valid'],
    ['member, consent withdrawn', pedagogue, 'withdrawn', false, 'consent_revoked_view'],
    ['controller, consent withdrawn', socialWorker, 'withdrawn', true, 'consent_controller'],
  ];
  it.each(table)('%s', (_name, who, consent, allowed, code) => {
    const { c, resource } = caseOf(consents[consent]);
    const d = decideCaseData(who, c, resource);
    expect(d.allow).toBe(allowed);
    expect(d.reasons.at(-1)?.code).toBe(code);
    // Outside the consent the case itself (its number) stays visible, and one's own tasks can be worked on —
    // except after a withdrawal, which stops all processing.
    expect(decide(who, 'case.read', resource).allow).toBe(true);
    const roleUpdates = memberRolePermissions[team.find((t) => t.userId === who.userId)?.role ?? '']?.includes('task.update') ?? false;
    expect(decide(who, 'task.update', resource).allow).toBe(roleUpdates && consent !== 'withdrawn');
  });

  it('hides the case from anyone neither on the team nor reading all cases (404), whatever the consent', () => {
    const { c, resource } = caseOf(consents.wholeTeam);
    expect(decideCaseData(stranger, c, resource)).toMatchObject({ allow: false, status: 'not_found', reasons: [{ code: 'not_on_case' }] });
    expect(decide(null, 'case.read', resource)).toMatchObject({ allow: false, reasons: [{ code: 'unauthenticated' }] });
  });

  it('applies no consent scope to implementation records (no family data)', () => {
    const { c, resource } = caseOf(consents.schoolOnly, { kind: 'implementation' });
    expect(decideCaseData(police, c, resource).allow).toBe(true);
  });
});

describe('forms of a case', () => {
  const plan = { fill: ['koordynator'], read: ['czlonek'] };
  const intake = { fill: ['koordynator', 'czlonek'], read: [] };
  const table: [string, TPrincipal, keyof typeof consents, string, typeof plan, boolean, boolean, string][] = [
    // name, who, consent, form, meta, may read, may fill, last reason of the fill decision
    ['coordinator fills the plan', socialWorker, 'wholeTeam', 'plan', plan, true, true, 'consent_controller'],
    ['member reads but does not fill the plan', pedagogue, 'wholeTeam', 'plan', plan, true, false, 'form_no_fill_role'],
    ['member fills the intake form', pedagogue, 'wholeTeam', 'zgloszenie', intake, true, true, 'consent_covers'],
    ['member outside the consent: neither', police, 'schoolOnly', 'zgloszenie', intake, false, false, 'consent_not_covered'],
    ['form outside the consent’s data categories', pedagogue, 'planOnly', 'zgloszenie', intake, false, false, 'consent_form_not_covered'],
    ['form inside the consent’s data categories', pedagogue, 'planOnly', 'plan', plan, true, false, 'form_no_fill_role'],
    ['withdrawn consent: the controller reads, fills nothing', socialWorker, 'withdrawn', 'plan', plan, true, false, 'consent_withdrawn'],
    ['stranger role on the form list but not on the case', stranger, 'wholeTeam', 'plan', { fill: ['partner'], read: [] }, false, false, 'not_on_case'],
  ];
  it.each(table)('%s', (_name, who, consent, formKey, meta, mayRead, mayFill, lastFillReason) => {
    const { c, resource } = caseOf(consents[consent]);
    expect(decideFormRead(who, c, resource, formKey, meta).allow).toBe(mayRead);
    const fill = decideFormFill(who, c, resource, formKey, meta);
    expect(fill.allow).toBe(mayFill);
    expect(fill.reasons.at(-1)?.code).toBe(lastFillReason);
  });

  it('refuses filling a closed case with the reason the user reads', () => {
    const { c, resource } = caseOf(consents.wholeTeam, { status: 'closed' });
    expect(decideFormFill(socialWorker, c, resource, 'plan', plan)).toMatchObject({ allow: false, status: 'forbidden', message: expect.stringMatching(/zamknięta/) });
  });
});

describe('submission visibility', () => {
  const table: [string, TPrincipal, 'shared' | 'private', string, boolean][] = [
    ['shared version: every reader of the form', police, 'shared', 'ops', true],
    ['private version: its institution', head, 'private', 'ops', true],
    ['private version: another institution (404)', pedagogue, 'private', 'ops', false],
  ];
  it.each(table)('%s', (_name, who, visibility, authorInstitutionId, visible) => {
    const d = decideSubmissionRead(who, { visibility, authorInstitutionId, authorUserId: 'ps' });
    expect(d.allow).toBe(visible);
    if (!d.allow) expect(d.status).toBe('not_found');
  });
});

describe('files', () => {
  const file = (facts: Record<string, unknown>): TResource => ({ type: 'file', id: 'f1', scope, facts });
  it.each([
    ['uploader of an unattached file', socialWorker, file({ uploadedBy: 'ps' }), true],
    ['anyone else, unattached', pedagogue, file({ uploadedBy: 'ps' }), false],
    ['case file, member covered by the consent', pedagogue, file({ uploadedBy: 'ps', attachedTo: { type: 'case', id: 'k1' }, caseAccess: caseOf(consents.schoolOnly).resource.facts }), true],
    ['case file, member outside the consent', police, file({ uploadedBy: 'ps', attachedTo: { type: 'case', id: 'k1' }, caseAccess: caseOf(consents.schoolOnly).resource.facts }), false],
    ['file of an unknown kind', socialWorker, file({ uploadedBy: 'ps', attachedTo: { type: 'meeting', id: 'm1' } }), false],
  ] as const)('%s', (_name, who, resource, allowed) => {
    expect(decide(who, 'case.read', resource).allow).toBe(allowed);
  });
  const uploadCases: [string, TPrincipal, Record<string, unknown>][] = [
    ['institution staff: into their institution’s scope', socialWorker, { allow: true, scope }],
    ['region administrator: into the region', { ...stranger, memberships: [], regionAdminOf: ['r1'] }, { allow: true, scope: { regionId: 'r1' } }],
    ['nobody else', { ...stranger, memberships: [] }, { allow: false, status: 'forbidden' }],
  ];
  it.each(uploadCases)('upload: %s', (_name, who, expected) => {
    expect(decideFileUpload(who)).toMatchObject(expected);
  });
  it('is the rule the policy applies to files', () => {
    expect(fileRule(pedagogue, 'case.read', file({ uploadedBy: 'ps' }))).toMatchObject({ reasons: [{ code: 'file_not_attached' }] });
  });
});

describe('explain', () => {
  it('answers for a role at an institution with the very decisions the runtime takes', async () => {
    const { explainCase, principalForRole } = await import('./explain');
    const { c, resource } = caseOf(consents.schoolOnly);
    const forms = { plan: { fill: ['koordynator'], read: ['czlonek'] } };
    const asPolice = principalForRole({ institution: { id: 'kpp', name: 'KPP', type: 'policja', level: 'gmina', scope }, roles: ['partner'], permissions: ['case.read'], userId: 'pol' });
    const e = explainCase(asPolice, c, resource, forms);
    expect(e.case.allow).toBe(true);
    expect(e.data).toMatchObject({ allow: false, reasons: expect.arrayContaining([expect.objectContaining({ code: 'consent_not_covered' })]) });
    expect(e.forms.plan.read).toEqual(decideFormRead(police, c, resource, 'plan', forms.plan));
    expect(e.permissions['task.update'].allow).toBe(true);
    expect(e.permissions['form.fill'].allow).toBe(false);
    // A role at an institution not on the case: not even the case number.
    const asNgo = principalForRole({ institution: { id: 'ngo', name: 'NGO', type: 'ngo', level: 'gmina', scope }, roles: ['partner'], permissions: ['case.read'] });
    expect(explainCase(asNgo, c, resource, forms).case).toMatchObject({ allow: false, status: 'not_found' });
  });
});
