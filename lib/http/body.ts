import 'server-only';
import { AppError } from '@/lib/errors';

/**
 * Bounded request bodies. A body is refused before it is parsed: by its declared `Content-Length`
 * (413 before reading a byte), else while it streams in (reading stops at the limit), and a JSON
 * document nested deeper than the limit is refused by a linear scan of its text before `JSON.parse`
 * builds anything — so one request can neither exhaust memory nor keep the event loop busy with a
 * pathological document (the Form.io processors recurse per level; 10,000 levels overflowed the stack).
 */

/** Default size limit of a JSON body: a filled-in form with long free-text answers fits many times over. */
export const JSON_BODY_MAX_BYTES = 1024 * 1024;
/** Default nesting limit of a JSON body: the deepest pack form (a grid inside a grid row) needs about 8. */
export const JSON_MAX_DEPTH = 32;

function tooLarge(limit: number): AppError {
  return new AppError('too_large', `Treść żądania jest za duża (najwyżej ${formatBytes(limit)}).`, { meta: { limitBytes: limit } });
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / (1024 * 1024)) * 10) / 10} MB` : `${Math.round(n / 1024)} kB`;
}

/** The body's bytes, or `too_large` as soon as the declared or the streamed size passes `limit`. */
export async function readBodyBytes(req: Request, limit: number): Promise<Uint8Array> {
  const declared = req.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let step: ReadableStreamReadResult<Uint8Array>;
    try {
      step = await reader.read();
    } catch {
      throw new AppError('bad_request', 'Nie udało się odczytać treści żądania.');
    }
    if (step.done) break;
    size += step.value.byteLength;
    if (size > limit) {
      // Stop reading; whether the client notices the cancellation changes nothing for the answer.
      void reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(step.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Deepest nesting of objects/arrays in a JSON text, counted without parsing (strings skipped). Stops past `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > limit) return true;
    } else if (ch === 0x7d || ch === 0x5d) depth--;
  }
  return false;
}

export interface TJsonLimits {
  maxBytes: number;
  maxDepth: number;
}

/** Reads and parses a JSON body within the limits: 413 when too large, 400 when not JSON or nested too deep. */
export async function readJsonBody(req: Request, limits: TJsonLimits): Promise<unknown> {
  const type = req.headers.get('content-type') ?? '';
  if (!type.includes('application/json')) {
    throw new AppError('bad_request', 'Treść żądania musi być w formacie JSON (Content-Type: application/json).');
  }
  const bytes = await readBodyBytes(req, limits.maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('bad_request', 'Treść żądania nie jest poprawnym tekstem UTF-8.');
  }
  if (jsonDepthExceeds(text, limits.maxDepth)) {
    throw new AppError('bad_request', `Dokument JSON jest zagnieżdżony zbyt głęboko (najwyżej ${limits.maxDepth} poziomów).`, { meta: { maxDepth: limits.maxDepth } });
  }
  try {
    return JSON.parse(text, refusePrototypeKeys);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('bad_request', 'Treść żądania nie jest poprawnym dokumentem JSON.');
  }
}

/**
 * `__proto__` and `constructor.prototype` keys have no meaning in any of our documents and are the
 * prototype-pollution vector once a library merges or sets paths from them: refused outright (as
 * secure-json-parse does), never silently dropped.
 */
function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'))) {
    throw new AppError('bad_request', `Treść żądania zawiera niedozwolony klucz „${key}”.`);
  }
  return value;
}
