import 'server-only';
import { cookies } from 'next/headers';
import { DEFAULT_LOCALE, isLocale, translator, type TLocale } from './messages';

export const LOCALE_COOKIE = 'lang';

/** The UI language of this request: the `lang` cookie, Polish by default. */
export async function getLocale(): Promise<TLocale> {
  const v = (await cookies()).get(LOCALE_COOKIE)?.value;
  return isLocale(v) ? v : DEFAULT_LOCALE;
}

export async function getTranslator() {
  const locale = await getLocale();
  return { locale, t: translator(locale) };
}
