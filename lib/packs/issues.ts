import { AppError } from '@/lib/errors';

/** One validation finding: which file, where in it (JSON path), what is wrong and what to do. */
export interface TPackIssue {
  file: string;
  path: string;
  message: string;
  hint: string;
}

/** `file:path — message (hint)`, the one way issues are printed (CLI, boot log, admin UI). */
export function formatIssue(i: TPackIssue): string {
  return `${i.file}:${i.path || '(root)'} — ${i.message} (${i.hint})`;
}

export function formatIssues(issues: TPackIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** The error thrown when a pack does not validate; its message lists every issue. */
export function toPackValidationError(packLabel: string, issues: TPackIssue[]): AppError {
  return new AppError('validation', `Pack ${packLabel} is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${formatIssues(issues)}`, {
    details: issues.map((i) => ({ path: `${i.file}:${i.path}`, message: `${i.message} (${i.hint})` })),
  });
}

/** JSON path from zod-style segments: `roles.animator.permissions[0]`. */
export function joinPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? String(s) : `.${String(s)}`;
  return out;
}
