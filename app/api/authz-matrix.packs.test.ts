/**
 * The generated authorisation matrix of the three model packs: every API route (the route list in
 * app/api/routes.ts, which must cover every route file) × every demo account of the wiejski,
 * miejsko-wiejski and miejski-3d demo regions × its own region / another pack's region, plus anonymous.
 *
 * The expected answer of a cell is NOT asked from lib/policy: it comes from a small declarative rule per
 * route (which permission on which resource, or which case-team relation) evaluated by the model below
 * against the pack's role grants (configs/<pack>/pack.json) and the demo data (configs/<pack>/demo.json,
 * as seeded). The model is the policy as the README states it:
 * - a resource outside every scope of the principal (and not of a team it belongs to) is 404;
 * - a membership grants its roles' permissions inside its scope (institution/gmina ⊂ powiat ⊂ region,
 *   widened by the role's `scope`), and catalogue/indicator reads also on the levels above it;
 * - region administrators hold the administrative permissions in their region, never case data;
 * - a family case exists only for its case team (people; institutions for their staff with a
 *   case-reading role) and staff with `case.read.all` in scope; team members add their member role's
 *   permissions; forms add their fill/read roles; private submissions stay in the authoring institution.
 * Requests go through the real route handlers (real session cookies, the real embedded store seeded once).
 * Every 404 for an existing resource (another region's, or a case one is not on) must be byte-identical
 * (status and problem body, the id aside) to the 404 for an id that does not exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encode } from 'next-auth/jwt';
import { openTempDataDir, setTestEnv } from '@/lib/testing/temp-app';
import { getStore } from '@/lib/store';
import { bootPacks } from '@/lib/packs/boot';
import { readDemoFiles, seedDemoData } from '@/lib/demo/seed';
import { authSecret } from '@/lib/auth/secret';
import { HTTP_METHODS } from '@/lib/http/openapi';
import type { TRouteHandler } from '@/lib/http/route';
import type { TInstitution, TOrgUnit, TScope, TTeam, TUser } from '@/lib/orgs/types';
import type { TCase, TSubmission } from '@/lib/cases/types';
import { attachFile, saveFile } from '@/lib/files/files';
import { API_ROUTES, EXTERNAL_ROUTES } from './routes';

type TMethod = (typeof HTTP_METHODS)[number];
/** allow = the policy let the request through (2xx/3xx, or a 400/409/410 about the input or state). */
type TOutcome = 'allow' | 'unauthenticated' | 'forbidden' | 'hidden';

const PACKS = ['wiejski', 'miejsko-wiejski', 'miejski-3d'] as const;
type TPackId = (typeof PACKS)[number];
const ORIGIN = 'http://localhost:3000';

// ---------------------------------------------------------------------------------------------------
// The pack side of the model: roles and their grants, read from the pack manifests themselves.

interface TPackManifest {
  roles: Record<string, { scope?: 'institution' | 'gmina' | 'powiat' | 'region'; permissions: string[] }>;
  teamKinds: Record<string, { scope: string; memberRoles?: Record<string, { permissions: string[] }> }>;
  flows: Record<string, { teamKind?: string; events?: Record<string, unknown> }>;
  forms: Record<string, { fill: string[]; read: string[]; visibility?: 'shared' | 'private' }>;
}
const MANIFEST = Object.fromEntries(PACKS.map((p) => [p, JSON.parse(fs.readFileSync(path.join(process.cwd(), 'configs', p, 'pack.json'), 'utf8')) as TPackManifest])) as Record<TPackId, TPackManifest>;

/** What region administrators may do (README "Decisions": organisation, teams, packs; never case data). */
const ADMIN_PERMISSIONS = ['org.manage', 'team.manage', 'pack.manage', 'audit.read', 'indicator.read', 'catalogue.read'];
/** Shared institutional data readable from the levels below (a GOPS reads the powiat's catalogue). */
const UPWARD_READABLE = ['catalogue.read', 'indicator.read'];

interface TGrant {
  institutionId: string;
  roles: string[];
  permissions: Set<string>;
  scope: TScope;
}

interface TActor {
  email: string;
  label: string;
  pack: TPackId;
  userId: string;
  regionId: string;
  regionAdminOf: string[];
  platformAdmin: boolean;
  grants: TGrant[];
  cookie: string;
}

const contains = (outer: TScope, inner: TScope) =>
  outer.regionId === inner.regionId && (outer.gminaId ? inner.gminaId === outer.gminaId : outer.powiatId ? inner.powiatId === outer.powiatId : true);
const scopeOf = (x: { regionId: string; powiatId?: string; gminaId?: string }): TScope => ({ regionId: x.regionId, ...(x.powiatId ? { powiatId: x.powiatId } : {}), ...(x.gminaId ? { gminaId: x.gminaId } : {}) });
/** An organisation unit is its own place: a gmina's scope names the gmina itself. */
const unitScope = (u: TOrgUnit): TScope =>
  u.kind === 'region' ? { regionId: u._id } : u.kind === 'powiat' ? { regionId: u.regionId, powiatId: u._id } : { regionId: u.regionId, ...(u.powiatId ? { powiatId: u.powiatId } : {}), gminaId: u._id };

