/**
 * The authorisation matrix: every API route × every role × own / other tenant, with the expected answer.
 * A route file without a row here fails the test, so a new route cannot ship without a stated policy.
 * Requests go through the real route handlers with real session cookies and the real embedded store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from 'next-auth/jwt';
import { openTempDataDir } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData, ZDemo } from '@/lib/demo/seed';
import { authSecret } from '@/lib/auth/secret';
import { HTTP_METHODS } from '@/lib/http/openapi';
import type { TRouteHandler } from '@/lib/http/route';
import type { TInstitution, TOrgUnit, TTeam, TUser } from '@/lib/orgs/types';
import { saveFile } from '@/lib/files/files';
import { API_ROUTES, EXTERNAL_ROUTES } from './routes';
import { loadPrincipal } from '@/lib/auth/principal';
import { createCase } from '@/lib/cases/create-case';
import { submitForm } from '@/lib/cases/submissions';
import { openDraft } from '@/lib/studio/drafts';
import type { TPrincipal } from '@/lib/policy/policy';

type TRole = 'anonymous' | 'platform-admin' | 'region-admin' | 'pracownik-socjalny' | 'kierownik-ops' | 'partner';
type TTenant = 'own' | 'other';
/** allow = the policy let it through (2xx/3xx, or a 400/409/410 about the input); deny = 403; hidden = 404; anon = 401. */
type TOutcome = 'allow' | 'deny' | 'hidden' | 'anon';
type TExpect = TOutcome | Record<TTenant, TOutcome>;

const ROLES: TRole[] = ['anonymous', 'platform-admin', 'region-admin', 'pracownik-socjalny', 'kierownik-ops', 'partner'];
const EMAIL: Record<Exclude<TRole, 'anonymous'>, string> = {
  'platform-admin': 'admin@sample.kooperacja.test',
  'region-admin': 'rops@sample.kooperacja.test',
  'pracownik-socjalny': 'ps@sample.kooperacja.test',
  'kierownik-ops': 'kierownik@sample.kooperacja.test',
  partner: 'pedagog@sample.kooperacja.test',
};

interface TFixture {
  region: Record<TTenant, TOrgUnit>;
  powiat: Record<TTenant, TOrgUnit>;
  gmina: Record<TTenant, TOrgUnit>;
  ops: Record<TTenant, TInstitution>;
  school: Record<TTenant, TInstitution>;
  team: Record<TTenant, TTeam>;
  user: Record<TTenant, TUser>;
}

