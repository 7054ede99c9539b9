import jsonpatch, { type Operation } from 'fast-json-patch';
import { AppError } from '@/lib/errors';

/**
 * What a studio draft edits: the resolved pack as one JSON document `{ pack, forms, flows }` (the
 * manifest, every Form.io form, every XState flow by key). Edits are RFC 6902 JSON-Patch operations
 * on it (fast-json-patch); templates (assets) are carried along unchanged. Pure; safe anywhere.
 */
export interface TDraftContent {
  pack: Record<string, unknown>;
  forms: Record<string, unknown>;
  flows: Record<string, unknown>;
}

export type TPatchOp = Operation;

/** Applies `ops` to a copy of `content`; a malformed or failing operation is a 400 naming it. */
export function applyOps(content: TDraftContent, ops: TPatchOp[]): TDraftContent {
  const err = jsonpatch.validate(ops, content);
  if (err) {
    throw new AppError('validation', `Operacja ${err.index === undefined ? '' : `nr ${err.index + 1} `}(${err.operation?.op ?? '?'} ${err.operation?.path ?? ''}) nie pasuje do pakietu: ${err.name}.`, {
      details: [{ path: err.operation?.path ?? '', message: err.message }],
    });
  }
  const out = jsonpatch.applyPatch(jsonpatch.deepClone(content) as TDraftContent, ops, false, true).newDocument;
  if (!out || typeof out.pack !== 'object' || typeof out.forms !== 'object' || typeof out.flows !== 'object') {
    throw new AppError('validation', 'Po zmianie dokument szkicu musi nadal mieć części „pack”, „forms” i „flows”.');
  }
  return out;
}

/** The operations that turn `from` into `to` (used for inverse operations, restore and diffs). */
export function opsBetween(from: TDraftContent, to: TDraftContent): TPatchOp[] {
  return jsonpatch.compare(from, to);
}

export function valueAt(doc: unknown, pointer: string): unknown {
  try {
    return jsonpatch.getValueByPointer(doc, pointer);
  } catch {
    return undefined;
  }
}

export function splitPointer(pointer: string): string[] {
  return pointer.split('/').slice(1).map(jsonpatch.unescapePathComponent);
}