function holdsAnywhere(a: TActor, p: string): boolean {
  return ((a.platformAdmin || a.regionAdminOf.length > 0) && ADMIN_PERMISSIONS.includes(p)) || a.grants.some((g) => g.permissions.has(p));
}

/** The scope rule of the policy for organisation, team and catalogue resources. */
function onScope(a: TActor, p: string, scope: TScope, opts: { teamId?: string; team?: TTeam; extraRead?: boolean } = {}): TOutcome {
  const admin = a.platformAdmin || a.regionAdminOf.includes(scope.regionId);
  const inside = a.grants.filter((g) => contains(g.scope, scope));
  const above = a.grants.filter((g) => !inside.includes(g) && contains(scope, g.scope));
  const inTeam = !!opts.team && opts.team.members.some((m) => !m.leftAt && (m.type === 'person' ? m.userId === a.userId : a.grants.some((g) => g.institutionId === m.institutionId)));
  if (!(admin || inside.length || above.length || inTeam || opts.extraRead)) return 'hidden';
  const granted =
    (admin && ADMIN_PERMISSIONS.includes(p)) ||
    inside.some((g) => g.permissions.has(p)) ||
    (UPWARD_READABLE.includes(p) && above.some((g) => g.permissions.has(p))) ||
    (inTeam && a.grants.some((g) => g.permissions.has(p))) ||
    !!opts.extraRead;
  return granted ? 'allow' : 'forbidden';
}

// ---------------------------------------------------------------------------------------------------
// The case side of the model: case team rows, roles on the case, forms.

function teamRows(a: TActor, c: TCase) {
  const readers = new Set(a.grants.filter((g) => g.permissions.has('case.read') || g.permissions.has('case.read.all')).map((g) => g.institutionId));
  return c.team.filter((t) => !t.leftAt && (t.type === 'person' ? t.userId === a.userId : readers.has(t.institutionId)));
}
function caseVisible(a: TActor, c: TCase): boolean {
  return teamRows(a, c).length > 0 || a.grants.some((g) => g.permissions.has('case.read.all') && contains(g.scope, scopeOf(c)));
}
function memberRolePermissions(c: TCase): Record<string, string[]> {
  const m = MANIFEST[c.packId as TPackId];
  const kind = m.flows[c.flowKey]?.teamKind;
  return Object.fromEntries(Object.entries((kind && m.teamKinds[kind]?.memberRoles) || {}).map(([k, v]) => [k, v.permissions]));
}
/** A permission on an open case with an active consent (the fixtures pick such a case: no locks apply). */
function onCase(a: TActor, c: TCase, p: string): boolean {
  if (!caseVisible(a, c)) return false;
  if (p === 'case.read') return true;
  const mrp = memberRolePermissions(c);
  return a.grants.some((g) => contains(g.scope, scopeOf(c)) && g.permissions.has(p)) || teamRows(a, c).some((r) => (mrp[r.role] ?? []).includes(p));
}
function rolesOnCase(a: TActor, c: TCase): string[] {
  const rows = teamRows(a, c);
  const onTeam = new Set(rows.map((r) => r.institutionId));
  const staff = a.grants.filter((g) => contains(g.scope, scopeOf(c)) || onTeam.has(g.institutionId)).flatMap((g) => g.roles);
  return [...staff, ...rows.map((r) => r.role)];
}
const formOf = (c: TCase, key: string) => MANIFEST[c.packId as TPackId].forms[key];
const canReadForm = (a: TActor, c: TCase, key: string) => [...formOf(c, key).fill, ...formOf(c, key).read].some((r) => rolesOnCase(a, c).includes(r));
const canFillForm = (a: TActor, c: TCase, key: string) => formOf(c, key).fill.some((r) => rolesOnCase(a, c).includes(r));

/** Chains of checks: the first failing one answers. */
function first(...steps: [boolean, TOutcome][]): TOutcome {
  for (const [ok, otherwise] of steps) if (!ok) return otherwise;
  return 'allow';
}

// ---------------------------------------------------------------------------------------------------
// Per region: the resources each route addresses (seeded demo data, plus a few records made here).

interface TTarget {
  pack: TPackId;
  region: TOrgUnit;
  powiat: TOrgUnit;
  gmina: TOrgUnit;
  /** The OPS/GOPS that opened the demo case (in the case's gmina). */
  inst: TInstitution;
  /** A staff account made for the matrix (so changing it disturbs no actor). */
  user: TUser;
  team: TTeam;
  case: TCase;
  formKey: string;
  submission: TSubmission;
  consentId: string;
  taskId: string;
  taskAssignee: string;
  fileId: string;
  entry: { _id: string; regionId: string; powiatId?: string; gminaId?: string; servedGminaIds?: string[]; providerInstitutionId: string };
  proposalId: string;
  importId: string;
  importCreator: string;
}