interface TCall {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;
const everyone = (o: TOutcome): Record<TRole, TExpect> => Object.fromEntries(ROLES.map((r) => [r, r === 'anonymous' ? 'anon' : o])) as Record<TRole, TExpect>;

/** Who may read a case: its team (the social worker who opened it) and staff with case.read.all in scope; others get 404. */
const CASE_READERS: Record<TRole, TExpect> = { anonymous: 'anon', 'platform-admin': 'hidden', 'region-admin': 'hidden', 'pracownik-socjalny': { own: 'allow', other: 'hidden' }, 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: 'hidden' };
/** Who may fill the referral form: readers whose role is among the form's fill roles. */
const CASE_FILLERS: Record<TRole, TExpect> = { ...CASE_READERS, 'kierownik-ops': { own: 'deny', other: 'hidden' } };

/** Studio drafts: administrators of the draft's region (and platform administrators); staff of the region 403, others 404. */
const PACK_EDITORS: Record<TRole, TExpect> = { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': { own: 'deny', other: 'hidden' }, 'kierownik-ops': { own: 'deny', other: 'hidden' }, partner: { own: 'deny', other: 'hidden' } };
const PLATFORM: TPrincipal = { userId: 'matrix-platform', name: 'Matrix', email: 'matrix@x.test', platformAdmin: true, regionAdminOf: [], memberships: [], teams: [] };
const draftIn = async (f: TFixture, t: TTenant) => (await openDraft(PLATFORM, 'sample', { regionId: f.region[t]._id })).id;

/** Per route and method: how to call it for a tenant, and what each role gets. */
const MATRIX: Record<string, Partial<Record<(typeof HTTP_METHODS)[number], { call: (f: TFixture, t: TTenant) => Promise<TCall> | TCall; expect: Record<TRole, TExpect> }>>> = {
  '/api/health': { GET: { call: () => ({}), expect: Object.fromEntries(ROLES.map((r) => [r, 'allow'])) as Record<TRole, TExpect> } },
  '/api/locale': { GET: { call: () => ({ query: { l: 'en', next: '/' } }), expect: Object.fromEntries(ROLES.map((r) => [r, 'allow'])) as Record<TRole, TExpect> } },
  '/api/openapi.json': { GET: { call: () => ({}), expect: Object.fromEntries(ROLES.map((r) => [r, 'allow'])) as Record<TRole, TExpect> } },
  '/api/me': { GET: { call: () => ({}), expect: everyone('allow') } },
  '/api/me/password': { POST: { call: () => ({ body: { currentPassword: 'not-the-password', newPassword: 'whatever-long-enough' } }), expect: everyone('allow') } },
  '/api/password/reset': { POST: { call: () => ({ body: { token: 'x'.repeat(43), newPassword: 'whatever-long-enough' } }), expect: Object.fromEntries(ROLES.map((r) => [r, 'allow'])) as Record<TRole, TExpect> } },
  '/api/org-units': {
    GET: { call: () => ({}), expect: everyone('allow') },
    POST: {
      call: (f, t) => ({ body: { kind: 'gmina', code: `gmina-${unique()}`, name: 'Gmina Nowa', parentId: f.powiat[t]._id } }),
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' },
    },
  },
  '/api/institutions': {
    GET: { call: () => ({}), expect: everyone('allow') },
    POST: {
      call: (f, t) => ({ body: { name: `Instytucja ${unique()}`, type: 'ngo', orgUnitId: f.gmina[t]._id } }),
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' },
    },
  },
  '/api/institutions/{id}': {
    PATCH: {
      call: async (f, t) => {
        const i = await (await getStore()).collection<TInstitution>('institutions').findById(f.school[t]._id);
        return { params: { id: i!._id }, body: { revision: i!.revision, phone: `+48 ${unique()}` } };
      },
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' },
    },
  },
  '/api/users': {
    GET: { call: () => ({}), expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': 'allow', 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' } },
    POST: {
      call: (f, t) => ({ body: { email: `u${unique()}@test.pl`, name: 'Nowy Użytkownik', memberships: [{ institutionId: f.ops[t]._id, roles: ['partner'] }] } }),
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' },
    },
  },
  '/api/users/{id}': {
    PATCH: {
      call: async (f, t) => {
        const u = await (await getStore()).collection<TUser>('users').findById(f.user[t]._id);
        return { params: { id: u!._id }, body: { revision: u!.revision, name: `Imię ${unique()}` } };
      },
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' },
    },
  },
  '/api/users/{id}/password-reset': {
    POST: {
      call: (f, t) => ({ params: { id: f.user[t]._id }, body: { mode: 'reset-link' } }),
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' },
    },
  },
  '/api/teams': {
    GET: { call: () => ({}), expect: everyone('allow') },
    POST: {
      call: (f, t) => ({ body: { kind: 'zespol-partnerski', name: `Zespół ${unique()}`, orgUnitId: f.gmina[t]._id } }),
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: 'deny' },
    },
  },
  '/api/teams/{id}': {
    GET: {
      call: (f, t) => ({ params: { id: f.team[t]._id } }),
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': { own: 'allow', other: 'hidden' }, 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: { own: 'allow', other: 'hidden' } },
    },
  },
  '/api/teams/{id}/members': {
    POST: {
      call: async (f, t) => {
        const team = await (await getStore()).collection<TTeam>('teams').findById(f.team[t]._id);
        const inst = await (await getStore()).collection<TInstitution>('institutions').insertOne({ name: `NGO ${unique()}`, type: 'ngo', regionId: f.region[t]._id, active: true });
        return { params: { id: team!._id }, body: { revision: team!.revision, type: 'institution', institutionId: inst._id, role: 'czlonek-zespolu' } };
      },
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: 'deny' },
    },
  },
  '/api/teams/{id}/members/{memberId}/leave': {
    POST: {
      call: async (f, t) => {
        const store = await getStore();
        const teams = store.collection<TTeam>('teams');
        const inst = await store.collection<TInstitution>('institutions').insertOne({ name: `NGO ${unique()}`, type: 'ngo', regionId: f.region[t]._id, active: true });
        const team = await teams.findById(f.team[t]._id);
        const member = { id: unique(), type: 'institution' as const, institutionId: inst._id, joinedAt: new Date() };
        const updated = await teams.updateById(team!._id, team!.revision, { $push: { members: member } });
        return { params: { id: team!._id, memberId: member.id }, body: { revision: updated.revision } };
      },
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': 'deny', 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: 'deny' },
    },
  },
  '/api/packs': { GET: { call: () => ({}), expect: everyone('allow') } },
  '/api/packs/import': { POST: { call: () => ({ query: { dryRun: 'true' }, body: { not: 'a bundle' } }), expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': 'allow', 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' } } },
  '/api/packs/{id}/drafts': { POST: { call: (f, t) => ({ params: { id: 'sample' }, body: { regionId: f.region[t]._id } }), expect: PACK_EDITORS } },
  '/api/drafts/{draftId}': {
    GET: { call: async (f, t) => ({ params: { draftId: await draftIn(f, t) } }), expect: PACK_EDITORS },
    PATCH: { call: async (f, t) => ({ params: { draftId: await draftIn(f, t) }, body: { action: 'checkpoint', revision: 1, name: 'punkt' } }), expect: PACK_EDITORS },
  },
  '/api/drafts/{draftId}/problems': { GET: { call: async (f, t) => ({ params: { draftId: await draftIn(f, t) } }), expect: PACK_EDITORS } },
  '/api/drafts/{draftId}/diff': { GET: { call: async (f, t) => ({ params: { draftId: await draftIn(f, t) } }), expect: PACK_EDITORS } },
  '/api/drafts/{draftId}/review': { POST: { call: async (f, t) => ({ params: { draftId: await draftIn(f, t) }, body: { action: 'submit', revision: 1 } }), expect: PACK_EDITORS } },
  '/api/drafts/{draftId}/publish': { POST: { call: async (f, t) => ({ params: { draftId: await draftIn(f, t) }, body: { revision: 1 } }), expect: PACK_EDITORS } },
  '/api/packs/{id}/versions/{version}': { GET: { call: () => ({ params: { id: 'sample', version: '1.0.0' } }), expect: everyone('allow') } },
  '/api/packs/{id}/versions/{version}/documents/{key}/dictionary': { GET: { call: () => ({ params: { id: 'sample', version: '1.0.0', key: 'zgoda' } }), expect: everyone('allow') } },
  '/api/packs/{id}/versions/{version}/documents/{key}/inspect': {
    POST: {
      call: () => ({ params: { id: 'sample', version: '1.0.0', key: 'zgoda' }, query: { name: 'x.docx' } }),
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': 'allow', 'pracownik-socjalny': 'deny', 'kierownik-ops': 'deny', partner: 'deny' },
    },
  },
  '/api/packs/{id}/versions/{version}/forms/{key}/validate': { POST: { call: () => ({ params: { id: 'sample', version: '1.0.0', key: 'zgloszenie' }, body: { data: {} } }), expect: everyone('allow') } },
  // Any signed-in user may upload (the JSON body is refused with 400 before anything is stored).
  '/api/files': { POST: { call: () => ({ body: {} }), expect: everyone('allow') } },
  // A file not yet attached to anything: only its uploader (the partner) reads it; other tenants get 404.
  '/api/files/{id}': {
    GET: {
      call: async (f, t) => {
        const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
        const doc = await saveFile({ name: 'skan.png', bytes: png, uploadedBy: f.user[t]._id, scope: { regionId: f.school[t].regionId, powiatId: f.school[t].powiatId, gminaId: f.school[t].gminaId } });
        return { params: { id: doc._id } };
      },
      expect: { anonymous: 'anon', 'platform-admin': 'deny', 'region-admin': { own: 'deny', other: 'hidden' }, 'pracownik-socjalny': { own: 'deny', other: 'hidden' }, 'kierownik-ops': { own: 'deny', other: 'hidden' }, partner: { own: 'allow', other: 'hidden' } },
    },
  },
  '/api/notifications': { GET: { call: () => ({ query: { unreadOnly: 'true' } }), expect: everyone('allow') } },
  '/api/notifications/read': { POST: { call: () => ({ body: { all: true } }), expect: everyone('allow') } },
  // Cases: made per call by the tenant's social worker (who lands on the case team as its coordinator).
  '/api/cases': {
    GET: { call: () => ({ query: { status: 'all' } }), expect: everyone('allow') },
    POST: {
      call: (f, t) => ({ body: { orgUnitId: f.gmina[t]._id, institutionId: f.ops[t]._id, subject: { type: 'family', name: `Rodzina ${unique()}`, members: [] } } }),
      expect: { anonymous: 'anon', 'platform-admin': 'deny', 'region-admin': 'deny', 'pracownik-socjalny': { own: 'allow', other: 'deny' }, 'kierownik-ops': 'deny', partner: 'deny' },
    },
  },
  '/api/cases/{id}': {
    GET: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id } }), expect: CASE_READERS },
  },
  '/api/cases/{id}/events': {
    // A stale revision: whoever passes the access checks gets 409 (counted as allowed), the rest 404.
    POST: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id }, body: { type: 'ODRZUC', revision: 999 } }), expect: CASE_READERS },
  },
  '/api/cases/{id}/forms/{formKey}': {
    GET: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id, formKey: 'zgloszenie' } }), expect: CASE_READERS },
  },
  '/api/cases/{id}/forms/{formKey}/draft': {
    PUT: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id, formKey: 'zgloszenie' }, body: { data: { opisSytuacji: 'Szkic' } } }), expect: CASE_FILLERS },
  },
  '/api/cases/{id}/forms/{formKey}/submissions': {
    POST: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id, formKey: 'zgloszenie' }, body: { data: {} } }), expect: CASE_FILLERS },
  },
  '/api/cases/{id}/submissions/{submissionId}': {
    GET: {
      call: async (f, t) => {
        const c = await caseFor(f, t);
        const s = await submitForm(await principalFor(t), c._id, 'zgloszenie', { data: { dataZgloszenia: '2026-11-01T00:00:00.000Z', zrodloZgloszenia: 'samozgloszenie', opisSytuacji: 'Opis', przeslanki: { p1: true } } });
        return { params: { id: c._id, submissionId: s._id } };
      },
      expect: CASE_READERS,
    },
  },
  '/api/cases/{id}/documents': {
    GET: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id } }), expect: CASE_READERS },
    // The sample pack's slot has no template: an allowed request is a 400 about the input.
    POST: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id }, body: { document: 'zgoda', format: 'docx' } }), expect: CASE_FILLERS },
  },
  '/api/cases/{id}/documents/{docId}': {
    GET: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id, docId: 'brak' } }), expect: everyone('hidden') },
  },
  '/api/cases/{id}/documents/{docId}/file': {
    GET: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id, docId: 'brak' } }), expect: everyone('hidden') },
  },
  '/api/cases/{id}/consents': {
    GET: { call: async (f, t) => ({ params: { id: (await caseFor(f, t))._id } }), expect: CASE_READERS },
  },
  '/api/cases/{id}/consents/{consentId}/withdraw': {
    POST: {
      call: async (f, t) => {
        const c = await caseFor(f, t);
        const consent = await (await getStore()).collection('consents').insertOne({ caseId: c._id, signatories: [], purpose: 'x', recipients: '', evidenceFileIds: [], validFrom: new Date(), status: 'active', recordedByUserId: 'x', regionId: c.regionId } as never);
        return { params: { id: c._id, consentId: consent._id }, body: { reason: 'Rodzina wycofała zgodę.' } };
      },
      expect: { ...CASE_READERS, 'kierownik-ops': { own: 'deny', other: 'hidden' } },
    },
  },
  '/api/tasks': { GET: { call: () => ({ query: { status: 'active' } }), expect: everyone('allow') } },
  '/api/tasks/{id}': {
    PATCH: {
      call: async (f, t) => {
        const c = await caseFor(f, t);
        const task = await (await getStore()).collection('tasks').insertOne({ caseId: c._id, caseNumber: c.number, regionId: c.regionId, gminaId: c.gminaId, source: 'flow', title: 'Zadanie', assignee: { type: 'institution', institutionId: f.ops[t]._id, label: 'OPS' }, status: 'open', history: [] } as never);
        return { params: { id: task._id }, body: { revision: 1, status: 'done' } };
      },
      // The head of OPS reads every case of the gmina but holds no task.update: updating is for assignees.
      expect: { ...CASE_READERS, 'kierownik-ops': { own: 'deny', other: 'hidden' } },
    },
  },
  '/api/test/clock': { POST: { call: () => ({ body: { advance: 'P1D' } }), expect: Object.fromEntries(ROLES.map((r) => [r, 'hidden'])) as Record<TRole, TExpect> } },
  '/api/audit': {
    GET: { call: () => ({}), expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': 'allow', 'pracownik-socjalny': 'deny', 'kierownik-ops': 'allow', partner: 'deny' } },
  },
  // Service catalogue (lib/catalogue). Entries are made per call in the tenant's gmina, provided by its school.
  '/api/catalogue': { GET: { call: () => ({ query: { q: 'usługa' } }), expect: everyone('allow') } },
  '/api/catalogue/{id}': {
    GET: {
      call: async (f, t) => ({ params: { id: (await catalogueEntryFor(f, t, 'approved'))._id } }),
      expect: { anonymous: 'anon', 'platform-admin': 'allow', 'region-admin': { own: 'allow', other: 'hidden' }, 'pracownik-socjalny': { own: 'allow', other: 'hidden' }, 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: { own: 'allow', other: 'hidden' } },
    },
    PATCH: {
      call: async (f, t) => {
        const e = await catalogueEntryFor(f, t, 'proposed');
        return { params: { id: e._id }, body: { revision: e.revision, changes: { hours: `pn. ${unique()}` } } };
      },
      expect: { anonymous: 'anon', 'platform-admin': 'deny', 'region-admin': { own: 'deny', other: 'hidden' }, 'pracownik-socjalny': { own: 'deny', other: 'hidden' }, 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: { own: 'deny', other: 'hidden' } },
    },
  },
  '/api/catalogue/{id}/actions': {
    POST: {
      call: async (f, t) => {
        const e = await catalogueEntryFor(f, t, 'proposed');
        return { params: { id: e._id }, body: { action: 'approve', revision: e.revision } };
      },
      // A proposed entry exists only for approvers in scope and the provider's staff.
      expect: { anonymous: 'anon', 'platform-admin': 'hidden', 'region-admin': 'hidden', 'pracownik-socjalny': 'hidden', 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: { own: 'deny', other: 'hidden' } },
    },
  },
  '/api/catalogue/{id}/change-proposals': {
    POST: {
      call: async (f, t) => ({ params: { id: (await catalogueEntryFor(f, t, 'approved'))._id }, body: { changes: { conditions: `Zapisy ${unique()}` } } }),
      expect: { anonymous: 'anon', 'platform-admin': 'deny', 'region-admin': { own: 'deny', other: 'hidden' }, 'pracownik-socjalny': { own: 'deny', other: 'hidden' }, 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: { own: 'allow', other: 'hidden' } },
    },
  },
  '/api/catalogue/change-proposals/{id}/decision': {
    POST: {
      call: async (f, t) => {
        const e = await catalogueEntryFor(f, t, 'approved');
        const p = await (await getStore()).collection('catalogueChangeProposals').insertOne({
          entryId: e._id, regionId: e.regionId, powiatId: e.powiatId, gminaId: e.gminaId, entryRevision: e.revision, changes: { hours: 'wt.' }, status: 'pending', proposedBy: { name: 'Test' }, proposedAt: new Date(),
        } as never);
        return { params: { id: p._id }, body: { decision: 'accept' } };
      },
      expect: { anonymous: 'anon', 'platform-admin': 'deny', 'region-admin': { own: 'deny', other: 'hidden' }, 'pracownik-socjalny': { own: 'deny', other: 'hidden' }, 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: { own: 'deny', other: 'hidden' } },
    },
  },
  '/api/catalogue/queue': {
    GET: { call: () => ({}), expect: { anonymous: 'anon', 'platform-admin': 'deny', 'region-admin': 'deny', 'pracownik-socjalny': 'deny', 'kierownik-ops': 'allow', partner: 'deny' } },
  },
  '/api/catalogue/export': { GET: { call: () => ({ query: { format: 'csv' } }), expect: everyone('allow') } },
  '/api/catalogue/cards': {
    POST: {
      call: (f, t) => ({ body: { institutionId: f.school[t]._id, data: { uslugi: [{ nazwa: `Usługa ${unique()}` }] } } }),
      expect: { anonymous: 'anon', 'platform-admin': 'deny', 'region-admin': { own: 'deny', other: 'hidden' }, 'pracownik-socjalny': { own: 'deny', other: 'hidden' }, 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: { own: 'allow', other: 'hidden' } },
    },
  },
  '/api/catalogue/card-form': { GET: { call: () => ({}), expect: everyone('allow') } },
  '/api/catalogue/imports': {
    POST: {
      call: (f, t) => ({ body: { institutionId: f.school[t]._id, fileName: 'lista.csv', contentBase64: Buffer.from(`Nazwa usługi\nUsługa ${unique()}\n`).toString('base64') } }),
      expect: { anonymous: 'anon', 'platform-admin': 'deny', 'region-admin': { own: 'deny', other: 'hidden' }, 'pracownik-socjalny': { own: 'deny', other: 'hidden' }, 'kierownik-ops': { own: 'allow', other: 'hidden' }, partner: { own: 'allow', other: 'hidden' } },
    },
  },
  '/api/catalogue/imports/{id}/confirm': {
    POST: {
      // The import belongs to the tenant's partner: only that user may confirm it; for everyone else it does not exist.
      call: async (f, t) => {
        const imp = await (await getStore()).collection('catalogueImports').insertOne({
          regionId: f.school[t].regionId, powiatId: f.school[t].powiatId, gminaId: f.school[t].gminaId, institutionId: f.school[t]._id, fileName: 'lista.csv',
          rows: [{ row: 2, fields: { name: `Usługa ${unique()}`, recipientGroups: [], eService: false, source: 'member', servedGminaIds: [] }, errors: [] }], status: 'validated', createdBy: { userId: f.user[t]._id, name: 'Partner' }, entryIds: [],
        } as never);
        return { params: { id: imp._id }, body: { mode: 'all' } };
      },
      expect: { anonymous: 'anon', 'platform-admin': 'hidden', 'region-admin': 'hidden', 'pracownik-socjalny': 'hidden', 'kierownik-ops': 'hidden', partner: { own: 'allow', other: 'hidden' } },
    },
  },
  '/api/catalogue/public/{gminaCode}': { GET: { call: (f, t) => ({ params: { gminaCode: f.gmina[t].code } }), expect: Object.fromEntries(ROLES.map((r) => [r, 'allow'])) as Record<TRole, TExpect> } },
};

