import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { getStore } from '@/lib/store';
import { now } from '@/lib/clock';
import { newId } from '@/lib/ids';
import { logger } from '@/lib/log';
import { recordChange } from '@/lib/audit/audit';
import { hashPassword } from '@/lib/auth/password';
import type { TInstitution, TOrgUnit, TTeam, TUser } from '@/lib/orgs/types';
import { scopeOfUnit } from '@/lib/orgs/org-units';
import { isAppError } from '@/lib/errors';
import { loadPrincipal } from '@/lib/auth/principal';
import { createCase } from '@/lib/cases/create-case';
import { submitForm } from '@/lib/cases/submissions';
import { sendEvent } from '@/lib/cases/events';
import { getCaseDocOrThrow } from '@/lib/cases/context';
import type { TCase } from '@/lib/cases/types';
import { saveFile } from '@/lib/files/files';
import { ZEntryFields, type TCatalogueEntry } from '@/lib/catalogue/types';
import { approveEntry, defaultLevel, newEntryDoc } from '@/lib/catalogue/entries';

/**
 * Demo data is content, like the packs: `configs/<pack-id>/demo.json` describes a demo region using that
 * pack — its powiats, gminas, institutions, one user per role and teams. Loaded at start (unless
 * production) once per region; every demo account shares DEMO_PASSWORD and is refused in production.
 */
export const DEMO_PASSWORD = 'Kooperacja-demo-2026';

const ZCode = z.string().regex(/^[a-z0-9][a-z0-9-]*$/);
export const ZDemo = z.strictObject({
  region: z.strictObject({ code: ZCode, name: z.string().min(2) }),
  /** Which published version of the pack the region uses (default: the version in pack.json). */
  packVersion: z.string().optional(),
  powiats: z.array(
    z.strictObject({
      code: ZCode,
      name: z.string().min(2),
      gminas: z.array(z.strictObject({ code: ZCode, name: z.string().min(2), type: z.enum(['wiejska', 'miejsko-wiejska', 'miejska']) })).min(1),
    }),
  ),
  institutions: z.array(
    z.strictObject({
      code: ZCode,
      name: z.string().min(2),
      type: z.string().min(1),
      /** Code of the region, powiat or gmina the institution serves. */
      unit: ZCode,
      address: z.string().optional(),
      email: z.string().email().optional(),
      phone: z.string().optional(),
    }),
  ),
  users: z.array(
    z.strictObject({
      email: z.string().email(),
      name: z.string().min(2),
      memberships: z.array(z.strictObject({ institution: ZCode, roles: z.array(z.string().min(1)).min(1) })).default([]),
      regionAdmin: z.boolean().default(false),
      platformAdmin: z.boolean().default(false),
    }),
  ),
  /**
   * Demo cases, replayed through the real services (create, fill forms, send events) so they are valid
   * states of the flow. Strings may use placeholders: `{{institution:<code>}}`, `{{user:<email>}}`,
   * `{{member:<n>}}` (n-th subject member), `{{date:<±days>}}` (ISO date relative to today), `{{weekday:<±days>}}`
   * (the same, moved to the next working day), and a whole string `{{file:<name.pdf>}}` becomes an uploaded
   * demo scan (a one-page PDF) in the format of Form.io file fields.
   */
  cases: z
    .array(
      z.strictObject({
        code: ZCode,
        gmina: ZCode,
        institution: ZCode,
        creator: z.string().email(),
        flow: z.string().optional(),
        kind: z.enum(['case', 'implementation']).default('case'),
        subject: z.unknown(),
        steps: z
          .array(
            z.union([
              z.strictObject({ as: z.string().email().optional(), submit: z.string().min(1), data: z.record(z.string(), z.unknown()) }),
              z.strictObject({ as: z.string().email().optional(), event: z.string().min(1), payload: z.record(z.string(), z.unknown()).optional() }),
            ]),
          )
          .default([]),
      }),
    )
    .default([]),
  /** Approved catalogue entries (services of the region's institutions), proposed and approved through the catalogue service. */
  catalogue: z
    .array(
      z.strictObject({
        institution: ZCode,
        level: z.enum(['gmina', 'powiat', 'voivodeship']).optional(),
        approver: z.string().email(),
        entry: z.record(z.string(), z.unknown()),
      }),
    )
    .default([]),
  teams: z
    .array(
      z.strictObject({
        code: ZCode,
        kind: z.string().min(1),
        name: z.string().min(2),
        unit: ZCode,
        members: z.array(z.strictObject({ institution: ZCode, user: z.string().email().optional(), role: z.string().optional() })),
      }),
    )
    .default([]),
});
export type TDemo = z.infer<typeof ZDemo>;

