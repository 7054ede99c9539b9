'use client';

import { useMemo, useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch } from '@/components/api';
import { translator, type TLocale, type TMessageKey } from '@/lib/i18n/messages';
import { FormAlert, Panel, SelectField, SubmitButton, TextField, useAction } from './form-field';
import { compact } from './format';
import type { TUnitView } from './types';

type TKind = TUnitView['kind'];

export function OrgUnitsAdmin({ locale, units, canManage, isPlatformAdmin }: { locale: TLocale; units: TUnitView[]; canManage: boolean; isPlatformAdmin: boolean }) {
  const t = translator(locale);
  const children = useMemo(() => {
    const map = new Map<string, TUnitView[]>();
    for (const u of units) map.set(u.parentId ?? '', [...(map.get(u.parentId ?? '') ?? []), u]);
    for (const list of map.values()) list.sort((a, b) => a.name.localeCompare(b.name, 'pl'));
    return map;
  }, [units]);
  const ids = new Set(units.map((u) => u._id));
  const roots = units.filter((u) => !u.parentId || !ids.has(u.parentId)).sort((a, b) => a.name.localeCompare(b.name, 'pl'));
  // Regions and powiats start open, so every gmina is one glance away.
  const [open, setOpen] = useState<Set<string>>(() => new Set(units.filter((u) => u.kind !== 'gmina').map((u) => u._id)));
  const toggle = (id: string) => setOpen((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });

  const renderNode = (u: TUnitView) => {
    const kids = children.get(u._id) ?? [];
    const isOpen = open.has(u._id);
    const groupId = `unit-children-${u._id}`;
    return (
      <li key={u._id} className="mb-1" data-testid={`unit-${u.code}`}>
        <div className="d-flex align-items-center gap-2">
          {kids.length > 0 ? (
            <button type="button" className="btn btn-sm btn-outline-secondary px-2 py-0" aria-expanded={isOpen} aria-controls={groupId} onClick={() => toggle(u._id)}>
              <span aria-hidden="true">{isOpen ? '−' : '+'}</span>
              <span className="visually-hidden">{isOpen ? t('admin.units.collapse') : t('admin.units.expand')}: {u.name}</span>
            </button>
          ) : (
            <span className="d-inline-block" style={{ width: '1.9rem' }} aria-hidden="true" />
          )}
          <span className={u.kind === 'gmina' ? '' : 'fw-semibold'}>{u.name}</span>
          <span className="badge text-bg-light border">{t(`admin.kind.${u.kind}` as TMessageKey)}</span>
          {u.gminaType && <span className="badge text-bg-light border">{t(`admin.gminaType.${u.gminaType}` as TMessageKey)}</span>}
          {u.pack && <span className="small text-secondary">{t('admin.units.pack')}: {u.pack.id}@{u.pack.version}</span>}
          <code className="small text-secondary">{u.code}</code>
        </div>
        {kids.length > 0 && (
          <ul id={groupId} className="list-unstyled ms-4 mt-1" hidden={!isOpen}>
            {kids.map(renderNode)}
          </ul>
        )}
      </li>
    );
  };

  return (
    <div className="row g-4">
      <div className="col-lg-7">
        <Panel title={t('admin.units.tree')} headingId="units-tree">
          {units.length === 0 ? (
            <p className="text-secondary mb-0">{t('admin.units.empty')}</p>
          ) : (
            <>
              <div className="mb-2 d-flex gap-2">
                <button type="button" className="btn btn-sm btn-link p-0" onClick={() => setOpen(new Set(units.map((u) => u._id)))}>{t('admin.units.expandAll')}</button>
                <button type="button" className="btn btn-sm btn-link p-0" onClick={() => setOpen(new Set())}>{t('admin.units.collapseAll')}</button>
              </div>
              <ul className="list-unstyled mb-0" aria-label={t('admin.units.tree')}>{roots.map(renderNode)}</ul>
            </>
          )}
        </Panel>
      </div>
      {canManage && (
        <div className="col-lg-5">
          <AddOrgUnitForm locale={locale} units={units} isPlatformAdmin={isPlatformAdmin} onAdded={(parentId) => parentId && setOpen((s) => new Set(s).add(parentId))} />
        </div>
      )}
    </div>
  );
}

