import { z } from 'zod';
import type { TBaseDoc } from '@/lib/store/types';

/** What a notification is about; the list shows it as a badge. */
export const NOTIFICATION_KINDS = ['reminder', 'escalation', 'task', 'info'] as const;
export const ZNotificationKind = z.enum(NOTIFICATION_KINDS);
export type TNotificationKind = z.infer<typeof ZNotificationKind>;

export const NOTIFICATION_KIND_LABELS: Record<TNotificationKind, string> = {
  reminder: 'Przypomnienie',
  escalation: 'Eskalacja',
  task: 'Zadanie',
  info: 'Informacja',
};

/** Records the notification points at (for callers that want to find or clean up their notifications). */
export interface TNotificationRefs {
  caseId?: string;
  taskId?: string;
  entryId?: string;
}

/** One notification for one recipient (a user). */
export interface TNotification extends TBaseDoc {
  userId: string;
  kind: TNotificationKind;
  /** Short Polish title; also the e-mail subject, so never personal data of families. */
  title: string;
  /** Short Polish text shown in the app (the link's text); never e-mailed. */
  body: string;
  /** Relative URL inside the app (`/sprawy/…`). */
  link: string;
  regionId: string;
  powiatId?: string;
  gminaId?: string;
  refs?: TNotificationRefs;
  /** `<caller's dedupeKey>/<userId>`: unique, so a deadline firing twice notifies once. */
  dedupeKey?: string;
  /** Unset while unread. */
  readAt?: Date;
  /** Set once the e-mail has been handed to the SMTP server. */
  emailedAt?: Date;
}

/** What the API and the list screen show (no internal fields). */
export interface TNotificationView {
  id: string;
  kind: TNotificationKind;
  title: string;
  body: string;
  link: string;
  createdAt: string;
  readAt?: string;
}

export function toNotificationView(n: TNotification): TNotificationView {
  return {
    id: n._id,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: n.link,
    createdAt: new Date(n.createdAt).toISOString(),
    ...(n.readAt ? { readAt: new Date(n.readAt).toISOString() } : {}),
  };
}

/** Accessible text of the bell: "Powiadomienia: 3 nieprzeczytane powiadomienia" (Polish plural forms). */
export function describeUnread(count: number): string {
  if (count === 0) return 'Powiadomienia: brak nieprzeczytanych';
  const form = new Intl.PluralRules('pl-PL').select(count);
  const words = form === 'one' ? 'nieprzeczytane powiadomienie' : form === 'few' ? 'nieprzeczytane powiadomienia' : 'nieprzeczytanych powiadomień';
  return `Powiadomienia: ${count} ${words}`;
}