export interface TDemoFile {
  packId: string;
  packVersion: string;
  file: string;
  demo: TDemo;
}

/** Reads and validates every `configs/<id>/demo.json` (a broken file stops the start with its path and error). */
export function readDemoFiles(root = process.cwd()): TDemoFile[] {
  const configs = path.join(root, 'configs');
  if (!fs.existsSync(configs)) return [];
  const out: TDemoFile[] = [];
  for (const id of fs.readdirSync(configs).sort()) {
    const file = path.join(configs, id, 'demo.json');
    if (!fs.existsSync(file)) continue;
    const parsed = ZDemo.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (!parsed.success) {
      throw new Error(`${path.relative(root, file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(configs, id, 'pack.json'), 'utf8')) as { version: string };
    out.push({ packId: id, packVersion: parsed.data.packVersion ?? manifest.version, file: path.relative(root, file), demo: parsed.data });
  }
  return out;
}

/** Loads each demo region that is not in the store yet. Idempotent: an existing region code is skipped. */
export async function seedDemoData(files: TDemoFile[] = readDemoFiles()): Promise<{ seeded: string[] }> {
  const seeded: string[] = [];
  for (const f of files) {
    if (await seedRegion(f)) seeded.push(f.demo.region.code);
  }
  if (seeded.length) logger().info({ regions: seeded }, 'demo data loaded');
  return { seeded };
}

async function seedRegion({ packId, packVersion, demo, file }: TDemoFile): Promise<boolean> {
  const store = await getStore();
  const units = store.collection<TOrgUnit>('orgUnits');
  if (await units.findOne({ kind: 'region', code: demo.region.code })) return false;
  const fail = (msg: string) => new Error(`${file}: ${msg}`);

  const regionId = newId();
  const region = await units.insertOne({ _id: regionId, kind: 'region', code: demo.region.code, name: demo.region.name, regionId, pack: { id: packId, version: packVersion } });
  const unitByCode = new Map<string, TOrgUnit>([[region.code, region]]);
  for (const p of demo.powiats) {
    const powiat = await units.insertOne({ kind: 'powiat', code: p.code, name: p.name, parentId: regionId, regionId });
    unitByCode.set(p.code, powiat);
    for (const g of p.gminas) {
      unitByCode.set(g.code, await units.insertOne({ kind: 'gmina', code: g.code, name: g.name, parentId: powiat._id, regionId, powiatId: powiat._id, gminaType: g.type }));
    }
  }

  const institutions = store.collection<TInstitution>('institutions');
  const instByCode = new Map<string, TInstitution>();
  for (const i of demo.institutions) {
    const unit = unitByCode.get(i.unit);
    if (!unit) throw fail(`institution ${i.code}: unknown unit "${i.unit}"`);
    const { unit: _u, ...rest } = i;
    instByCode.set(i.code, await institutions.insertOne({ ...rest, ...scopeOfUnit(unit), codeKey: `${regionId}:${i.code}`, active: true }));
  }

  const users = store.collection<TUser>('users');
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userByEmail = new Map<string, TUser>();
  for (const u of demo.users) {
    const memberships = u.memberships.map((m) => {
      const inst = instByCode.get(m.institution);
      if (!inst) throw fail(`user ${u.email}: unknown institution "${m.institution}"`);
      return { institutionId: inst._id, roles: m.roles, since: now() };
    });
    const email = u.email.toLowerCase();
    const existing = await users.findOne({ email });
    if (existing) throw fail(`user ${email} already exists`);
    userByEmail.set(email, await users.insertOne({ email, name: u.name, passwordHash, mustChangePassword: false, platformAdmin: u.platformAdmin, regionAdminOf: u.regionAdmin ? [regionId] : [], memberships, status: 'active', demo: true }));
  }

  const teams = store.collection<TTeam>('teams');
  for (const t of demo.teams) {
    const unit = unitByCode.get(t.unit);
    if (!unit) throw fail(`team ${t.code}: unknown unit "${t.unit}"`);
    const members = t.members.map((m) => {
      const inst = instByCode.get(m.institution);
      if (!inst) throw fail(`team ${t.code}: unknown institution "${m.institution}"`);
      const user = m.user ? userByEmail.get(m.user.toLowerCase()) : undefined;
      if (m.user && !user) throw fail(`team ${t.code}: unknown user "${m.user}"`);
      return { id: newId(), type: user ? ('person' as const) : ('institution' as const), institutionId: inst._id, ...(user ? { userId: user._id } : {}), ...(m.role ? { role: m.role } : {}), joinedAt: now() };
    });
    await teams.insertOne({ kind: t.kind, packId, name: t.name, ...scopeOfUnit(unit), members });
  }
  for (const [i, ce] of demo.catalogue.entries()) {
    try {
      await seedCatalogueEntry(ce, { unitByCode, instByCode, userByEmail });
    } catch (e) {
      throw fail(`catalogue entry ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  for (const dc of demo.cases) {
    try {
      await seedCase(dc, { unitByCode, instByCode, userByEmail });
    } catch (e) {
      throw fail(`case ${dc.code}: ${e instanceof Error ? e.message : String(e)}${isAppError(e) && e.details ? ` ${JSON.stringify(e.details)}` : ''}`);
    }
  }
  await recordChange({ actor: { system: 'demo-seed' }, action: 'demo.seed', target: { type: 'orgUnit', id: regionId, label: region.name }, scope: { regionId }, after: { file, institutions: demo.institutions.length, users: demo.users.length, teams: demo.teams.length } });
  return true;
}

interface TSeedMaps {
  unitByCode: Map<string, TOrgUnit>;
  instByCode: Map<string, TInstitution>;
  userByEmail: Map<string, TUser>;
}

async function resolveFiles(value: unknown, c: TCase, uploadedBy: string): Promise<unknown> {
  if (typeof value === 'string') {
    const m = /^\{\{file:([^}]+)\}\}$/.exec(value);
    if (!m) return value;
    const doc = await saveFile({ name: m[1], bytes: DEMO_PDF, uploadedBy, scope: { regionId: c.regionId, ...(c.powiatId ? { powiatId: c.powiatId } : {}), ...(c.gminaId ? { gminaId: c.gminaId } : {}) } });
    return [{ storage: 'url', name: doc.name, originalName: doc.name, size: doc.size, type: doc.type, url: `/api/files/${doc._id}`, data: { id: doc._id } }];
  }
  if (Array.isArray(value)) return Promise.all(value.map((v) => resolveFiles(v, c, uploadedBy)));
  if (value && typeof value === 'object') return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveFiles(v, c, uploadedBy)])));
  return value;
}

