'use client';

/** Thrown by `apiFetch` for a non-2xx answer: the problem document's detail and field errors, ready to show. */
export interface TApiError extends Error {
  status: number;
  code?: string;
  /** Field path → message (paths without the leading `body.`). */
  fieldErrors?: Record<string, string>;
  problem?: Record<string, unknown>;
}

/** The one way client components call the API: JSON in, JSON out, problem documents turned into TApiError. */
export async function apiFetch<T = unknown>(url: string, opts: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(url, {
    method: opts.method ?? 'GET',
    headers: opts.body === undefined ? undefined : { 'content-type': 'application/json' },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  const text = await res.text();
  const data = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (res.ok) return data as T;
  const errors = (data.errors as { path: string; message: string }[] | undefined) ?? [];
  const err = new Error(String(data.detail ?? `HTTP ${res.status}`)) as TApiError;
  err.status = res.status;
  err.code = data.code as string | undefined;
  err.problem = data;
  err.fieldErrors = Object.fromEntries(errors.map((e) => [e.path.replace(/^(body|query|params)\./, ''), e.message]));
  throw err;
}
