import type { TInstitution, TOrgUnit, TPublicUser, TTeam } from '@/lib/orgs/types';

/** What crosses from server pages to client components and back from the API: dates as ISO strings. */
export type TPlain<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? TPlain<U>[]
    : T extends object
      ? { [K in keyof T]: TPlain<T[K]> }
      : T;

export type TLabel = { pl: string; en?: string };
export type TOption = { value: string; label: TLabel };

/** The parts of a region's pack the administration screens label things with. */
export interface TPackInfo {
  packId: string;
  institutionTypes: TOption[];
  roles: TOption[];
  teamKinds: { value: string; label: TLabel; memberRoles: TOption[] }[];
}
export type TPackInfoByRegion = Record<string, TPackInfo>;

export type TUnitView = TPlain<TOrgUnit>;
export type TInstitutionView = TPlain<TInstitution>;
export type TUserView = TPlain<TPublicUser>;
export type TTeamView = TPlain<TTeam>;