/** A minimal valid one-page PDF: the stand-in for scanned signed paper in demo data. */
const DEMO_PDF = new TextEncoder().encode(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

function resolvePlaceholders(value: unknown, maps: TSeedMaps, c?: TCase): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('{{file:')) return value; // resolved later, with the case known
    return value.replace(/\{\{(institution|user|member|date|weekday):([^}]+)\}\}/g, (_, kind: string, arg: string) => {
      if (kind === 'institution') return `institution:${maps.instByCode.get(arg)?._id ?? missing('institution', arg)}`;
      if (kind === 'user') return `person:${maps.userByEmail.get(arg.toLowerCase())?._id ?? missing('user', arg)}`;
      if (kind === 'member') return `member:${c?.subject.members[Number(arg)]?.id ?? missing('member', arg)}`;
      const d = new Date(now().getTime() + Number(arg) * 86_400_000);
      // `weekday`: the next Monday–Friday on or after that day (meetings happen on working days).
      while (kind === 'weekday' && (d.getUTCDay() === 0 || d.getUTCDay() === 6)) d.setUTCDate(d.getUTCDate() + 1);
      return `${d.toISOString().slice(0, 10)}T00:00:00.000Z`;
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(v, maps, c));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, maps, c)]));
  return value;
}

function missing(kind: string, arg: string): never {
  throw new Error(`unknown ${kind} "${arg}" in a placeholder`);
}