function AddOrgUnitForm({ locale, units, isPlatformAdmin, onAdded }: { locale: TLocale; units: TUnitView[]; isPlatformAdmin: boolean; onAdded: (parentId?: string) => void }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction();
  const kinds: TKind[] = isPlatformAdmin ? ['region', 'powiat', 'gmina'] : ['powiat', 'gmina'];
  const [kind, setKind] = useState<TKind>(kinds[0]);
  const parentKind: TKind | undefined = kind === 'powiat' ? 'region' : kind === 'gmina' ? 'powiat' : undefined;
  const parents = units.filter((u) => u.kind === parentKind).sort((a, b) => a.name.localeCompare(b.name, 'pl'));
  const regionName = new Map(units.filter((u) => u.kind === 'region').map((u) => [u._id, u.name]));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = compact(Object.fromEntries(new FormData(form)));
    const body: Record<string, unknown> = { kind, code: v.code ?? '', name: v.name ?? '' };
    if (parentKind) body.parentId = v.parentId;
    if (kind === 'gmina' && v.gminaType) body.gminaType = v.gminaType;
    if (kind === 'region' && (v.packId || v.packVersion)) body.pack = { id: v.packId ?? '', version: v.packVersion ?? '' };
    const created = await action.run(
      () => apiFetch<TUnitView>('/api/org-units', { method: 'POST', body }),
      (u) => `${t('admin.units.added')}: ${u.name}`,
    );
    if (created) {
      form.reset();
      onAdded(created.parentId);
      router.refresh();
    }
  }

  const err = action.fieldError;
  return (
    <Panel title={t('admin.units.add')} headingId="units-add">
      <FormAlert action={action} />
      <form onSubmit={onSubmit} noValidate>
        <SelectField id="unit-kind" name="kind" label={t('admin.units.kind')} value={kind} onChange={(e) => setKind(e.target.value as TKind)} options={kinds.map((k) => ({ value: k, label: t(`admin.kind.${k}` as TMessageKey) }))} error={err('kind')} />
        {parentKind && (
          <SelectField
            id="unit-parent"
            name="parentId"
            required
            label={parentKind === 'region' ? t('admin.units.parentRegion') : t('admin.units.parentPowiat')}
            placeholder={t('admin.choose')}
            options={parents.map((p) => ({ value: p._id, label: p.kind === 'powiat' ? `${p.name} (${regionName.get(p.regionId) ?? ''})` : p.name }))}
            error={err('parentId')}
          />
        )}
        <TextField id="unit-name" name="name" required label={t('admin.name')} error={err('name')} />
        <TextField id="unit-code" name="code" required label={t('admin.code')} hint={t('admin.codeHint')} error={err('code')} />
        {kind === 'gmina' && (
          <SelectField id="unit-gmina-type" name="gminaType" label={t('admin.units.gminaType')} placeholder={t('admin.choose')} options={(['wiejska', 'miejsko-wiejska', 'miejska'] as const).map((g) => ({ value: g, label: t(`admin.gminaType.${g}` as TMessageKey) }))} error={err('gminaType')} />
        )}
        {kind === 'region' && (
          <div className="row">
            <TextField className="col-7 mb-3" id="unit-pack-id" name="packId" label={t('admin.units.packId')} error={err('pack.id')} />
            <TextField className="col-5 mb-3" id="unit-pack-version" name="packVersion" label={t('admin.units.packVersion')} error={err('pack.version')} />
          </div>
        )}
        <SubmitButton busy={action.busy} label={t('admin.add')} busyLabel={t('admin.saving')} />
      </form>
    </Panel>
  );
}
