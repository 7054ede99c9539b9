import { describe, expect, it } from 'vitest';
import { decide, decideTransition, effectivePermissions, formFillPermissions, registerPolicyHook, scopeFilter, type TPrincipal } from './policy';

const gminaA = { regionId: 'r1', powiatId: 'p1', gminaId: 'g1' };
const gminaB = { regionId: 'r1', powiatId: 'p1', gminaId: 'g2' };
const otherRegion = { regionId: 'r2', powiatId: 'p9', gminaId: 'g9' };

function principal(over: Partial<TPrincipal> = {}): TPrincipal {
  return { userId: 'u1', name: 'Anna', email: 'a@x.pl', platformAdmin: false, regionAdminOf: [], memberships: [], teams: [], ...over };
}
const gopsWorker = principal({
  memberships: [{ institutionId: 'gops', institutionName: 'GOPS', institutionType: 'gops', level: 'gmina', scope: gminaA, roles: ['animator-gminy'], permissions: ['case.create', 'case.read.all', 'catalogue.read'] }],
});
const pcprWorker = principal({
  memberships: [{ institutionId: 'pcpr', institutionName: 'PCPR', institutionType: 'pcpr', level: 'powiat', scope: { regionId: 'r1', powiatId: 'p1' }, roles: ['animator-powiatu'], permissions: ['catalogue.approve', 'catalogue.read', 'team.manage'] }],
});

describe('policy', () => {
  it('denies by default: a signed-in user without the permission gets 403', () => {
    expect(decide(gopsWorker, 'org.manage', { type: 'institution', scope: gminaA })).toMatchObject({ allow: false, status: 'forbidden' });
  });
  it('answers not_found for another tenant, even with the permission', () => {
    expect(decide(gopsWorker, 'case.read.all', { type: 'record', scope: otherRegion })).toMatchObject({ allow: false, status: 'not_found' });
    expect(decide(gopsWorker, 'case.read.all', { type: 'record', scope: gminaB })).toMatchObject({ allow: false, status: 'not_found' });
  });
  it('grants membership permissions inside the membership scope', () => {
    expect(decide(gopsWorker, 'case.read.all', { type: 'record', scope: gminaA }).allow).toBe(true);
    expect(decide(pcprWorker, 'catalogue.approve', { type: 'catalogue', scope: gminaB }).allow).toBe(true);
  });
  it('lets lower levels read shared data of the levels above, but not manage it', () => {
    const powiatList = { type: 'catalogue', scope: { regionId: 'r1', powiatId: 'p1' } };
    expect(decide(gopsWorker, 'catalogue.read', powiatList).allow).toBe(true);
    expect(decide(gopsWorker, 'case.read.all', { type: 'record', scope: { regionId: 'r1', powiatId: 'p1' } })).toMatchObject({ allow: false, status: 'forbidden' });
  });
  it('gives administrators organisation rights but never case data', () => {
    const ropsAdmin = principal({ regionAdminOf: ['r1'] });
    expect(decide(ropsAdmin, 'org.manage', { type: 'institution', scope: gminaA }).allow).toBe(true);
    expect(decide(ropsAdmin, 'case.read.all', { type: 'record', scope: gminaA })).toMatchObject({ allow: false, status: 'forbidden' });
    expect(decide(ropsAdmin, 'org.manage', { type: 'institution', scope: otherRegion })).toMatchObject({ status: 'not_found' });
  });
  it('lets institutional team members act on the team’s resources outside their own scope', () => {
    const police = principal({
      memberships: [{ institutionId: 'kpp', institutionName: 'KPP', institutionType: 'policja', level: 'powiat', scope: { regionId: 'r1', powiatId: 'p2' }, roles: ['czlonek-pzk'], permissions: ['meeting.manage'] }],
      teams: [{ teamId: 't1', kind: 'pzk', scope: gminaA, viaInstitutionIds: ['kpp'] }],
    });
    expect(decide(police, 'meeting.manage', { type: 'meeting', scope: gminaA, teamId: 't1' }).allow).toBe(true);
    expect(decide(police, 'meeting.manage', { type: 'meeting', scope: gminaA })).toMatchObject({ status: 'not_found' });
  });
  it('applies resource hooks: grants for the case team, and a deny that always wins', () => {
    registerPolicyHook('test-case', (_p, _perm, r) => ({ visible: true, grant: ['case.read'], deny: r.facts?.consentWithdrawn ? 'zgoda wycofana' : undefined }));
    const outsider = principal();
    expect(decide(outsider, 'case.read', { type: 'test-case', scope: otherRegion }).allow).toBe(true);
    expect(decide(gopsWorker, 'case.read.all', { type: 'test-case', scope: gminaA, facts: { consentWithdrawn: true } })).toMatchObject({ allow: false, status: 'forbidden', reason: 'zgoda wycofana' });
  });
  it('gives every decision its chain of reasons', () => {
    expect(decide(gopsWorker, 'case.read.all', { type: 'record', scope: gminaA })).toEqual({ allow: true, reasons: [expect.objectContaining({ code: 'membership', detail: 'GOPS: animator-gminy' })] });
    expect(decide(gopsWorker, 'org.manage', { type: 'record', scope: gminaA }).reasons.map((r) => r.code)).toEqual(['missing_permission']);
    expect(decide(gopsWorker, 'case.read.all', { type: 'record', scope: otherRegion }).reasons.map((r) => r.code)).toEqual(['out_of_scope']);
    expect(decide(null, 'case.read', { type: 'record', scope: gminaA }).reasons.map((r) => r.code)).toEqual(['unauthenticated']);
  });
  it('keeps the built-in rules (case, file, catalogue entry) from being replaced', () => {
    expect(() => registerPolicyHook('case', () => ({ visible: true, grant: ['case.read'] }))).toThrow(/built in/);
  });
  it('builds scope filters for list queries', () => {
    expect(scopeFilter(gopsWorker, 'case.read.all')).toEqual({ $or: [{ gminaId: 'g1' }] });
    expect(scopeFilter(gopsWorker, 'org.manage')).toBeNull();
    expect(scopeFilter(principal({ platformAdmin: true }), 'org.manage')).toEqual({});
    expect(effectivePermissions(pcprWorker)).toEqual(['catalogue.approve', 'catalogue.read', 'team.manage']);
  });
});