/** Bare ids for event payloads: `institution:<id>` → `<id>` where the runtime expects plain ids. */
function payloadIds(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/^(institution|person):/, '');
  if (Array.isArray(value)) return value.map(payloadIds);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, payloadIds(v)]));
  return value;
}

async function seedCase(dc: TDemo['cases'][number], maps: TSeedMaps): Promise<void> {
  const principalOf = async (email: string) => {
    const u = maps.userByEmail.get(email.toLowerCase());
    const p = u ? await loadPrincipal(u._id) : null;
    if (!p) throw new Error(`unknown or inactive user "${email}"`);
    return p;
  };
  const gmina = maps.unitByCode.get(dc.gmina);
  const inst = maps.instByCode.get(dc.institution);
  if (!gmina || !inst) throw new Error(`unknown gmina "${dc.gmina}" or institution "${dc.institution}"`);
  let c = await createCase(await principalOf(dc.creator), {
    orgUnitId: gmina._id,
    institutionId: inst._id,
    kind: dc.kind,
    ...(dc.flow ? { flowKey: dc.flow } : {}),
    subject: dc.subject as TCreateSubject,
  });
  for (const [i, step] of dc.steps.entries()) {
    const who = await principalOf(step.as ?? dc.creator);
    try {
      if ('submit' in step) await submitForm(who, c._id, step.submit, { data: (await resolveFiles(resolvePlaceholders(step.data, maps, c), c, who.userId)) as Record<string, unknown> });
      else await sendEvent(who, c._id, { type: step.event, revision: c.revision, ...(step.payload ? { payload: payloadIds(resolvePlaceholders(step.payload, maps, c)) as Record<string, unknown> } : {}) });
    } catch (e) {
      throw new Error(`step ${i + 1} (${'submit' in step ? `submit ${step.submit}` : `event ${step.event}`}): ${e instanceof Error ? e.message : String(e)}${isAppError(e) && e.details ? ` ${JSON.stringify(e.details)}` : ''}`);
    }
    c = await getCaseDocOrThrow(c._id);
  }
}

type TCreateSubject = Parameters<typeof createCase>[1]['subject'];

async function seedCatalogueEntry(ce: TDemo['catalogue'][number], maps: TSeedMaps): Promise<void> {
  const inst = maps.instByCode.get(ce.institution);
  const approver = maps.userByEmail.get(ce.approver.toLowerCase());
  if (!inst || !approver) throw new Error(`unknown institution "${ce.institution}" or approver "${ce.approver}"`);
  const fields = ZEntryFields.parse(ce.entry);
  const proposed = await (await getStore()).collection<TCatalogueEntry>('catalogueEntries').insertOne(newEntryDoc(inst, ce.level ?? defaultLevel(inst), fields, { name: 'Dane demonstracyjne' }));
  const principal = await loadPrincipal(approver._id);
  if (!principal) throw new Error(`approver "${ce.approver}" is inactive`);
  await approveEntry(principal, proposed._id, { revision: proposed.revision });
}
