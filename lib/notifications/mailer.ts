import 'server-only';
import nodemailer, { type Transporter } from 'nodemailer';
import { env } from '@/lib/env';

/**
 * The SMTP transport, created once per configured SMTP_URL (a changed URL — only in tests — gets a new
 * one). Lives on globalThis so that Next.js bundles and the worker share it.
 */
const KEY = Symbol.for('kooperacja.notifications.transport');
type G = typeof globalThis & { [KEY]?: { url: string; transport: Transporter } };

/** The transport, or null when SMTP_URL is unset (in-app notifications only). */
export function getMailTransport(): Transporter | null {
  const url = env().SMTP_URL;
  if (!url) return null;
  const g = globalThis as G;
  if (g[KEY]?.url !== url) {
    g[KEY]?.transport.close();
    // Short timeouts: a hanging server should fail the attempt and let the job engine retry later.
    g[KEY] = { url, transport: nodemailer.createTransport(url, { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 }) };
  }
  return g[KEY]!.transport;
}

export interface TNotificationEmail {
  subject: string;
  text: string;
}

/**
 * The whole e-mail: the notification's title, one generic sentence and an absolute link. Nothing else
 * of the notification goes out — e-mail leaves the platform's protection, and the body may name people.
 */
export function composeNotificationEmail(input: { title: string; link: string }): TNotificationEmail {
  const url = new URL(input.link, env().NEXTAUTH_URL).toString();
  return {
    subject: `Kooperacja: ${input.title}`,
    text: [
      'Dzień dobry,',
      '',
      `w platformie Kooperacja czeka na Ciebie nowe powiadomienie: ${input.title}.`,
      'Ze względu na ochronę danych osobowych szczegóły są widoczne wyłącznie po zalogowaniu:',
      url,
      '',
      '— Kooperacja (wiadomość wysłana automatycznie, prosimy na nią nie odpowiadać)',
    ].join('\n'),
  };
}
