'use client';

import { useEffect, useRef, useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch } from '@/components/api';
import { translator, type TLocale } from '@/lib/i18n/messages';
import { FormAlert, Panel, SelectField, SubmitButton, TextField, useAction } from './form-field';
import { compact, MUTED_TABLE, optionLabel, unitOptions } from './format';
import type { TInstitutionView, TOption, TPackInfoByRegion, TUnitView } from './types';

interface TProps {
  locale: TLocale;
  institutions: TInstitutionView[];
  units: TUnitView[];
  packs: TPackInfoByRegion;
  canManage: boolean;
  filter: { unit: string; type: string };
}

function allTypes(packs: TPackInfoByRegion): TOption[] {
  const seen = new Map<string, TOption>();
  for (const p of Object.values(packs)) for (const o of p.institutionTypes) if (!seen.has(o.value)) seen.set(o.value, o);
  return [...seen.values()];
}

export function InstitutionsAdmin({ locale, institutions, units, packs, canManage, filter }: TProps) {
  const t = translator(locale);
  const [editing, setEditing] = useState<string>();
  const unitName = new Map(units.map((u) => [u._id, u.name]));
  const types = allTypes(packs);
  const typeLabel = (i: TInstitutionView) => optionLabel(packs[i.regionId]?.institutionTypes ?? types, i.type, locale);
  const editedInstitution = institutions.find((i) => i._id === editing);

  return (
    <>
      <form method="get" className="row g-2 align-items-end mb-3" aria-label={t('admin.filter')}>
        <SelectField className="col-md-5" id="filter-unit" name="unit" label={t('admin.institutions.unit')} defaultValue={filter.unit} placeholder={t('admin.all')} options={unitOptions(units)} />
        <SelectField className="col-md-4" id="filter-type" name="type" label={t('admin.institutions.type')} defaultValue={filter.type} placeholder={t('admin.all')} options={types.map((o) => ({ value: o.value, label: optionLabel(types, o.value, locale) }))} />
        <div className="col-md-3 d-flex gap-2">
          <button type="submit" className="btn btn-outline-primary">{t('admin.filter')}</button>
          {(filter.unit || filter.type) && <a className="btn btn-link" href="/admin/instytucje">{t('admin.clearFilter')}</a>}
        </div>
      </form>

      {editedInstitution && (
        <EditInstitutionForm key={editedInstitution._id} locale={locale} institution={editedInstitution} types={packs[editedInstitution.regionId]?.institutionTypes ?? types} onClose={() => setEditing(undefined)} />
      )}

      <div className="table-responsive mb-4">
        <table className="table table-hover align-middle" data-testid="institutions-table">
          <caption className="caption-top">{t('admin.institutions.caption')} ({institutions.length})</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.name')}</th>
              <th scope="col">{t('admin.institutions.type')}</th>
              <th scope="col">{t('admin.institutions.unit')}</th>
              <th scope="col">{t('admin.institutions.contact')}</th>
              <th scope="col">{t('admin.status')}</th>
              {canManage && <th scope="col"><span className="visually-hidden">{t('admin.actions')}</span></th>}
            </tr>
          </thead>
          <tbody>
            {institutions.length === 0 && (
              <tr>
                <td colSpan={canManage ? 6 : 5} className="text-secondary">{filter.unit || filter.type ? t('admin.institutions.noMatch') : t('admin.institutions.empty')}</td>
              </tr>
            )}
            {institutions.map((i) => (
              <tr key={i._id} style={i.active ? undefined : MUTED_TABLE}>
                <td>{i.name}</td>
                <td>{typeLabel(i)}</td>
                <td>{unitName.get(i.gminaId ?? i.powiatId ?? i.regionId) ?? ''}</td>
                <td className="small">{[i.email, i.phone, i.address].filter(Boolean).join(' · ')}</td>
                <td>{i.active ? t('admin.active') : t('admin.inactive')}</td>
                {canManage && (
                  <td className="text-end">
                    <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => setEditing(i._id)} aria-label={`${t('admin.edit')}: ${i.name}`}>
                      {t('admin.edit')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {canManage && <AddInstitutionForm locale={locale} units={units} packs={packs} />}
    </>
  );
}

function AddInstitutionForm({ locale, units, packs }: { locale: TLocale; units: TUnitView[]; packs: TPackInfoByRegion }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction();
  const [unitId, setUnitId] = useState('');
  const regionId = units.find((u) => u._id === unitId)?.regionId;
  const types = regionId ? (packs[regionId]?.institutionTypes ?? []) : allTypes(packs);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = compact(Object.fromEntries(new FormData(form)));
    const body = { name: v.name ?? '', type: v.type ?? '', orgUnitId: v.orgUnitId ?? '', ...(v.code ? { code: v.code } : {}), ...(v.address ? { address: v.address } : {}), ...(v.email ? { email: v.email } : {}), ...(v.phone ? { phone: v.phone } : {}) };
    const created = await action.run(() => apiFetch<TInstitutionView>('/api/institutions', { method: 'POST', body }), (i) => `${t('admin.institutions.added')}: ${i.name}`);
    if (created) {
      form.reset();
      setUnitId('');
      router.refresh();
    }
  }

  const err = action.fieldError;
  return (
    <Panel title={t('admin.institutions.add')} headingId="institution-add">
      <FormAlert action={action} />
      <form onSubmit={onSubmit} noValidate className="row">
        <TextField className="col-md-6 mb-3" id="inst-name" name="name" required label={t('admin.name')} error={err('name')} />
        <SelectField className="col-md-6 mb-3" id="inst-unit" name="orgUnitId" required label={t('admin.institutions.unit')} value={unitId} onChange={(e) => setUnitId(e.target.value)} placeholder={t('admin.choose')} options={unitOptions(units)} error={err('orgUnitId')} />
        <SelectField className="col-md-6 mb-3" id="inst-type" name="type" required label={t('admin.institutions.type')} placeholder={t('admin.choose')} options={types.map((o) => ({ value: o.value, label: optionLabel(types, o.value, locale) }))} error={err('type')} />
        <TextField className="col-md-6 mb-3" id="inst-code" name="code" label={t('admin.codeOptional')} hint={t('admin.codeHint')} error={err('code')} />
        <TextField className="col-md-6 mb-3" id="inst-email" name="email" type="email" label={t('admin.email')} error={err('email')} />
        <TextField className="col-md-6 mb-3" id="inst-phone" name="phone" type="tel" label={t('admin.phone')} error={err('phone')} />
        <TextField className="col-12 mb-3" id="inst-address" name="address" label={t('admin.address')} error={err('address')} />
        <div className="col-12">
          <SubmitButton busy={action.busy} label={t('admin.institutions.add')} busyLabel={t('admin.saving')} />
        </div>
      </form>
    </Panel>
  );
}

function EditInstitutionForm({ locale, institution: i, types, onClose }: { locale: TLocale; institution: TInstitutionView; types: TOption[]; onClose: () => void }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction({ conflictMessage: t('admin.conflict') });
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const email = String(data.get('email') ?? '').trim();
    const body = {
      revision: i.revision,
      name: String(data.get('name') ?? ''),
      type: String(data.get('type') ?? ''),
      address: String(data.get('address') ?? ''),
      phone: String(data.get('phone') ?? ''),
      // The API cannot unset the e-mail (an empty string is not an address): an emptied field keeps the old one.
      ...(email ? { email } : {}),
      active: data.get('active') === 'on',
    };
    const saved = await action.run(() => apiFetch<TInstitutionView>(`/api/institutions/${i._id}`, { method: 'PATCH', body }), () => t('admin.saved'));
    if (saved) router.refresh();
  }

  const err = action.fieldError;
  return (
    <section className="card border-primary shadow-sm mb-4" aria-labelledby="institution-edit">
      <div className="card-body">
        <h2 id="institution-edit" className="h5" tabIndex={-1} ref={headingRef}>{t('admin.institutions.edit')}: {i.name}</h2>
        <FormAlert action={action} />
        <form onSubmit={onSubmit} noValidate className="row">
          <TextField className="col-md-6 mb-3" id="edit-inst-name" name="name" required defaultValue={i.name} label={t('admin.name')} error={err('name')} />
          <SelectField className="col-md-6 mb-3" id="edit-inst-type" name="type" required defaultValue={i.type} label={t('admin.institutions.type')} options={types.map((o) => ({ value: o.value, label: optionLabel(types, o.value, locale) }))} error={err('type')} />
          <TextField className="col-md-6 mb-3" id="edit-inst-email" name="email" type="email" defaultValue={i.email} label={t('admin.email')} error={err('email')} />
          <TextField className="col-md-6 mb-3" id="edit-inst-phone" name="phone" type="tel" defaultValue={i.phone} label={t('admin.phone')} error={err('phone')} />
          <TextField className="col-12 mb-3" id="edit-inst-address" name="address" defaultValue={i.address} label={t('admin.address')} error={err('address')} />
          <div className="col-12 mb-3 form-check ms-2">
            <input className="form-check-input" type="checkbox" id="edit-inst-active" name="active" defaultChecked={i.active} />
            <label className="form-check-label" htmlFor="edit-inst-active">{t('admin.institutions.activeLabel')}</label>
          </div>
          <div className="col-12 d-flex gap-2">
            <SubmitButton busy={action.busy} label={t('admin.save')} busyLabel={t('admin.saving')} />
            <button type="button" className="btn btn-outline-secondary" onClick={onClose}>{t('admin.close')}</button>
          </div>
        </form>
      </div>
    </section>
  );
}
