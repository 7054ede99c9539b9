import { formatMessage, type TLocale, type TMessageKey } from '@/lib/i18n/messages';

/**
 * Small helpers shared by the case screens (server and client): the i18n table with `{name}`
 * placeholders filled in, and dates shown in the Polish time zone whatever the server's zone is.
 */
export type TTranslate = (key: TMessageKey, vars?: Record<string, string | number>) => string;

export function caseTranslator(locale: TLocale): TTranslate {
  return (key, vars) => formatMessage(locale, key, vars);
}

const TIME_ZONE = 'Europe/Warsaw';
const tag = (locale: TLocale) => (locale === 'pl' ? 'pl-PL' : 'en-GB');

function toDate(d: Date | string | undefined | null): Date | null {
  if (!d) return null;
  const x = d instanceof Date ? d : new Date(d);
  return Number.isNaN(x.getTime()) ? null : x;
}

export function formatDate(d: Date | string | undefined | null, locale: TLocale): string {
  const x = toDate(d);
  return x ? new Intl.DateTimeFormat(tag(locale), { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: TIME_ZONE }).format(x) : '—';
}

export function formatDateTime(d: Date | string | undefined | null, locale: TLocale): string {
  const x = toDate(d);
  return x ? new Intl.DateTimeFormat(tag(locale), { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE }).format(x) : '—';
}

export function formatTime(d: Date | string | undefined | null, locale: TLocale): string {
  const x = toDate(d);
  return x ? new Intl.DateTimeFormat(tag(locale), { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE }).format(x) : '—';
}

export const TASK_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type TTaskStatusKey = (typeof TASK_STATUSES)[number];

export const TASK_STATUS_BADGE: Record<TTaskStatusKey, string> = {
  open: 'text-bg-secondary',
  in_progress: 'text-bg-info',
  done: 'text-bg-success',
  cancelled: 'text-bg-light border',
};

export function isOverdue(dueAt: Date | string | undefined, status: string, at: Date | string): boolean {
  const due = toDate(dueAt);
  const ref = toDate(at);
  return Boolean(due && ref && (status === 'open' || status === 'in_progress') && due < ref);
}

/** Tasks assigned to a role carry role keys (`a,b`) as their label; shows the pack's role labels instead. */
export function assigneeLabelOf(a: { type: string; role?: string; label: string }, roleLabels: Record<string, string>): string {
  if (a.type !== 'role') return a.label;
  return (a.role ?? a.label)
    .split(',')
    .map((r) => roleLabels[r.trim()] ?? r)
    .join(', ');
}
