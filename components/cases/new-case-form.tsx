'use client';

import { useId, useState } from 'react';
import { useRouter } from 'next/navigation';
import { apiFetch, type TApiError } from '@/components/api';
import type { TLocale } from '@/lib/i18n/messages';
import { ApiErrorAlert, toApiError } from './api-error-alert';
import { caseTranslator, type TTranslate } from './format';

export interface TActingInstitution {
  id: string;
  name: string;
  gminas: { id: string; name: string }[];
}

interface TMemberDraft {
  key: string;
  firstName: string;
  lastName: string;
  birthDate: string;
  relation: string;
  pesel: string;
  contact: string;
}

const SUBJECT_TYPES = ['family', 'person', 'group'] as const;
// React list keys only (members have no id until the server gives them one).
let memberSeq = 0;
const emptyMember = (): TMemberDraft => ({ key: `m${++memberSeq}`, firstName: '', lastName: '', birthDate: '', relation: '', pesel: '', contact: '' });

function Field({ id, label, error, children, hint }: { id: string; label: string; error?: string; children: React.ReactNode; hint?: string }) {
  return (
    <div>
      <label htmlFor={id} className="form-label">
        {label}
      </label>
      {children}
      {hint && !error && (
        <div id={`${id}-hint`} className="form-text">
          {hint}
        </div>
      )}
      {error && (
        <div id={`${id}-error`} className="invalid-feedback d-block">
          {error}
        </div>
      )}
    </div>
  );
}

function MemberFields({ m, i, sent, t, errors, onChange, onRemove, canRemove }: { m: TMemberDraft; i: number; sent: number; t: TTranslate; errors: Record<string, string>; onChange: (m: TMemberDraft) => void; onRemove: () => void; canRemove: boolean }) {
  const base = useId();
  // Server paths count only the members that were sent (blank ones are left out).
  const err = (f: string) => (sent >= 0 ? errors[`subject.members.${sent}.${f}`] : undefined);
  const input = (f: keyof TMemberDraft, type = 'text', extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <input
      id={`${base}-${f}`}
      name={`members.${i}.${f}`}
      type={type}
      className={`form-control ${err(f) ? 'is-invalid' : ''}`}
      value={m[f]}
      aria-invalid={err(f) ? true : undefined}
      aria-describedby={err(f) ? `${base}-${f}-error` : undefined}
      onChange={(e) => onChange({ ...m, [f]: e.target.value })}
      {...extra}
    />
  );
  return (
    <fieldset className="border rounded p-3 mb-3" data-testid="member">
      <legend className="float-none w-auto px-2 fs-6 fw-semibold mb-0">{t('case.new.member', { n: i + 1 })}</legend>
      <div className="row g-3">
        <div className="col-md-4">
          <Field id={`${base}-firstName`} label={t('case.new.firstName')} error={err('firstName')}>
            {input('firstName', 'text', { required: true, autoComplete: 'off' })}
          </Field>
        </div>
        <div className="col-md-4">
          <Field id={`${base}-lastName`} label={t('case.new.lastName')} error={err('lastName')}>
            {input('lastName', 'text', { required: true, autoComplete: 'off' })}
          </Field>
        </div>
        <div className="col-md-4">
          <Field id={`${base}-relation`} label={t('case.new.relation')} error={err('relation')} hint={t('case.new.relationHint')}>
            {input('relation')}
          </Field>
        </div>
        <div className="col-md-4">
          <Field id={`${base}-birthDate`} label={t('case.new.birthDate')} error={err('birthDate')}>
            {input('birthDate', 'date')}
          </Field>
        </div>
        <div className="col-md-4">
          <Field id={`${base}-pesel`} label={t('case.new.pesel')} error={err('pesel')} hint={t('case.new.peselHint')}>
            {input('pesel', 'text', { inputMode: 'numeric', maxLength: 11, autoComplete: 'off' })}
          </Field>
        </div>
        <div className="col-md-4">
          <Field id={`${base}-contact`} label={t('case.new.contact')} error={err('contact')}>
            {input('contact')}
          </Field>
        </div>
      </div>
      {canRemove && (
        <button type="button" className="btn btn-sm btn-outline-danger mt-3" onClick={onRemove}>
          {t('case.new.removeMember', { n: i + 1 })}
        </button>
      )}
    </fieldset>
  );
}

const isFilled = (m: TMemberDraft) => Boolean(m.firstName.trim() || m.lastName.trim() || m.pesel.trim() || m.birthDate || m.relation.trim() || m.contact.trim());

