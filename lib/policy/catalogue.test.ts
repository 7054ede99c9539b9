import { describe, expect, it } from 'vitest';
import type { TPermission } from '@/lib/packs/permissions';
import type { TCatalogueEntry } from '@/lib/catalogue/types';
import type { TPrincipal } from './policy';
import { decideEntryApprove, decideEntryProposeChange, decideEntryRead, decideEntryVerify, decideEntryWithdraw, decideProposeFor } from './catalogue';

/** Table-driven tests of the catalogue decisions (pure: entries and principals built in memory). */
const g1 = { regionId: 'r1', powiatId: 'p1', gminaId: 'g1' };
const g2 = { regionId: 'r1', powiatId: 'p1', gminaId: 'g2' };

function who(institutionId: string, scope: typeof g1 | { regionId: string; powiatId: string }, permissions: TPermission[]): TPrincipal {
  return {
    userId: institutionId,
    name: institutionId,
    email: `${institutionId}@x.pl`,
    platformAdmin: false,
    regionAdminOf: [],
    memberships: [{ institutionId, institutionName: institutionId, institutionType: 'x', level: 'gminaId' in scope ? 'gmina' : 'powiat', scope, roles: [], permissions }],
    teams: [],
  };
}
const approver = who('pcpr', { regionId: 'r1', powiatId: 'p1' }, ['catalogue.read', 'catalogue.approve']);
const provider = who('school', g1, ['catalogue.read', 'catalogue.propose']);
const providerReader = who('school', g1, ['catalogue.read']);
const partner = who('ngo', g1, ['catalogue.read', 'catalogue.propose']);
const neighbour = who('gops2', g2, ['catalogue.read']);
const otherRegion = who('far', { regionId: 'r9', powiatId: 'p9', gminaId: 'g9' }, ['catalogue.read', 'catalogue.approve']);

function entry(status: TCatalogueEntry['status'], over: Partial<TCatalogueEntry> = {}): TCatalogueEntry {
  return { _id: 'e1', revision: 1, createdAt: new Date(), updatedAt: new Date(), ...g1, status, providerInstitutionId: 'school', ...over } as TCatalogueEntry;
}

describe('catalogue decisions', () => {
  const cases: [string, TPrincipal, TCatalogueEntry, { read: boolean; approve: boolean; verify: boolean; withdraw: boolean; proposeChange: boolean }][] = [
    ['approver in the powiat, proposed entry', approver, entry('proposed'), { read: true, approve: true, verify: true, withdraw: true, proposeChange: true }],
    ['provider staff who may propose', provider, entry('approved'), { read: true, approve: false, verify: true, withdraw: true, proposeChange: true }],
    ['provider staff who may only read', providerReader, entry('approved'), { read: true, approve: false, verify: true, withdraw: false, proposeChange: false }],
    ['provider staff, own proposed entry', provider, entry('proposed'), { read: true, approve: false, verify: true, withdraw: true, proposeChange: true }],
    ['another partner, approved entry', partner, entry('approved'), { read: true, approve: false, verify: false, withdraw: false, proposeChange: true }],
    ['another partner, proposed entry (hidden)', partner, entry('proposed'), { read: false, approve: false, verify: false, withdraw: false, proposeChange: true }],
    ['neighbouring gmina, not served', neighbour, entry('approved'), { read: false, approve: false, verify: false, withdraw: false, proposeChange: false }],
    ['neighbouring gmina, served', neighbour, entry('approved', { servedGminaIds: ['g2'] }), { read: true, approve: false, verify: false, withdraw: false, proposeChange: false }],
    ['another region', otherRegion, entry('approved'), { read: false, approve: false, verify: false, withdraw: false, proposeChange: false }],
  ];
  it.each(cases)('%s', (_name, p, e, expected) => {
    expect({
      read: decideEntryRead(p, e).allow,
      approve: decideEntryApprove(p, e).allow,
      verify: decideEntryVerify(p, e).allow,
      withdraw: decideEntryWithdraw(p, e).allow,
      proposeChange: decideEntryProposeChange(p, e).allow,
    }).toEqual(expected);
  });

  it('hides unapproved entries as not found, with the reason for explain', () => {
    expect(decideEntryRead(partner, entry('proposed'))).toMatchObject({ allow: false, status: 'not_found', reasons: expect.arrayContaining([expect.objectContaining({ code: 'catalogue_not_approved' })]) });
  });

  it.each([
    ['own institution with catalogue.propose', provider, 'school', true, 'catalogue_own_institution'],
    ['another institution, no approval right', provider, 'ngo', false, 'missing_permission'],
    ['approver collecting the powiat list', approver, 'ngo', true, 'membership'],
  ] as const)('proposing on behalf of an institution: %s', (_name, p, institutionId, allowed, firstCode) => {
    const d = decideProposeFor(p, { type: 'institution', id: institutionId, scope: g1 });
    expect(d.allow).toBe(allowed);
    expect(d.reasons[0].code).toBe(firstCode);
  });
});
