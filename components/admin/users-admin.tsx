'use client';

import { useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch } from '@/components/api';
import { translator, type TLocale } from '@/lib/i18n/messages';
import { FormAlert, Panel, SelectField, SubmitButton, TextField, useAction } from './form-field';
import { CredentialHandout } from './handout';
import { MembershipEditor, type TMembershipRow } from './membership-editor';
import { formatDateTime, MUTED_TABLE, optionLabel } from './format';
import type { TInstitutionView, TPackInfoByRegion, TUserView } from './types';

type TMode = 'one-time-password' | 'reset-link';
type THandout = { who: string; oneTimePassword?: string; resetLink?: string };

interface TProps {
  locale: TLocale;
  users: TUserView[];
  managedInstitutions: TInstitutionView[];
  institutionNames: Record<string, string>;
  packs: TPackInfoByRegion;
  /** Regions the signed-in administrator may hand region administration for. */
  adminRegions: TRegionOption[];
}

type TRegionOption = { id: string; name: string };

export function UsersAdmin({ locale, users, managedInstitutions, institutionNames, packs, adminRegions }: TProps) {
  const t = translator(locale);
  const [handout, setHandout] = useState<THandout>();
  const [selected, setSelected] = useState<{ id: string; panel: 'edit' | 'reset' }>();
  const selectedUser = users.find((u) => u._id === selected?.id);
  const regionOf = new Map(managedInstitutions.map((i) => [i._id, i.regionId]));
  const roleLabel = (institutionId: string, role: string) => {
    const regionId = regionOf.get(institutionId);
    const roles = regionId ? packs[regionId]?.roles : Object.values(packs).flatMap((p) => p.roles);
    return optionLabel(roles, role, locale);
  };

  return (
    <>
      {handout && <CredentialHandout locale={locale} {...handout} onClose={() => setHandout(undefined)} />}
      {selectedUser && selected?.panel === 'edit' && (
        <EditUserForm key={selectedUser._id} locale={locale} user={selectedUser} institutions={managedInstitutions} packs={packs} adminRegions={adminRegions} onClose={() => setSelected(undefined)} />
      )}
      {selectedUser && selected?.panel === 'reset' && (
        <ResetPasswordForm key={selectedUser._id} locale={locale} user={selectedUser} onClose={() => setSelected(undefined)} onHandout={(h) => { setSelected(undefined); setHandout(h); }} />
      )}

      <div className="table-responsive mb-4">
        <table className="table table-hover align-middle" data-testid="users-table">
          <caption className="caption-top">{t('admin.users.caption')} ({users.length})</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.users.name')}</th>
              <th scope="col">{t('admin.email')}</th>
              <th scope="col">{t('admin.users.memberships')}</th>
              <th scope="col">{t('admin.status')}</th>
              <th scope="col">{t('admin.users.lastLogin')}</th>
              <th scope="col"><span className="visually-hidden">{t('admin.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {users.length === 0 && (
              <tr>
                <td colSpan={6} className="text-secondary">{t('admin.users.empty')}</td>
              </tr>
            )}
            {users.map((u) => (
              <tr key={u._id} style={u.status === 'disabled' ? MUTED_TABLE : undefined}>
                <td>
                  {u.name}
                  {u.regionAdminOf.length > 0 && <span className="badge text-bg-secondary ms-2">{t('admin.overview.regionAdmin')}</span>}
                  {u.platformAdmin && <span className="badge text-bg-dark ms-2">{t('admin.overview.platformAdmin')}</span>}
                </td>
                <td>{u.email}</td>
                <td className="small">
                  <ul className="list-unstyled mb-0">
                    {u.memberships.map((m, i) => (
                      <li key={i}>
                        {institutionNames[m.institutionId] ?? m.institutionId}: {m.roles.map((r) => roleLabel(m.institutionId, r)).join(', ')}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  {u.status === 'active' ? t('admin.active') : t('admin.users.disabled')}
                  {u.mustChangePassword && <div className="small text-secondary">{t('admin.users.mustChange')}</div>}
                </td>
                <td className="small">{u.lastLoginAt ? formatDateTime(u.lastLoginAt, locale) : '—'}</td>
                <td className="text-end text-nowrap">
                  <button type="button" className="btn btn-sm btn-outline-primary me-1" onClick={() => setSelected({ id: u._id, panel: 'edit' })} aria-label={`${t('admin.edit')}: ${u.name}`}>
                    {t('admin.edit')}
                  </button>
                  <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => setSelected({ id: u._id, panel: 'reset' })} aria-label={`${t('admin.users.reset')}: ${u.name}`}>
                    {t('admin.users.reset')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <CreateUserForm locale={locale} institutions={managedInstitutions} packs={packs} adminRegions={adminRegions} onHandout={setHandout} />
    </>
  );
}

function CredentialChoice({ locale, idPrefix, value, onChange }: { locale: TLocale; idPrefix: string; value: TMode; onChange: (m: TMode) => void }) {
  const t = translator(locale);
  return (
    <fieldset className="mb-3">
      <legend className="form-label fs-6 fw-semibold">{t('admin.users.credential')}</legend>
      {(['one-time-password', 'reset-link'] as const).map((m) => (
        <div className="form-check" key={m}>
          <input className="form-check-input" type="radio" name={`${idPrefix}-credential`} id={`${idPrefix}-${m}`} checked={value === m} onChange={() => onChange(m)} />
          <label className="form-check-label" htmlFor={`${idPrefix}-${m}`}>
            {m === 'one-time-password' ? t('admin.users.otp') : t('admin.users.link')}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** Region administration: a checkbox per region this administrator manages. */
function RegionAdminChoice({ locale, idPrefix, regions, value, onChange, error }: { locale: TLocale; idPrefix: string; regions: TRegionOption[]; value: string[]; onChange: (v: string[]) => void; error?: string }) {
  const t = translator(locale);
  if (!regions.length) return null;
  return (
    <fieldset className="mb-3">
      <legend className="form-label fs-6 fw-semibold">{t('admin.users.regionAdmin')}</legend>
      {regions.map((r) => (
        <div className="form-check" key={r.id}>
          <input className={`form-check-input ${error ? 'is-invalid' : ''}`} type="checkbox" id={`${idPrefix}-region-${r.id}`} checked={value.includes(r.id)} onChange={(e) => onChange(e.target.checked ? [...value, r.id] : value.filter((x) => x !== r.id))} />
          <label className="form-check-label" htmlFor={`${idPrefix}-region-${r.id}`}>{r.name}</label>
        </div>
      ))}
      {error && <div className="invalid-feedback d-block">{error}</div>}
    </fieldset>
  );
}

function CreateUserForm({ locale, institutions, packs, adminRegions, onHandout }: { locale: TLocale; institutions: TInstitutionView[]; packs: TPackInfoByRegion; adminRegions: TRegionOption[]; onHandout: (h: THandout) => void }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction();
  const [rows, setRows] = useState<TMembershipRow[]>([{ institutionId: '', roles: [] }]);
  const [mode, setMode] = useState<TMode>('one-time-password');
  const [regionAdminOf, setRegionAdminOf] = useState<string[]>([]);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const body = {
      email: String(data.get('email') ?? ''),
      name: String(data.get('name') ?? ''),
      // An empty row the administrator did not fill in is not a membership (a region administrator may have none).
      memberships: rows.filter((r) => r.institutionId || r.roles.length).map((r) => ({ institutionId: r.institutionId, roles: r.roles })),
      regionAdminOf,
      credential: mode,
    };
    const res = await action.run(() => apiFetch<{ user: TUserView; oneTimePassword?: string; resetLink?: string }>('/api/users', { method: 'POST', body }));
    if (res) {
      form.reset();
      setRows([{ institutionId: '', roles: [] }]);
      setRegionAdminOf([]);
      action.clear();
      onHandout({ who: `${res.user.name} <${res.user.email}>`, oneTimePassword: res.oneTimePassword, resetLink: res.resetLink });
      router.refresh();
    }
  }

  const err = action.fieldError;
  return (
    <Panel title={t('admin.users.add')} headingId="user-add">
      <FormAlert action={action} />
      <form onSubmit={onSubmit} noValidate>
        <div className="row">
          <TextField className="col-md-6 mb-3" id="user-name" name="name" required autoComplete="off" label={t('admin.users.name')} error={err('name')} />
          <TextField className="col-md-6 mb-3" id="user-email" name="email" type="email" required autoComplete="off" label={t('admin.email')} error={err('email')} />
        </div>
        <MembershipEditor locale={locale} idPrefix="new" rows={rows} onChange={setRows} institutions={institutions} packs={packs} fieldError={err} />
        <RegionAdminChoice locale={locale} idPrefix="new" regions={adminRegions} value={regionAdminOf} onChange={setRegionAdminOf} error={err('regionAdminOf')} />
        <CredentialChoice locale={locale} idPrefix="new" value={mode} onChange={setMode} />
        <SubmitButton busy={action.busy} label={t('admin.users.create')} busyLabel={t('admin.saving')} />
      </form>
    </Panel>
  );
}

function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

function EditUserForm({ locale, user, institutions, packs, adminRegions, onClose }: { locale: TLocale; user: TUserView; institutions: TInstitutionView[]; packs: TPackInfoByRegion; adminRegions: TRegionOption[]; onClose: () => void }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction({ conflictMessage: t('admin.conflict') });
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const managed = new Set(institutions.map((i) => i._id));
  // Memberships in institutions this administrator does not manage are not editable here; they are sent back unchanged.
  const foreign = user.memberships.filter((m) => !managed.has(m.institutionId));
  const [rows, setRows] = useState<TMembershipRow[]>(user.memberships.filter((m) => managed.has(m.institutionId)).map((m) => ({ institutionId: m.institutionId, roles: [...m.roles], since: m.since })));
  const regionIds = new Set(adminRegions.map((r) => r.id));
  const [regionAdminOf, setRegionAdminOf] = useState<string[]>(user.regionAdminOf.filter((r) => regionIds.has(r)));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const body = {
      revision: user.revision,
      name: String(data.get('name') ?? ''),
      status: String(data.get('status')),
      memberships: [
        ...rows.filter((r) => r.institutionId || r.roles.length).map((r) => ({ institutionId: r.institutionId, roles: r.roles, ...(r.since ? { since: r.since } : {}) })),
        ...foreign.map((m) => ({ institutionId: m.institutionId, roles: m.roles, since: m.since, ...(m.until ? { until: m.until } : {}) })),
      ],
      // Regions outside this administrator's reach are kept as they are.
      regionAdminOf: [...regionAdminOf, ...user.regionAdminOf.filter((r) => !regionIds.has(r))],
    };
    const saved = await action.run(() => apiFetch<TUserView>(`/api/users/${user._id}`, { method: 'PATCH', body }), () => t('admin.saved'));
    if (saved) router.refresh();
  }

  const err = action.fieldError;
  return (
    <section className="card border-primary shadow-sm mb-4" aria-labelledby="user-edit">
      <div className="card-body">
        <h2 id="user-edit" className="h5" tabIndex={-1} ref={headingRef}>{t('admin.users.edit')}: {user.name} ({user.email})</h2>
        <FormAlert action={action} />
        {foreign.length > 0 && <p className="small text-secondary">{t('admin.users.foreignMemberships')}</p>}
        <form onSubmit={onSubmit} noValidate>
          <div className="row">
            <TextField className="col-md-6 mb-3" id="edit-user-name" name="name" required defaultValue={user.name} label={t('admin.users.name')} error={err('name')} />
            <SelectField className="col-md-6 mb-3" id="edit-user-status" name="status" defaultValue={user.status} label={t('admin.status')} options={[{ value: 'active', label: t('admin.active') }, { value: 'disabled', label: t('admin.users.disabled') }]} error={err('status')} hint={t('admin.users.disableHint')} />
          </div>
          <MembershipEditor locale={locale} idPrefix="edit" rows={rows} onChange={setRows} institutions={institutions} packs={packs} fieldError={err} />
          <RegionAdminChoice locale={locale} idPrefix="edit" regions={adminRegions} value={regionAdminOf} onChange={setRegionAdminOf} error={err('regionAdminOf')} />
          <div className="d-flex gap-2">
            <SubmitButton busy={action.busy} label={t('admin.save')} busyLabel={t('admin.saving')} />
            <button type="button" className="btn btn-outline-secondary" onClick={onClose}>{t('admin.close')}</button>
          </div>
        </form>
      </div>
    </section>
  );
}

function ResetPasswordForm({ locale, user, onClose, onHandout }: { locale: TLocale; user: TUserView; onClose: () => void; onHandout: (h: THandout) => void }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [mode, setMode] = useState<TMode>('one-time-password');

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const res = await action.run(() => apiFetch<{ oneTimePassword?: string; resetLink?: string }>(`/api/users/${user._id}/password-reset`, { method: 'POST', body: { mode } }));
    if (res) {
      onHandout({ who: `${user.name} <${user.email}>`, ...res });
      router.refresh();
    }
  }

  return (
    <section className="card border-warning shadow-sm mb-4" aria-labelledby="user-reset">
      <div className="card-body">
        <h2 id="user-reset" className="h5" tabIndex={-1} ref={headingRef}>{t('admin.users.reset')}: {user.name} ({user.email})</h2>
        <p className="small text-secondary">{t('admin.users.resetHelp')}</p>
        <FormAlert action={action} />
        <form onSubmit={onSubmit}>
          <CredentialChoice locale={locale} idPrefix="reset" value={mode} onChange={setMode} />
          <div className="d-flex gap-2">
            <SubmitButton busy={action.busy} label={t('admin.users.resetSubmit')} busyLabel={t('admin.saving')} />
            <button type="button" className="btn btn-outline-secondary" onClick={onClose}>{t('admin.close')}</button>
          </div>
        </form>
      </div>
    </section>
  );
}