/** A catalogue entry in the tenant's gmina, provided by its school, in the given status. */
async function catalogueEntryFor(f: TFixture, t: TTenant, status: 'proposed' | 'approved') {
  const s = f.school[t];
  return (await getStore()).collection<{ _id: string; revision: number; createdAt: Date; updatedAt: Date; regionId: string; powiatId?: string; gminaId?: string }>('catalogueEntries').insertOne({
    name: `Usługa ${unique()}`, regionId: s.regionId, powiatId: s.powiatId, gminaId: s.gminaId, level: 'gmina', providerInstitutionId: s._id, providerName: s.name,
    recipientGroups: [], eService: false, source: 'member', servedGminaIds: [], status, history: [], reviewCycle: status === 'approved' ? 1 : 0, overdue: false,
  } as never);
}


async function principalFor(t: TTenant) {
  const u = await (await getStore()).collection<TUser>('users').findOne({ email: `ps@${t === 'own' ? 'sample' : 'other'}.kooperacja.test` });
  return (await loadPrincipal(u!._id))!;
}

async function caseFor(f: TFixture, t: TTenant) {
  return createCase(await principalFor(t), { orgUnitId: f.gmina[t]._id, institutionId: f.ops[t]._id, subject: { type: 'family', name: `Rodzina ${unique()}`, members: [] } });
}

