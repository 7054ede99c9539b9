import type { TBaseDoc } from '@/lib/store/types';

/**
 * Tenant scope of anything stored: the region (województwo) always, the powiat and gmina when the thing
 * belongs to one. Policy decisions compare scopes (lib/policy).
 */
export interface TScope {
  regionId: string;
  powiatId?: string;
  gminaId?: string;
}

export type TOrgUnitKind = 'region' | 'powiat' | 'gmina';

export interface TPackRef {
  id: string;
  version: string;
}

export interface TOrgUnit extends TBaseDoc {
  kind: TOrgUnitKind;
  /** Stable machine code, unique per kind (e.g. `podkarpackie`, `powiat-ostrowski`). */
  code: string;
  name: string;
  parentId?: string;
  regionId: string;
  powiatId?: string;
  /** The configuration pack the region (and, when set, a gmina) uses. */
  pack?: TPackRef;
  /** Gmina type as in official statistics: wiejska, miejsko-wiejska, miejska. */
  gminaType?: 'wiejska' | 'miejsko-wiejska' | 'miejska';
}

export interface TInstitution extends TBaseDoc {
  /** Optional stable code (e.g. for demo data and imports), unique within the region. */
  code?: string;
  /** `<regionId>:<code>` when a code is set (the unique index behind per-region codes). */
  codeKey?: string;
  name: string;
  /** Institution type: a value of the pack's institution-type dictionary. */
  type: string;
  regionId: string;
  powiatId?: string;
  gminaId?: string;
  address?: string;
  email?: string;
  phone?: string;
  active: boolean;
}

export interface TMembership {
  institutionId: string;
  /** Staff role keys of the region's pack. */
  roles: string[];
  since: Date;
  until?: Date;
}

export interface TUser extends TBaseDoc {
  /** Lower-cased; the sign-in name. */
  email: string;
  name: string;
  passwordHash?: string;
  /** Set for one-time passwords: the user must choose a new password at the next sign-in. */
  mustChangePassword: boolean;
  /** `issuer|subject` of the OpenID Connect identity linked to this account. */
  oidcSubject?: string;
  platformAdmin: boolean;
  /** Region ids this user administers (ROPS administrators). */
  regionAdminOf: string[];
  memberships: TMembership[];
  status: 'active' | 'disabled';
  /** Demo accounts are refused when NODE_ENV=production. */
  demo?: boolean;
  lastLoginAt?: Date;
  /** Hash of a one-time password-reset token and its expiry. */
  reset?: { tokenHash: string; expiresAt: Date };
}

export interface TTeamMember {
  /** Stable id of this membership row (so leaving/rejoining keeps history). */
  id: string;
  type: 'institution' | 'person';
  institutionId: string;
  userId?: string;
  /** Member role key of the team kind (e.g. przewodniczący, członek). */
  role?: string;
  joinedAt: Date;
  leftAt?: Date;
}

export interface TTeam extends TBaseDoc, TScope {
  /** Team kind key declared by the pack (`pzk`, `wzk`, …), scope institutional. */
  kind: string;
  packId: string;
  name: string;
  members: TTeamMember[];
}

/** A user as seen through their accounts: sensitive fields stripped. */
export type TPublicUser = Omit<TUser, 'passwordHash' | 'reset'>;

export function toPublicUser(u: TUser): TPublicUser {
  const { passwordHash: _p, reset: _r, ...rest } = u;
  return rest;
}
