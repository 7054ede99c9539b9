'use client';

import { useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch } from '@/components/api';
import { translator, type TLocale } from '@/lib/i18n/messages';
import { FormAlert, Notice, Panel, SelectField, SubmitButton, TextField, useAction } from './form-field';
import { compact, formatDate, MUTED_TABLE, optionLabel, pickLabel, todayIso, unitOptions } from './format';
import type { TInstitutionView, TPackInfoByRegion, TTeamView, TUnitView } from './types';

type TPerson = { id: string; name: string; institutionIds: string[] };
type TMember = TTeamView['members'][number];

interface TProps {
  locale: TLocale;
  teams: TTeamView[];
  units: TUnitView[];
  institutions: TInstitutionView[];
  people: TPerson[];
  packs: TPackInfoByRegion;
  canManage: boolean;
}

export function TeamsAdmin({ locale, teams, units, institutions, people, packs, canManage }: TProps) {
  const t = translator(locale);
  return (
    <>
      {teams.length === 0 && <p className="alert alert-light border">{t('admin.teams.empty')}</p>}
      {teams.map((team) => (
        <TeamCard key={team._id} locale={locale} team={team} units={units} institutions={institutions} people={people} packs={packs} canManage={canManage} />
      ))}
      {canManage && <CreateTeamForm locale={locale} units={units} packs={packs} />}
    </>
  );
}