function routeFilesOnDisk(): string[] {
  const root = path.join(process.cwd(), 'app', 'api');
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === 'route.ts') out.push('/api/' + path.relative(root, dir).split(path.sep).join('/').replace(/\[\.\.\.(\w+)\]/g, '{$1}').replace(/\[(\w+)\]/g, '{$1}'));
    }
  };
  walk(root);
  return out.sort();
}

const outcomeOf = (status: number): TOutcome => (status === 401 ? 'anon' : status === 403 ? 'deny' : status === 404 ? 'hidden' : 'allow');

let cleanup: () => Promise<void>;
let fx: TFixture;
const cookies: Partial<Record<TRole, string>> = {};

beforeAll(async () => {
  cleanup = openTempDataDir();
  await bootPacks();
  const [sample] = readDemoFiles().filter((d) => d.packId === 'sample');
  // The other tenant: the same demo region under other codes and e-mails.
  const other = ZDemo.parse(JSON.parse(JSON.stringify(sample.demo).replace(/"code":"([a-z0-9-]+)"/g, '"code":"$1-b"').replace(/"(unit|institution)":"([a-z0-9-]+)"/g, '"$1":"$2-b"').replace(/@sample\./g, '@other.')));
  other.users = other.users.filter((u) => !u.platformAdmin);
  other.cases = [];
  await seedDemoData([sample, { ...sample, file: 'other', demo: other }]);
  const store = await getStore();
  const unit = (code: string) => store.collection<TOrgUnit>('orgUnits').findOne({ code }) as Promise<TOrgUnit>;
  const inst = (code: string) => store.collection<TInstitution>('institutions').findOne({ code }) as Promise<TInstitution>;
  const both = async <T,>(get: (suffix: string) => Promise<T>): Promise<Record<TTenant, T>> => ({ own: await get(''), other: await get('-b') });
  const region = await both((s) => unit(`probne${s}`));
  fx = {
    region,
    powiat: await both((s) => unit(`powiat-przykladowy${s}`)),
    gmina: await both((s) => unit(`gmina-zielona${s}`)),
    ops: await both((s) => inst(`ops-zielona${s}`)),
    school: await both((s) => inst(`szkola-zielona${s}`)),
    team: await both(async (s) => (await store.collection<TTeam>('teams').findOne({ regionId: region[s ? 'other' : 'own']._id }))!),
    user: await both(async (s) => (await store.collection<TUser>('users').findOne({ email: `pedagog@${s ? 'other' : 'sample'}.kooperacja.test` }))!),
  };
  for (const role of ROLES.filter((r): r is Exclude<TRole, 'anonymous'> => r !== 'anonymous')) {
    const user = await store.collection<TUser>('users').findOne({ email: EMAIL[role] });
    cookies[role] = `next-auth.session-token=${await encode({ token: { uid: user!._id, sub: user!._id }, secret: authSecret() })}`;
  }
});
afterAll(async () => cleanup());