interface TCall {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

interface TRow {
  /** Anonymous: 'unauthenticated' unless stated. */
  anonymous?: TOutcome;
  call: (t: TTarget, a: TActor | null) => TCall | Promise<TCall>;
  expect: (a: TActor, t: TTarget) => TOutcome;
  /** The path parameter naming the addressed resource: each of its 404s is compared with a missing id. */
  idParam?: string | ((a: TActor, t: TTarget) => string);
}

let seq = 0;
const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}`;
const STALE = 999_999;
const everyone: TRow['expect'] = () => 'allow';
const holds = (p: string): TRow['expect'] => (a) => (holdsAnywhere(a, p) ? 'allow' : 'forbidden');
/** A route gated on holding `p` somewhere, then the policy on the resource. */
const gatedOn = (p: string, scope: (t: TTarget) => TScope, team?: (t: TTarget) => TTeam): TRow['expect'] => (a, t) =>
  holdsAnywhere(a, p) ? onScope(a, p, scope(t), team ? { team: team(t) } : {}) : 'forbidden';
/** The institution an account acts for in its own region (the first one whose roles open cases, else the first). */
const actingInstitution = (a: TActor, p: string) => (a.grants.find((g) => g.permissions.has(p)) ?? a.grants[0])?.institutionId;
/** Catalogue reads also reach the gminas a neighbourhood service serves. */
const entryRead = (a: TActor, t: TTarget) =>
  onScope(a, 'catalogue.read', scopeOf(t.entry), { extraRead: a.grants.some((g) => g.permissions.has('catalogue.read') && !!g.scope.gminaId && (t.entry.servedGminaIds ?? []).includes(g.scope.gminaId)) });
const entryApprove = (a: TActor, t: TTarget) => onScope(a, 'catalogue.approve', scopeOf(t.entry));
const providerMember = (a: TActor, t: TTarget) => a.grants.some((g) => g.institutionId === t.entry.providerInstitutionId);

/**
 * Routes of the studio and of documents, added after this matrix was generated: their access is checked
 * by the sample-pack matrix (app/api/authz-matrix.test.ts, which also fails for a route without a row) and
 * their own integration tests; rows here are the next step (see the issue 14 closing note).
 */
const SAMPLE_MATRIX_ONLY = [
  '/api/packs/import', '/api/packs/{id}/drafts', '/api/drafts/{draftId}', '/api/drafts/{draftId}/problems', '/api/drafts/{draftId}/diff',
  '/api/drafts/{draftId}/review', '/api/drafts/{draftId}/publish', '/api/packs/{id}/versions/{version}/documents/{key}/dictionary',
  '/api/packs/{id}/versions/{version}/documents/{key}/inspect', '/api/cases/{id}/documents', '/api/cases/{id}/documents/{docId}', '/api/cases/{id}/documents/{docId}/file',
];

const ROUTES: Record<string, Partial<Record<TMethod, TRow>>> = {
  '/api/health': { GET: { anonymous: 'allow', call: () => ({}), expect: everyone } },
  '/api/locale': { GET: { anonymous: 'allow', call: () => ({ query: { l: 'pl', next: '/' } }), expect: everyone } },
  '/api/openapi.json': { GET: { anonymous: 'allow', call: () => ({}), expect: everyone } },
  '/api/me': { GET: { call: () => ({}), expect: everyone } },
  // Acts only on the caller's own account: an empty current password is refused (400) after the sign-in
  // check and before any password hashing, which would cost ~0.2 s per cell.
  '/api/me/password': { POST: { call: () => ({ body: { currentPassword: '', newPassword: 'whatever-long-enough-2026' } }), expect: everyone } },
  '/api/password/reset': { POST: { anonymous: 'allow', call: () => ({ body: { token: 'x'.repeat(43), newPassword: 'whatever-long-enough-2026' } }), expect: everyone } },
  '/api/org-units': {
    GET: { call: () => ({}), expect: everyone },
    POST: { call: (t) => ({ body: { kind: 'gmina', code: `gmina-${unique()}`, name: 'Gmina Macierzowa', parentId: t.powiat._id } }), expect: gatedOn('org.manage', (t) => unitScope(t.powiat)) },
  },
  '/api/institutions': {
    GET: { call: () => ({}), expect: everyone },
    POST: { call: (t) => ({ body: { name: `Instytucja ${unique()}`, type: t.inst.type, orgUnitId: t.gmina._id } }), expect: gatedOn('org.manage', (t) => unitScope(t.gmina)) },
  },
  '/api/institutions/{id}': {
    PATCH: {
      idParam: 'id',
      call: async (t) => {
        const i = await (await getStore()).collection<TInstitution>('institutions').findById(t.inst._id);
        return { params: { id: i!._id }, body: { revision: i!.revision, phone: `+48 ${unique()}` } };
      },
      expect: gatedOn('org.manage', (t) => scopeOf(t.inst)),
    },
  },
  '/api/users': {
    GET: { call: () => ({}), expect: holds('org.manage') },
    POST: {
      call: (t) => ({ body: { email: `u${unique()}@matrix.test`, name: 'Nowe Konto', memberships: [{ institutionId: t.inst._id, roles: [t.user.memberships[0].roles[0]] }] } }),
      expect: gatedOn('org.manage', (t) => scopeOf(t.inst)),
    },
  },
  '/api/users/{id}': {
    PATCH: {
      idParam: 'id',
      call: async (t) => {
        const u = await (await getStore()).collection<TUser>('users').findById(t.user._id);
        return { params: { id: u!._id }, body: { revision: u!.revision, name: `Konto ${unique()}` } };
      },
      expect: gatedOn('org.manage', (t) => scopeOf(t.inst)),
    },
  },
  '/api/users/{id}/password-reset': {
    POST: { idParam: 'id', call: (t) => ({ params: { id: t.user._id }, body: { mode: 'reset-link' } }), expect: gatedOn('org.manage', (t) => scopeOf(t.inst)) },
  },
  '/api/teams': {
    GET: { call: () => ({}), expect: everyone },
    POST: { call: (t) => ({ body: { kind: t.team.kind, name: `Zespół ${unique()}`, orgUnitId: t.gmina._id } }), expect: gatedOn('team.manage', (t) => unitScope(t.gmina)) },
  },
  // Team composition is institutional data every partner in scope may see (visibility only).
  '/api/teams/{id}': {
    GET: { idParam: 'id', call: (t) => ({ params: { id: t.team._id } }), expect: (a, t) => (onScope(a, '-', scopeOf(t.team), { team: t.team }) === 'hidden' ? 'hidden' : 'allow') },
  },
  // Stale revisions: whoever passes the access checks gets 409 and nothing changes.
  '/api/teams/{id}/members': {
    POST: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.team._id }, body: { revision: STALE, type: 'institution', institutionId: t.inst._id } }),
      expect: gatedOn('team.manage', (t) => scopeOf(t.team), (t) => t.team),
    },
  },
  '/api/teams/{id}/members/{memberId}/leave': {
    POST: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.team._id, memberId: t.team.members[0].id }, body: { revision: STALE } }),
      expect: gatedOn('team.manage', (t) => scopeOf(t.team), (t) => t.team),
    },
  },
  '/api/audit': { GET: { call: () => ({}), expect: holds('audit.read') } },
  '/api/packs': { GET: { call: () => ({}), expect: everyone } },
  '/api/packs/{id}/versions/{version}': { GET: { call: (t) => ({ params: { id: t.case.packId, version: t.case.packVersion } }), expect: everyone } },
  '/api/packs/{id}/versions/{version}/forms/{key}/validate': {
    POST: { call: (t) => ({ params: { id: t.case.packId, version: t.case.packVersion, key: t.formKey }, body: { data: {} } }), expect: everyone },
  },
  // A JSON body is refused (400) before anything is stored: any signed-in user may upload.
  '/api/files': { POST: { call: () => ({ body: {} }), expect: everyone } },
  // A scan attached to the demo case: exactly the case's readers download it.
  '/api/files/{id}': { GET: { idParam: 'id', call: (t) => ({ params: { id: t.fileId } }), expect: (a, t) => (caseVisible(a, t.case) ? 'allow' : 'hidden') } },
  '/api/notifications': { GET: { call: () => ({ query: { unreadOnly: 'true' } }), expect: everyone } },
  '/api/notifications/read': { POST: { call: () => ({ body: { all: true } }), expect: everyone } },
  '/api/catalogue': { GET: { call: () => ({ query: { q: 'usługa' } }), expect: holds('catalogue.read') } },
  '/api/catalogue/{id}': {
    GET: { idParam: 'id', call: (t) => ({ params: { id: t.entry._id } }), expect: entryRead },
    PATCH: { idParam: 'id', call: (t) => ({ params: { id: t.entry._id }, body: { revision: STALE, changes: { hours: 'pn.–pt. 8–16' } } }), expect: entryApprove },
  },
  '/api/catalogue/{id}/actions': {
    POST: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.entry._id }, body: { action: 'verify', revision: STALE } }),
      expect: (a, t) => {
        const read = entryRead(a, t);
        // "Verify": the providing institution's staff or an approver in scope.
        return read !== 'allow' ? read : entryApprove(a, t) === 'allow' || providerMember(a, t) ? 'allow' : 'forbidden';
      },
    },
  },
  '/api/catalogue/{id}/change-proposals': {
    POST: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.entry._id }, body: { changes: { conditions: `Zapisy ${unique()}` } } }),
      expect: (a, t) => {
        const read = entryRead(a, t);
        return read !== 'allow' ? read : entryApprove(a, t) === 'allow' || onScope(a, 'catalogue.propose', scopeOf(t.entry)) === 'allow' ? 'allow' : 'forbidden';
      },
    },
  },
  // One pending proposal per region: the first approver accepts it, later ones get 409 (allowed too).
  '/api/catalogue/change-proposals/{id}/decision': {
    POST: { idParam: 'id', call: (t) => ({ params: { id: t.proposalId }, body: { decision: 'reject', note: 'Macierz uprawnień.' } }), expect: entryApprove },
  },
  '/api/catalogue/queue': { GET: { call: () => ({}), expect: holds('catalogue.approve') } },
  '/api/catalogue/export': { GET: { call: () => ({ query: { format: 'csv' } }), expect: holds('catalogue.read') } },
  '/api/catalogue/card-form': { GET: { call: () => ({}), expect: everyone } },
  // Proposing for the OPS: its own staff with catalogue.propose there, or approvers in scope.
  '/api/catalogue/cards': {
    POST: {
      call: (t) => ({ body: { institutionId: t.inst._id, data: { uslugi: [{ nazwa: `Usługa ${unique()}` }] } } }),
      expect: (a, t) =>
        a.grants.some((g) => g.institutionId === t.inst._id) && onScope(a, 'catalogue.propose', scopeOf(t.inst)) === 'allow' ? 'allow' : onScope(a, 'catalogue.approve', scopeOf(t.inst)),
    },
  },
  '/api/catalogue/imports': {
    POST: {
      call: (t) => ({ body: { institutionId: t.inst._id, fileName: 'lista.csv', contentBase64: Buffer.from(`Nazwa usługi\nUsługa ${unique()}\n`).toString('base64') } }),
      expect: (a, t) =>
        a.grants.some((g) => g.institutionId === t.inst._id) && onScope(a, 'catalogue.propose', scopeOf(t.inst)) === 'allow' ? 'allow' : onScope(a, 'catalogue.approve', scopeOf(t.inst)),
    },
  },
  // An import exists only for the account that uploaded it.
  '/api/catalogue/imports/{id}/confirm': { POST: { idParam: 'id', call: (t) => ({ params: { id: t.importId }, body: { mode: 'all' } }), expect: (a, t) => (a.userId === t.importCreator ? 'allow' : 'hidden') } },
  '/api/catalogue/public/{gminaCode}': { GET: { anonymous: 'allow', call: (t) => ({ params: { gminaCode: t.gmina.code } }), expect: everyone } },
  '/api/cases': {
    GET: { call: () => ({ query: { status: 'all' } }), expect: everyone },
    // Opening a case in the region's gmina, acting for one's own institution.
    POST: {
      call: (t, a) => ({ body: { orgUnitId: t.gmina._id, institutionId: (a && actingInstitution(a, 'case.create')) ?? t.inst._id, subject: { type: 'family', name: `Rodzina ${unique()}`, members: [] } } }),
      expect: (a, t) => {
        const inst = actingInstitution(a, 'case.create');
        if (!a.grants.some((g) => g.institutionId === inst && g.permissions.has('case.create'))) return 'forbidden';
        return onScope(a, 'case.create', unitScope(t.gmina));
      },
    },
  },
  '/api/cases/{id}': { GET: { idParam: 'id', call: (t) => ({ params: { id: t.case._id } }), expect: (a, t) => (caseVisible(a, t.case) ? 'allow' : 'hidden') } },
  // A stale revision: the case does not move; every reader of the case gets 409.
  '/api/cases/{id}/events': {
    POST: { idParam: 'id', call: (t) => ({ params: { id: t.case._id }, body: { type: Object.keys(MANIFEST[t.pack].flows[t.case.flowKey].events ?? {})[0], revision: STALE } }), expect: (a, t) => (caseVisible(a, t.case) ? 'allow' : 'hidden') },
  },
  '/api/cases/{id}/forms/{formKey}': {
    GET: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.case._id, formKey: t.formKey } }),
      expect: (a, t) => first([caseVisible(a, t.case), 'hidden'], [canReadForm(a, t.case, t.formKey), 'forbidden']),
    },
  },
  '/api/cases/{id}/forms/{formKey}/draft': {
    PUT: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.case._id, formKey: t.formKey }, body: { data: {} } }),
      expect: (a, t) => first([caseVisible(a, t.case), 'hidden'], [canFillForm(a, t.case, t.formKey), 'forbidden'], [onCase(a, t.case, 'form.fill'), 'forbidden']),
    },
  },
  // Empty data: whoever may fill the form gets 400 (required fields), nothing is stored.
  '/api/cases/{id}/forms/{formKey}/submissions': {
    POST: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.case._id, formKey: t.formKey }, body: { data: {} } }),
      expect: (a, t) => first([caseVisible(a, t.case), 'hidden'], [canFillForm(a, t.case, t.formKey), 'forbidden'], [onCase(a, t.case, 'form.fill'), 'forbidden']),
    },
  },
  '/api/cases/{id}/submissions/{submissionId}': {
    GET: {
      // Hidden because of the case, it reads like a missing case; hidden inside a visible case, like a missing version.
      idParam: (a, t) => (caseVisible(a, t.case) ? 'submissionId' : 'id'),
      call: (t) => ({ params: { id: t.case._id, submissionId: t.submission._id } }),
      expect: (a, t) =>
        first(
          [caseVisible(a, t.case), 'hidden'],
          [canReadForm(a, t.case, t.submission.formKey), 'hidden'],
          [formOf(t.case, t.submission.formKey).visibility !== 'private' || a.grants.some((g) => g.institutionId === t.submission.authorInstitutionId), 'hidden'],
        ),
    },
  },
  '/api/cases/{id}/consents': { GET: { idParam: 'id', call: (t) => ({ params: { id: t.case._id } }), expect: (a, t) => (caseVisible(a, t.case) ? 'allow' : 'hidden') } },
  // An already withdrawn consent record: whoever may manage consents gets 409, nothing changes.
  '/api/cases/{id}/consents/{consentId}/withdraw': {
    POST: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.case._id, consentId: t.consentId }, body: { reason: 'Rodzina wycofała zgodę.' } }),
      expect: (a, t) => first([caseVisible(a, t.case), 'hidden'], [onCase(a, t.case, 'consent.manage'), 'forbidden']),
    },
  },
  '/api/tasks': { GET: { call: () => ({ query: { status: 'active' } }), expect: everyone } },
  // A task of the demo case assigned to its creator, stale revision: its assignee (or a case-team member who
  // manages the plan) holding task.update gets 409.
  '/api/tasks/{id}': {
    PATCH: {
      idParam: 'id',
      call: (t) => ({ params: { id: t.taskId }, body: { revision: STALE, status: 'done' } }),
      expect: (a, t) =>
        first(
          [caseVisible(a, t.case), 'hidden'],
          [a.userId === t.taskAssignee || (teamRows(a, t.case).length > 0 && onCase(a, t.case, 'plan.manage')), 'forbidden'],
          [onCase(a, t.case, 'task.update'), 'forbidden'],
        ),
    },
  },
  // The test API is off (ENABLE_TEST_API unset): it does not exist for anyone.
  '/api/test/clock': { POST: { anonymous: 'hidden', call: () => ({ body: { advance: 'P1D' } }), expect: () => 'hidden' } },
};

// ---------------------------------------------------------------------------------------------------

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

/** Every `regionId` anywhere in a JSON answer. */
function regionIdsIn(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => regionIdsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'regionId' && typeof v === 'string') out.add(v);
      else regionIdsIn(v, out);
    }
  }
  return out;
}

const outcomeOf = (status: number): TOutcome => (status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'hidden' : 'allow');

const DEMO = readDemoFiles().filter((f) => (PACKS as readonly string[]).includes(f.packId));
const ACTOR_EMAILS = DEMO.flatMap((f) => f.demo.users.map((u) => ({ pack: f.packId as TPackId, email: u.email.toLowerCase() })));
const ROUTE_METHODS = Object.entries(ROUTES).flatMap(([p, ms]) => Object.keys(ms).map((m) => [p, m as TMethod] as const));
const CELLS = ROUTE_METHODS.length * (ACTOR_EMAILS.length * 2 + 1);

/** Outcomes seen per route, so a degenerate matrix (every cell the same) cannot pass unnoticed. */
const tally: Record<string, Record<TOutcome, number>> = {};
/** Answers whose region ids were checked against the reader's region (guards the check itself). */
let answersWithRegion = 0;

let cleanup: () => Promise<void>;
const actors: TActor[] = [];
const targets = {} as Record<TPackId, TTarget>;
const otherPack = (p: TPackId): TPackId => PACKS[(PACKS.indexOf(p) + 1) % PACKS.length];

async function buildTarget(pack: TPackId): Promise<TTarget> {
  const store = await getStore();
  const f = DEMO.find((d) => d.packId === pack)!;
  const region = (await store.collection<TOrgUnit>('orgUnits').findOne({ kind: 'region', code: f.demo.region.code }))!;
  // The demo family case with the largest team that is open and has its consent: the richest case-team relations.
  const open = (await store.collection<TCase>('cases').find({ regionId: region._id, kind: 'case' })).filter((c) => c.status !== 'closed' && c.consent.status !== 'withdrawn');
  const c = open.sort((x, y) => y.team.length - x.team.length)[0];
  const gmina = (await store.collection<TOrgUnit>('orgUnits').findById(c.gminaId!))!;
  const powiat = (await store.collection<TOrgUnit>('orgUnits').findById(c.powiatId!))!;
  const inst = (await store.collection<TInstitution>('institutions').findById(c.team.find((t) => t.type === 'person')?.institutionId ?? c.team[0].institutionId))!;
  const creator = c.team.find((t) => t.type === 'person')?.userId ?? '';
  const team = (await store.collection<TTeam>('teams').find({ regionId: region._id })).sort((x, y) => (x.gminaId === c.gminaId ? -1 : y.gminaId === c.gminaId ? 1 : 0))[0];
  const someRole = Object.keys(MANIFEST[pack].roles).find((r) => MANIFEST[pack].roles[r].scope === 'institution' || !MANIFEST[pack].roles[r].scope) ?? Object.keys(MANIFEST[pack].roles)[0];
  const user = await store.collection<TUser>('users').insertOne({
    email: `matrix-${pack}@matrix.test`, name: 'Konto Macierzy', passwordHash: 'x', mustChangePassword: false, platformAdmin: false, regionAdminOf: [],
    memberships: [{ institutionId: inst._id, roles: [someRole], since: new Date(0) }], status: 'active',
  } as never);
  const submissions = await store.collection<TSubmission>('submissions').find({ caseId: c._id, status: 'submitted' });
  const submission = submissions.find((s) => MANIFEST[pack].forms[s.formKey]?.visibility !== 'private') ?? submissions[0];
  const consent = await store.collection('consents').insertOne({ caseId: c._id, signatories: [], purpose: 'x', recipients: '', evidenceFileIds: [], validFrom: new Date(0), status: 'withdrawn', recordedByUserId: creator, regionId: c.regionId } as never);
  const task = await store.collection('tasks').insertOne({
    caseId: c._id, caseNumber: c.number, regionId: c.regionId, powiatId: c.powiatId, gminaId: c.gminaId, source: 'flow', title: 'Zadanie macierzy',
    assignee: { type: 'person', userId: creator, label: 'Twórca sprawy' }, status: 'open', history: [],
  } as never);
  const file = await saveFile({ name: 'skan.pdf', bytes: new TextEncoder().encode('%PDF-1.4\n%%EOF\n'), uploadedBy: creator, scope: scopeOf(c) });
  await attachFile(file._id, { type: 'case', id: c._id });
  const entry = (await store.collection<TTarget['entry'] & { _id: string; revision: number; createdAt: Date; updatedAt: Date; status: string }>('catalogueEntries').find({ regionId: region._id, status: 'approved' })).sort((x, y) => (x.gminaId === c.gminaId ? -1 : y.gminaId === c.gminaId ? 1 : 0))[0];
  const proposal = await store.collection('catalogueChangeProposals').insertOne({
    entryId: entry._id, regionId: entry.regionId, powiatId: entry.powiatId, gminaId: entry.gminaId, entryRevision: 1, changes: { hours: 'wt.' }, status: 'pending', proposedBy: { name: 'Macierz' }, proposedAt: new Date(),
  } as never);
  const imp = await store.collection('catalogueImports').insertOne({
    ...scopeOf(inst), institutionId: inst._id, fileName: 'lista.csv',
    rows: [{ row: 2, fields: { name: `Usługa ${unique()}`, recipientGroups: [], eService: false, source: 'member', servedGminaIds: [] }, errors: [] }], status: 'validated', createdBy: { userId: creator, name: 'Twórca' }, entryIds: [],
  } as never);
  return {
    pack, region, powiat, gmina, inst, user, team, case: c, formKey: 'zgloszenie', submission, consentId: consent._id, taskId: task._id, taskAssignee: creator, fileId: file._id,
    entry, proposalId: proposal._id, importId: imp._id, importCreator: creator,
  };
}

async function buildActor(pack: TPackId, email: string): Promise<TActor> {
  const store = await getStore();
  const u = (await store.collection<TUser>('users').findOne({ email }))!;
  const grants: TGrant[] = [];
  for (const m of u.memberships) {
    const inst = (await store.collection<TInstitution>('institutions').findById(m.institutionId))!;
    for (const r of m.roles) {
      const role = MANIFEST[pack].roles[r];
      const scope = role.scope === 'region' ? { regionId: inst.regionId } : role.scope === 'powiat' && inst.powiatId ? { regionId: inst.regionId, powiatId: inst.powiatId } : scopeOf(inst);
      grants.push({ institutionId: inst._id, roles: [r], permissions: new Set(role.permissions), scope });
    }
  }
  const roles = [...new Set(u.memberships.flatMap((m) => m.roles))];
  return {
    email, pack, userId: u._id, regionId: targets[pack].region._id, regionAdminOf: u.regionAdminOf, platformAdmin: u.platformAdmin, grants,
    label: `${pack}:${u.regionAdminOf.length ? 'region-admin' : roles.join('+')}`,
    cookie: `next-auth.session-token=${await encode({ token: { uid: u._id, sub: u._id }, secret: authSecret() })}`,
  };
}

function request(p: string, method: TMethod, c: TCall, cookie: string | undefined, requestId: string): Request {
  const url = new URL(`${ORIGIN}${p.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(c.params?.[k] ?? k))}`);
  for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.set(k, v);
  return new Request(url, {
    method,
    headers: {
      'x-request-id': requestId,
      ...(cookie ? { cookie } : {}),
      // Same-origin, as a browser sends it on state-changing requests (the CSRF check accepts these).
      ...(method !== 'GET' ? { origin: ORIGIN } : {}),
      ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: c.body !== undefined ? JSON.stringify(c.body) : undefined,
  });
}

beforeAll(async () => {
  cleanup = openTempDataDir('kooperacja-matrix-');
  setTestEnv({ LOG_LEVEL: 'silent', ENABLE_TEST_API: undefined });
  await bootPacks();
  await seedDemoData(DEMO);
  for (const p of PACKS) targets[p] = await buildTarget(p);
  for (const { pack, email } of ACTOR_EMAILS) actors.push(await buildActor(pack, email));
}, 120_000);
afterAll(async () => cleanup());

describe(`authorisation matrix of the three packs: ${ROUTE_METHODS.length} routes × ${ACTOR_EMAILS.length} demo roles × 2 regions + anonymous = ${CELLS} cells`, () => {
  it('covers every route file and method (a new route cannot escape the matrix)', async () => {
    expect(routeFilesOnDisk()).toEqual([...Object.keys(API_ROUTES), ...EXTERNAL_ROUTES].sort());
    for (const [p, load] of Object.entries(API_ROUTES)) {
      const mod = (await load()) as unknown as Partial<Record<TMethod, TRouteHandler>>;
      const methods = HTTP_METHODS.filter((m) => mod[m]);
      expect(methods.length, p).toBeGreaterThan(0);
      if (SAMPLE_MATRIX_ONLY.includes(p)) continue;
      expect(Object.keys(ROUTES[p] ?? {}).sort(), `${p}: methods in the matrix`).toEqual([...methods].sort());
    }
  });

  it('has one demo account per role of each pack', () => {
    for (const p of PACKS) {
      const held = new Set(actors.filter((a) => a.pack === p).flatMap((a) => a.grants.flatMap((g) => g.roles)));
      expect([...held].sort(), p).toEqual(Object.keys(MANIFEST[p].roles).sort());
    }
  });

  for (const [p, method] of ROUTE_METHODS) {
    it(`${method} ${p} — ${ACTOR_EMAILS.length} × 2 + 1 cells`, async () => {
      const row = ROUTES[p][method]!;
      const mod = (await API_ROUTES[p as keyof typeof API_ROUTES]()) as unknown as Partial<Record<TMethod, TRouteHandler>>;
      const handler = mod[method]!;
      const send = async (c: TCall, cookie?: string) => handler(request(p, method, c, cookie, 'matrix'), { params: Promise.resolve(c.params ?? {}) });
      const wrong: string[] = [];

      const anon = await send(await row.call(targets.wiejski, null));
      if (outcomeOf(anon.status) !== (row.anonymous ?? 'unauthenticated')) wrong.push(`anonymous: expected ${row.anonymous ?? 'unauthenticated'}, got ${anon.status} ${await anon.text()}`);

      for (const a of actors) {
        for (const tenant of ['own', 'other'] as const) {
          const t = targets[tenant === 'own' ? a.pack : otherPack(a.pack)];
          const expected = row.expect(a, t);
          const c = await row.call(t, a);
          const res = await send(c, a.cookie);
          const got = outcomeOf(res.status);
          const seen = (tally[`${method} ${p}`] ??= { allow: 0, unauthenticated: 0, forbidden: 0, hidden: 0 });
          seen[got]++;
          const body = await res.text();
          if (got !== expected) wrong.push(`${a.label} (${a.email}) / ${tenant}: expected ${expected}, got ${res.status} ${body.slice(0, 300)}`);
          // No signed-in read answers with another region's data (lists included); public routes are public.
          if (method === 'GET' && res.status === 200 && row.anonymous !== 'allow' && res.headers.get('content-type')?.includes('json')) {
            const regions = regionIdsIn(JSON.parse(body));
            if (regions.size) answersWithRegion++;
            const foreign = [...regions].filter((r) => r !== a.regionId);
            if (foreign.length) wrong.push(`${a.label} / ${tenant}: the answer holds data of another region (${foreign.join(', ')})`);
          }
          // A resource one may not know of (another region's, or a case one is not on) answers exactly like an
          // id that does not exist.
          if (got === 'hidden' && row.idParam) {
            const param = typeof row.idParam === 'string' ? row.idParam : row.idParam(a, t);
            const id = c.params![param];
            const missingId = '00000000-0000-4000-8000-000000000000';
            const missing = await send({ ...c, params: { ...c.params, [param]: missingId } }, a.cookie);
            const missingBody = (await missing.text()).replaceAll(missingId, '{id}');
            if (missing.status !== res.status || missingBody !== body.replaceAll(id, '{id}')) {
              wrong.push(`${a.label} / ${tenant}: 404 differs from a missing id: ${res.status} ${body} ≠ ${missing.status} ${missingBody}`);
            }
          }
        }
      }
      expect(wrong).toEqual([]);
    });
  }

  it('is not degenerate: each addressed resource is reached by some role and hidden from others, 403s occur, answers carry region ids', () => {
    for (const [p, method] of ROUTE_METHODS) {
      if (!ROUTES[p][method]!.idParam) continue;
      expect(tally[`${method} ${p}`]?.allow, `${method} ${p}: no role reaches it`).toBeGreaterThan(0);
      expect(tally[`${method} ${p}`]?.hidden, `${method} ${p}: no role is refused with 404`).toBeGreaterThan(0);
    }
    const forbidden = Object.values(tally).reduce((n, t) => n + t.forbidden, 0);
    expect(forbidden).toBeGreaterThan(100);
    expect(answersWithRegion).toBeGreaterThan(400);
  });
});
