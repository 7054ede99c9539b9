'use client';

import { translator, type TLocale } from '@/lib/i18n/messages';
import { pickLabel } from './format';
import type { TInstitutionView, TPackInfoByRegion } from './types';

export interface TMembershipRow {
  institutionId: string;
  roles: string[];
  /** Kept from the stored membership so an edit does not restart it. */
  since?: string;
}

/** Institution + pack roles, one row per membership; role labels come from the institution's region pack. */
export function MembershipEditor({ locale, idPrefix, rows, onChange, institutions, packs, fieldError }: {
  locale: TLocale;
  idPrefix: string;
  rows: TMembershipRow[];
  onChange: (rows: TMembershipRow[]) => void;
  institutions: TInstitutionView[];
  packs: TPackInfoByRegion;
  fieldError: (path: string) => string | undefined;
}) {
  const t = translator(locale);
  const update = (i: number, row: Partial<TMembershipRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...row } : r)));
  const listError = fieldError('memberships');
  return (
    <fieldset className="mb-3">
      <legend className="form-label fs-6 fw-semibold">{t('admin.users.memberships')}</legend>
      {listError && <div className="invalid-feedback d-block mb-2" id={`${idPrefix}-memberships-error`}>{listError}</div>}
      {rows.length === 0 && <p className="text-secondary small">{t('admin.users.noMemberships')}</p>}
      {rows.map((row, i) => {
        const inst = institutions.find((x) => x._id === row.institutionId);
        const roles = inst ? (packs[inst.regionId]?.roles ?? []) : [];
        const instId = `${idPrefix}-m${i}-institution`;
        const instError = fieldError(`memberships.${i}.institutionId`);
        const rolesError = fieldError(`memberships.${i}.roles`);
        return (
          <div key={i} className="border rounded p-2 mb-2 bg-light-subtle" data-testid={`${idPrefix}-membership-${i}`}>
            <div className="mb-2">
              <label htmlFor={instId} className="form-label">{t('admin.users.institution')} {i + 1}</label>
              <select id={instId} className={`form-select ${instError ? 'is-invalid' : ''}`} value={row.institutionId} onChange={(e) => update(i, { institutionId: e.target.value, roles: [] })} aria-describedby={instError ? `${instId}-error` : undefined}>
                <option value="">{t('admin.choose')}</option>
                {institutions.map((x) => (
                  <option key={x._id} value={x._id}>{x.name}</option>
                ))}
              </select>
              {instError && <div id={`${instId}-error`} className="invalid-feedback d-block">{instError}</div>}
            </div>
            {inst && (
              <fieldset aria-describedby={rolesError ? `${idPrefix}-m${i}-roles-error` : undefined}>
                <legend className="small fw-semibold mb-1">{t('admin.users.roles')}</legend>
                {roles.map((r) => {
                  const id = `${idPrefix}-m${i}-role-${r.value}`;
                  return (
                    <div className="form-check" key={r.value}>
                      <input
                        className={`form-check-input ${rolesError ? 'is-invalid' : ''}`}
                        type="checkbox"
                        id={id}
                        checked={row.roles.includes(r.value)}
                        onChange={(e) => update(i, { roles: e.target.checked ? [...row.roles, r.value] : row.roles.filter((x) => x !== r.value) })}
                      />
                      <label className="form-check-label" htmlFor={id}>{pickLabel(r.label, locale, r.value)}</label>
                    </div>
                  );
                })}
                {rolesError && <div id={`${idPrefix}-m${i}-roles-error`} className="invalid-feedback d-block">{rolesError}</div>}
              </fieldset>
            )}
            <button type="button" className="btn btn-sm btn-link text-danger px-0" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              {t('admin.users.removeMembership')} {i + 1}
            </button>
          </div>
        );
      })}
      <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => onChange([...rows, { institutionId: '', roles: [] }])}>
        + {t('admin.users.addMembership')}
      </button>
    </fieldset>
  );
}