/** Opens a case: acting institution, gmina, subject and its members → POST /api/cases → the case page. */
export function NewCaseForm({ institutions, locale }: { institutions: TActingInstitution[]; locale: TLocale }) {
  const t = caseTranslator(locale);
  const router = useRouter();
  const [institutionId, setInstitutionId] = useState(institutions[0].id);
  const gminas = institutions.find((i) => i.id === institutionId)?.gminas ?? [];
  const [orgUnitId, setOrgUnitId] = useState(gminas[0]?.id ?? '');
  const [type, setType] = useState<(typeof SUBJECT_TYPES)[number]>('family');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const [members, setMembers] = useState<TMemberDraft[]>([emptyMember()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<TApiError | null>(null);
  const errors = error?.fieldErrors ?? {};

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        orgUnitId,
        institutionId,
        subject: {
          type,
          name,
          ...(address.trim() ? { address } : {}),
          members: members
            .filter(isFilled)
            .map((m) => ({
              firstName: m.firstName,
              lastName: m.lastName,
              ...(m.birthDate ? { birthDate: m.birthDate } : {}),
              ...(m.relation.trim() ? { relation: m.relation } : {}),
              ...(m.pesel.trim() ? { pesel: m.pesel } : {}),
              ...(m.contact.trim() ? { contact: m.contact } : {}),
            })),
        },
      };
      const created = await apiFetch<{ _id: string }>('/api/cases', { method: 'POST', body });
      router.push(`/sprawy/${created._id}?utworzono=1`);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  }

  const shownFields = ['orgUnitId', 'institutionId', 'subject.name', 'subject.type', 'subject.address', ...members.filter(isFilled).flatMap((_, i) => ['firstName', 'lastName', 'birthDate', 'relation', 'pesel', 'contact'].map((f) => `subject.members.${i}.${f}`))];
  return (
    <form onSubmit={submit} noValidate aria-busy={busy} data-testid="new-case-form">
      <ApiErrorAlert error={error} t={t} shownFields={shownFields} className="mb-3" />
      <section className="card card-body mb-3" aria-labelledby="nc-where">
        <h2 id="nc-where" className="h5">
          {t('case.new.where')}
        </h2>
        <div className="row g-3">
          <div className="col-md-6">
            <Field id="nc-institution" label={t('case.new.institution')} error={errors.institutionId}>
              <select
                id="nc-institution"
                className="form-select"
                value={institutionId}
                onChange={(e) => {
                  setInstitutionId(e.target.value);
                  setOrgUnitId(institutions.find((i) => i.id === e.target.value)?.gminas[0]?.id ?? '');
                }}
              >
                {institutions.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="col-md-6">
            <Field id="nc-gmina" label={t('case.new.gmina')} error={errors.orgUnitId}>
              <select id="nc-gmina" className={`form-select ${errors.orgUnitId ? 'is-invalid' : ''}`} value={orgUnitId} onChange={(e) => setOrgUnitId(e.target.value)} required>
                {!gminas.length && <option value="">{t('case.new.noGmina')}</option>}
                {gminas.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </div>
      </section>

      <section className="card card-body mb-3" aria-labelledby="nc-subject">
        <h2 id="nc-subject" className="h5">
          {t('case.new.subject')}
        </h2>
        <fieldset className="mb-3">
          <legend className="form-label fs-6 mb-1">{t('case.new.subjectType')}</legend>
          <div className="d-flex flex-wrap gap-3">
            {SUBJECT_TYPES.map((s) => (
              <div className="form-check" key={s}>
                <input className="form-check-input" type="radio" name="subjectType" id={`nc-type-${s}`} value={s} checked={type === s} onChange={() => setType(s)} />
                <label className="form-check-label" htmlFor={`nc-type-${s}`}>
                  {t(`case.subject.${s}`)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <div className="row g-3">
          <div className="col-md-6">
            <Field id="nc-name" label={t('case.new.name')} error={errors['subject.name']} hint={t('case.new.nameHint')}>
              <input id="nc-name" className={`form-control ${errors['subject.name'] ? 'is-invalid' : ''}`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoComplete="off" />
            </Field>
          </div>
          <div className="col-md-6">
            <Field id="nc-address" label={t('case.new.address')} error={errors['subject.address']}>
              <input id="nc-address" className="form-control" value={address} onChange={(e) => setAddress(e.target.value)} maxLength={300} autoComplete="off" />
            </Field>
          </div>
        </div>
      </section>

      <section className="card card-body mb-3" aria-labelledby="nc-members">
        <h2 id="nc-members" className="h5">
          {t('case.new.members')}
        </h2>
        <p className="text-secondary small">{t('case.new.membersHint')}</p>
        {members.map((m, i) => (
          <MemberFields
            key={m.key}
            m={m}
            i={i}
            sent={isFilled(m) ? members.slice(0, i).filter(isFilled).length : -1}
            t={t}
            errors={errors}
            canRemove={members.length > 1}
            onChange={(next) => setMembers((all) => all.map((x) => (x.key === m.key ? next : x)))}
            onRemove={() => setMembers((all) => all.filter((x) => x.key !== m.key))}
          />
        ))}
        <div>
          <button type="button" className="btn btn-outline-primary" onClick={() => setMembers((all) => [...all, emptyMember()])}>
            {t('case.new.addMember')}
          </button>
        </div>
      </section>

      <div className="d-flex gap-2">
        <button type="submit" className="btn btn-primary" disabled={busy || !orgUnitId} aria-busy={busy} data-testid="create-case">
          {busy && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
          {busy ? t('case.new.creating') : t('case.new.create')}
        </button>
      </div>
    </form>
  );
}