function TeamCard({ locale, team, units, institutions, people, packs, canManage }: Omit<TProps, 'teams'> & { team: TTeamView }) {
  const t = translator(locale);
  const [adding, setAdding] = useState(false);
  const [leaving, setLeaving] = useState<string>();
  const [notice, setNotice] = useState<{ text?: string; seq: number }>({ seq: 0 });
  const announce = (text: string) => setNotice((n) => ({ text, seq: n.seq + 1 }));
  const kind = packs[team.regionId]?.teamKinds.find((k) => k.value === team.kind);
  const instName = new Map(institutions.map((i) => [i._id, i.name]));
  const personName = new Map(people.map((p) => [p.id, p.name]));
  const unit = units.find((u) => u._id === (team.gminaId ?? team.powiatId ?? team.regionId));
  const active = team.members.filter((m) => !m.leftAt);
  const left = team.members.filter((m) => m.leftAt);
  const headingId = `team-${team._id}`;
  const memberName = (m: TMember) => (m.type === 'person' ? `${personName.get(m.userId ?? '') ?? t('admin.teams.person')} (${instName.get(m.institutionId) ?? ''})` : (instName.get(m.institutionId) ?? m.institutionId));
  const roleName = (m: TMember) => optionLabel(kind?.memberRoles, m.role, locale) || '—';

  return (
    <section className="card shadow-sm mb-4" aria-labelledby={headingId} data-testid={`team-${team._id}`}>
      <div className="card-body">
        <h2 id={headingId} className="h5 card-title mb-1">{team.name}</h2>
        <p className="text-secondary small mb-3">
          {pickLabel(kind?.label, locale, team.kind)} · {unit?.name ?? ''}
        </p>
        <Notice text={notice.text} seq={notice.seq} />
        <div className="table-responsive">
          <table className="table table-sm align-middle">
            <caption className="caption-top">{t('admin.teams.members')} ({active.length})</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.teams.member')}</th>
                <th scope="col">{t('admin.teams.memberType')}</th>
                <th scope="col">{t('admin.teams.role')}</th>
                <th scope="col">{t('admin.teams.joined')}</th>
                {canManage && <th scope="col"><span className="visually-hidden">{t('admin.actions')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {active.length === 0 && (
                <tr><td colSpan={canManage ? 5 : 4} className="text-secondary">{t('admin.teams.noMembers')}</td></tr>
              )}
              {active.map((m) => (
                <tr key={m.id}>
                  <td>{memberName(m)}</td>
                  <td>{m.type === 'person' ? t('admin.teams.person') : t('admin.teams.institution')}</td>
                  <td>{roleName(m)}</td>
                  <td>{formatDate(m.joinedAt, locale)}</td>
                  {canManage && (
                    <td className="text-end">
                      {leaving === m.id ? (
                        <LeaveForm locale={locale} team={team} member={m} label={memberName(m)} onCancel={() => setLeaving(undefined)} onDone={() => { setLeaving(undefined); announce(`${t('admin.teams.leaveRecorded')}: ${memberName(m)}`); }} />
                      ) : (
                        <button type="button" className="btn btn-sm btn-outline-danger text-nowrap" onClick={() => setLeaving(m.id)} aria-label={`${t('admin.teams.recordLeave')}: ${memberName(m)}`}>
                          {t('admin.teams.recordLeave')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        {left.length > 0 && (
          <div className="table-responsive">
            <table className="table table-sm" style={MUTED_TABLE} data-testid="team-history">
              <caption className="caption-top">{t('admin.teams.history')} ({left.length})</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.teams.member')}</th>
                  <th scope="col">{t('admin.teams.role')}</th>
                  <th scope="col">{t('admin.teams.joined')}</th>
                  <th scope="col">{t('admin.teams.left')}</th>
                </tr>
              </thead>
              <tbody>
                {left.map((m) => (
                  <tr key={m.id}>
                    <td><s aria-hidden="true">{memberName(m)}</s><span className="visually-hidden">{memberName(m)}</span></td>
                    <td>{roleName(m)}</td>
                    <td>{formatDate(m.joinedAt, locale)}</td>
                    <td>{formatDate(m.leftAt, locale)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}

        {canManage &&
          (adding ? (
            <AddMemberForm locale={locale} team={team} institutions={institutions.filter((i) => i.regionId === team.regionId && i.active)} people={people} memberRoles={kind?.memberRoles ?? []} onClose={() => setAdding(false)} onAdded={(name) => { setAdding(false); announce(`${t('admin.teams.memberAdded')} ${name}`); }} />
          ) : (
            <button type="button" className="btn btn-sm btn-outline-primary" onClick={() => setAdding(true)} aria-label={`${t('admin.teams.addMember')}: ${team.name}`}>
              + {t('admin.teams.addMember')}
            </button>
          ))}
      </div>
    </section>
  );
}

function AddMemberForm({ locale, team, institutions, people, memberRoles, onClose, onAdded }: { locale: TLocale; team: TTeamView; institutions: TInstitutionView[]; people: TPerson[]; memberRoles: { value: string; label: { pl: string; en?: string } }[]; onClose: () => void; onAdded: (name: string) => void }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction({ conflictMessage: t('admin.conflict') });
  const [type, setType] = useState<'institution' | 'person'>('institution');
  const [institutionId, setInstitutionId] = useState('');
  const p = `add-${team._id}`;
  const candidates = people.filter((x) => x.institutionIds.includes(institutionId));

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = compact(Object.fromEntries(new FormData(e.currentTarget)));
    const body = { revision: team.revision, type, institutionId, ...(v.userId ? { userId: v.userId } : {}), ...(v.role ? { role: v.role } : {}), ...(v.joinedAt ? { joinedAt: v.joinedAt } : {}) };
    const saved = await action.run(() => apiFetch<TTeamView>(`/api/teams/${team._id}/members`, { method: 'POST', body }));
    if (saved) {
      const inst = institutions.find((i) => i._id === institutionId)?.name ?? '';
      const person = people.find((x) => x.id === v.userId)?.name;
      onAdded(person ? `${person} (${inst})` : inst);
      router.refresh();
    }
  }

  const err = action.fieldError;
  return (
    <div className="border rounded p-3 bg-light-subtle">
      <h3 className="h6">{t('admin.teams.addMember')}</h3>
      <FormAlert action={action} />
      <form onSubmit={onSubmit} noValidate className="row">
        <fieldset className="col-12 mb-2">
          <legend className="form-label fs-6">{t('admin.teams.memberType')}</legend>
          {(['institution', 'person'] as const).map((k) => (
            <div className="form-check form-check-inline" key={k}>
              <input className="form-check-input" type="radio" id={`${p}-type-${k}`} name={`${p}-type`} checked={type === k} onChange={() => setType(k)} />
              <label className="form-check-label" htmlFor={`${p}-type-${k}`}>{k === 'person' ? t('admin.teams.person') : t('admin.teams.institution')}</label>
            </div>
          ))}
        </fieldset>
        <SelectField className="col-md-6 mb-3" id={`${p}-institution`} name="institutionId" required label={t('admin.users.institution')} value={institutionId} onChange={(e) => setInstitutionId(e.target.value)} placeholder={t('admin.choose')} options={institutions.map((i) => ({ value: i._id, label: i.name }))} error={err('institutionId')} />
        {type === 'person' && (
          <SelectField className="col-md-6 mb-3" id={`${p}-user`} name="userId" required label={t('admin.teams.person')} placeholder={t('admin.choose')} options={candidates.map((x) => ({ value: x.id, label: x.name }))} error={err('userId')} hint={candidates.length ? undefined : t('admin.teams.noPeople')} />
        )}
        <SelectField className="col-md-6 mb-3" id={`${p}-role`} name="role" label={t('admin.teams.role')} placeholder={t('admin.none')} options={memberRoles.map((r) => ({ value: r.value, label: pickLabel(r.label, locale, r.value) }))} error={err('role')} />
        <TextField className="col-md-6 mb-3" id={`${p}-joined`} name="joinedAt" type="date" defaultValue={todayIso()} label={t('admin.teams.joined')} error={err('joinedAt')} />
        <div className="col-12 d-flex gap-2">
          <SubmitButton busy={action.busy} label={t('admin.add')} busyLabel={t('admin.saving')} />
          <button type="button" className="btn btn-outline-secondary" onClick={onClose}>{t('admin.close')}</button>
        </div>
      </form>
    </div>
  );
}

function LeaveForm({ locale, team, member, label, onDone, onCancel }: { locale: TLocale; team: TTeamView; member: TMember; label: string; onDone: () => void; onCancel: () => void }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction({ conflictMessage: t('admin.conflict') });
  const id = `leave-${member.id}`;

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = compact(Object.fromEntries(new FormData(e.currentTarget)));
    const saved = await action.run(() => apiFetch<TTeamView>(`/api/teams/${team._id}/members/${member.id}/leave`, { method: 'POST', body: { revision: team.revision, ...(v.leftAt ? { leftAt: v.leftAt } : {}) } }));
    if (saved) {
      onDone();
      router.refresh();
    }
  }

  return (
    <form onSubmit={onSubmit} className="d-inline-flex flex-wrap gap-2 align-items-end text-start" aria-label={`${t('admin.teams.recordLeave')}: ${label}`}>
      <FormAlert action={action} />
      <div>
        <label htmlFor={id} className="form-label small mb-0">{t('admin.teams.leaveDate')}</label>
        <input id={id} name="leftAt" type="date" className={`form-control form-control-sm ${action.fieldError('leftAt') ? 'is-invalid' : ''}`} defaultValue={todayIso()} autoFocus />
      </div>
      <SubmitButton busy={action.busy} label={t('admin.teams.confirmLeave')} busyLabel={t('admin.saving')} className="btn btn-sm btn-danger" />
      <button type="button" className="btn btn-sm btn-outline-secondary" onClick={onCancel}>{t('admin.cancel')}</button>
    </form>
  );
}

function CreateTeamForm({ locale, units, packs }: { locale: TLocale; units: TUnitView[]; packs: TPackInfoByRegion }) {
  const t = translator(locale);
  const router = useRouter();
  const action = useAction();
  const [unitId, setUnitId] = useState('');
  const regionId = units.find((u) => u._id === unitId)?.regionId;
  const kinds = regionId ? (packs[regionId]?.teamKinds ?? []) : [];

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const v = compact(Object.fromEntries(new FormData(form)));
    const created = await action.run(() => apiFetch<TTeamView>('/api/teams', { method: 'POST', body: { kind: v.kind ?? '', name: v.name ?? '', orgUnitId: unitId } }), (x) => `${t('admin.teams.created')}: ${x.name}`);
    if (created) {
      form.reset();
      setUnitId('');
      router.refresh();
    }
  }

  const err = action.fieldError;
  return (
    <Panel title={t('admin.teams.add')} headingId="team-add">
      <FormAlert action={action} />
      <form onSubmit={onSubmit} noValidate className="row">
        <SelectField className="col-md-4 mb-3" id="team-unit" name="orgUnitId" required label={t('admin.teams.unit')} value={unitId} onChange={(e) => setUnitId(e.target.value)} placeholder={t('admin.choose')} options={unitOptions(units)} error={err('orgUnitId')} />
        <SelectField className="col-md-4 mb-3" id="team-kind" name="kind" required label={t('admin.teams.kind')} placeholder={t('admin.choose')} options={kinds.map((k) => ({ value: k.value, label: pickLabel(k.label, locale, k.value) }))} error={err('kind')} hint={unitId ? undefined : t('admin.teams.kindHint')} />
        <TextField className="col-md-4 mb-3" id="team-name" name="name" required label={t('admin.name')} error={err('name')} />
        <div className="col-12">
          <SubmitButton busy={action.busy} label={t('admin.teams.add')} busyLabel={t('admin.saving')} />
        </div>
      </form>
    </Panel>
  );
}