describe('authorisation matrix', () => {
  it('has a row for every API route file and method, and every route declares its access', async () => {
    const documented = Object.keys(API_ROUTES).sort();
    expect(routeFilesOnDisk()).toEqual([...documented, ...EXTERNAL_ROUTES].sort());
    for (const [p, load] of Object.entries(API_ROUTES)) {
      const mod = (await load()) as unknown as Partial<Record<string, TRouteHandler>>;
      const methods = HTTP_METHODS.filter((m) => mod[m]);
      expect(methods.length, p).toBeGreaterThan(0);
      for (const m of methods) {
        expect(mod[m]!.spec?.access, `${m} ${p} has no access rule`).toBeDefined();
        expect(MATRIX[p]?.[m], `${m} ${p} is missing from the authorisation matrix`).toBeDefined();
      }
    }
  });

  for (const [p, methods] of Object.entries(MATRIX)) {
    for (const [method, row] of Object.entries(methods)) {
      it(`${method} ${p}`, async () => {
        const mod = (await API_ROUTES[p as keyof typeof API_ROUTES]()) as unknown as Partial<Record<string, TRouteHandler>>;
        const handler = mod[method]!;
        const results: string[] = [];
        for (const role of ROLES) {
          for (const tenant of ['own', 'other'] as const) {
            const exp = row!.expect[role];
            const expected = typeof exp === 'string' ? exp : exp[tenant];
            const c = await row!.call(fx, tenant);
            const url = new URL(`http://localhost:3000${p.replace(/\{(\w+)\}/g, (_, k: string) => c.params?.[k] ?? k)}`);
            for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.set(k, v);
            const req = new Request(url, {
              method,
              headers: { origin: 'http://localhost:3000', ...(cookies[role] ? { cookie: cookies[role]! } : {}), ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}) },
              body: c.body !== undefined ? JSON.stringify(c.body) : undefined,
            });
            const res = await handler(req, { params: Promise.resolve(c.params ?? {}) });
            const got = outcomeOf(res.status);
            if (got !== expected) results.push(`${role}/${tenant}: expected ${expected}, got ${got} (${res.status} ${await res.text()})`);
          }
        }
        expect(results).toEqual([]);
      });
    }
  }

  it('lists never leak another tenant’s organisation data', async () => {
    for (const [p, field] of [['/api/org-units', 'items'], ['/api/institutions', 'items'], ['/api/teams', 'items'], ['/api/users', 'items']] as const) {
      const mod = (await API_ROUTES[p]()) as unknown as Partial<Record<string, TRouteHandler>>;
      for (const role of ['region-admin', 'kierownik-ops', 'pracownik-socjalny'] as const) {
        const res = await mod.GET!(new Request(`http://localhost:3000${p}`, { headers: { cookie: cookies[role]! } }), { params: Promise.resolve({}) });
        if (res.status !== 200) continue;
        const items = ((await res.json()) as Record<string, { regionId?: string; _id: string; memberships?: unknown[] }[]>)[field];
        const leaked = items.filter((i) => i.regionId === fx.region.other._id || i._id === fx.region.other._id);
        expect(leaked, `${role} ${p}`).toEqual([]);
      }
    }
  });
});
