import 'server-only';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import { PASSWORD_MIN_LENGTH } from './password';

/**
 * What a new password must be (NIST SP 800-63B §3.1.1.2): long (12+ characters, at most 200), not the
 * account's e-mail or name, and not a common or easily guessed one — judged by zxcvbn-ts with its
 * common-password and keyboard-pattern dictionaries (score below 3 = "guessable within 10^8 tries"),
 * the account's own e-mail and name counting as known words. No composition rules.
 */
export const PASSWORD_MAX_LENGTH = 200;
const MIN_SCORE = 3;
/** zxcvbn's cost grows with length; past this many characters a password is long enough on its own. */
const SCORED_PREFIX = 64;

let zxcvbn: ZxcvbnFactory | undefined;

export interface TPasswordOwner {
  email: string;
  name?: string;
}

/** The reason the password is refused (Polish, for the user), or null when it may be used. */
export function passwordPolicyProblem(password: string, owner?: TPasswordOwner): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Hasło musi mieć co najmniej ${PASSWORD_MIN_LENGTH} znaków.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Hasło może mieć najwyżej ${PASSWORD_MAX_LENGTH} znaków.`;
  const lower = password.toLowerCase();
  const email = owner?.email.toLowerCase();
  if (email && (lower === email || lower === email.split('@')[0])) return 'Hasło nie może być adresem e-mail konta.';
  const inputs = [email, email?.split('@')[0], ...(owner?.name ?? '').toLowerCase().split(/\s+/)].filter((s): s is string => Boolean(s && s.length > 2));
  zxcvbn ??= new ZxcvbnFactory({ dictionary: { ...zxcvbnCommon.dictionary }, graphs: zxcvbnCommon.adjacencyGraphs });
  if (zxcvbn.check(password.slice(0, SCORED_PREFIX), inputs).score < MIN_SCORE) {
    return 'To hasło jest zbyt popularne lub łatwe do odgadnięcia — wybierz dłuższe, mniej przewidywalne (np. kilka niepowiązanych słów).';
  }
  return null;
}
