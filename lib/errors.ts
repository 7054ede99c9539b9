/**
 * One error type with a small closed set of codes. Safe to import from client code.
 * The HTTP mapping lives here too, so there is one table to read.
 */
export const ERROR_CODES = {
  bad_request: 400,
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type TErrorCode = keyof typeof ERROR_CODES;

export interface TFieldError {
  /** JSON path of the offending input, e.g. `data.przeslanki` or `subject.members[0].pesel`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: TErrorCode;
  readonly details?: TFieldError[];
  /** Extra, non-sensitive facts for the client (e.g. the current revision on a conflict). */
  readonly meta?: Record<string, unknown>;

  constructor(code: TErrorCode, message: string, opts: { details?: TFieldError[]; meta?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = opts.details;
    this.meta = opts.meta;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'AppError' && 'code' in e);
}

/**
 * The 404 of each kind of addressed resource. A resource of another tenant (the policy's "not yours") and
 * an id that does not exist must answer the very same problem, or an id could be probed across tenants:
 * the policy module and every lookup build their 404 with `notFound(kind)`.
 */
const NOT_FOUND_MESSAGES: Record<string, string> = {
  case: 'Nie znaleziono sprawy.',
  task: 'Nie znaleziono zadania.',
  user: 'Nie znaleziono użytkownika.',
  institution: 'Nie znaleziono instytucji.',
  orgUnit: 'Nie znaleziono jednostki.',
  team: 'Nie znaleziono zespołu.',
  file: 'Nie znaleziono pliku.',
  document: 'Nie znaleziono dokumentu.',
  'catalogue-entry': 'Nie znaleziono wpisu katalogu.',
  'catalogue-proposal': 'Nie znaleziono propozycji zmiany.',
};

export function notFound(kind: string): AppError {
  return new AppError('not_found', NOT_FOUND_MESSAGES[kind] ?? 'Nie znaleziono zasobu.');
}

/** RFC 9457 problem document. */
export interface TProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: TErrorCode;
  instance?: string;
  requestId?: string;
  errors?: TFieldError[];
  [k: string]: unknown;
}

const TITLES: Record<TErrorCode, string> = {
  bad_request: 'Nieprawidłowe żądanie',
  validation: 'Błędy walidacji',
  unauthenticated: 'Wymagane logowanie',
  forbidden: 'Brak uprawnień',
  not_found: 'Nie znaleziono',
  conflict: 'Konflikt zmian',
  gone: 'Zasób usunięty',
  too_large: 'Za duże żądanie',
  rate_limited: 'Zbyt wiele prób',
  unavailable: 'Usługa niedostępna',
  internal: 'Błąd serwera',
};

export function toProblem(err: AppError, requestId?: string, instance?: string): TProblem {
  return {
    type: `https://kooperacja.example/problems/${err.code}`,
    title: TITLES[err.code],
    status: err.status,
    detail: err.message,
    code: err.code,
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...(err.details ? { errors: err.details } : {}),
    ...(err.meta ?? {}),
  };
}