describe('decideTransition', () => {
  const worker = (permissions: TPrincipal['memberships'][number]['permissions']) =>
    principal({ memberships: [{ institutionId: 'gops', institutionName: 'GOPS', institutionType: 'gops', level: 'gmina', scope: gminaA, roles: ['animator-gminy'], permissions }] });
  const here = { type: 'implementation-test', scope: gminaA };

  it('needs both one of the event roles and case.transition', () => {
    expect(decideTransition(worker(['case.transition']), here, { roles: ['animator-gminy'] }, ['animator-gminy']).allow).toBe(true);
    expect(decideTransition(worker([]), here, { roles: ['animator-gminy'] }, ['animator-gminy'])).toMatchObject({ allow: false, status: 'forbidden', reason: 'missing permission case.transition' });
    expect(decideTransition(worker(['case.transition']), here, { roles: ['koordynator'] }, ['animator-gminy'])).toMatchObject({ allow: false, status: 'forbidden', reason: 'event_no_role' });
  });
  it('keeps a resource of another tenant hidden, whatever the roles', () => {
    expect(decideTransition(worker(['case.transition']), { type: 'implementation-test', scope: otherRegion }, { roles: ['animator-gminy'] }, ['animator-gminy'])).toMatchObject({ status: 'not_found' });
  });
  it('also needs case.team.manage for an event that changes the case team', () => {
    const event = { roles: ['animator-gminy'], changesTeam: true };
    expect(decideTransition(worker(['case.transition']), here, event, ['animator-gminy'])).toMatchObject({ allow: false, reason: 'missing permission case.team.manage' });
    expect(decideTransition(worker(['case.transition', 'case.team.manage']), here, event, ['animator-gminy']).allow).toBe(true);
  });
});

describe('formFillPermissions', () => {
  const bindings = { consent: { form: 'zgoda' }, plan: { form: 'plan', updateForms: ['plan-zmiana'] } } as unknown as Parameters<typeof formFillPermissions>[0]['bindings'];
  it('adds consent.manage to the consent form and plan.manage to the plan forms', () => {
    expect(formFillPermissions({ bindings }, 'wywiad')).toEqual(['form.fill']);
    expect(formFillPermissions({ bindings }, 'zgoda')).toEqual(['form.fill', 'consent.manage']);
    expect(formFillPermissions({ bindings }, 'plan-zmiana')).toEqual(['form.fill', 'plan.manage']);
  });
});
