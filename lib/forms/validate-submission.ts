import 'server-only';
import { Evaluator, interpolateErrors, Processors, processSync } from '@formio/core';
import { translateFormioMessage } from './formio-i18n';
import { choiceValuesProcessInfo } from './choice-values';

/**
 * Server-side re-validation of a Form.io submission against the pinned form definition (the browser's
 * validation is a convenience; this is the authority). Embedded JavaScript never runs on the server
 * (`Evaluator.noeval`); packs are also refused by the validator when they carry any (lib/forms/check-form.ts).
 * The returned `data` is what must be stored: unknown keys dropped, hidden/conditional fields cleared.
 */
Evaluator.noeval = true;

export interface TSubmissionError {
  /** Path of the field, e.g. `zadania[0].zadanie`. */
  path: string;
  message: string;
}

export interface TSubmissionResult {
  data: Record<string, unknown>;
  errors: TSubmissionError[];
}

interface TFormDefinition {
  components: unknown[];
  [k: string]: unknown;
}

type TProcessScope = { errors: Parameters<typeof interpolateErrors>[0]; [k: string]: unknown };

function toPath(p: unknown): string {
  if (Array.isArray(p)) return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`)).join('');
  return String(p ?? '');
}

export function validateSubmission(form: TFormDefinition, input: Record<string, unknown>): TSubmissionResult {
  // processSync mutates what it is given; work on a copy so the caller's object stays untouched.
  const data = structuredClone(input ?? {});
  const submission = { data };
  const context = {
    form,
    submission,
    data,
    components: structuredClone(form.components),
    processors: [...Processors, choiceValuesProcessInfo],
    scope: { errors: [] } as TProcessScope,
    config: { server: true },
  };
  // @formio/core types its context loosely (components are `any`-shaped JSON); the cast stays here.
  const scope = processSync(context as unknown as Parameters<typeof processSync<TProcessScope>>[0]);
  const errors = interpolateErrors(scope.errors).map((e) => ({ path: toPath(e.path ?? e.context?.path), message: translateFormioMessage(e.message, 'pl') }));
  // The filter processor replaces `context.data` with only the keys the form declares.
  return { data: context.data as Record<string, unknown>, errors };
}
