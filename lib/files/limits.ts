/**
 * What may be uploaded: the same limits Form.io enforces in the browser (lib/forms/prepare.ts sets
 * `fileMaxSize` and `filePattern` from here) and the upload route enforces on the server. Pure module.
 */
export const FILE_MAX_BYTES = 20 * 1024 * 1024;
export const FILE_MAX_SIZE_LABEL = '20MB';

/** Allowed types by extension, with the signature the content must start with (never trust the client's type). */
export const ALLOWED_FILE_TYPES = {
  pdf: { mime: 'application/pdf', magic: [[0x25, 0x50, 0x44, 0x46]] },
  jpg: { mime: 'image/jpeg', magic: [[0xff, 0xd8, 0xff]] },
  jpeg: { mime: 'image/jpeg', magic: [[0xff, 0xd8, 0xff]] },
  png: { mime: 'image/png', magic: [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]] },
  // DOCX and ODT are ZIP containers.
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', magic: [[0x50, 0x4b, 0x03, 0x04]] },
  odt: { mime: 'application/vnd.oasis.opendocument.text', magic: [[0x50, 0x4b, 0x03, 0x04]] },
} as const satisfies Record<string, { mime: string; magic: number[][] }>;

export type TAllowedExtension = keyof typeof ALLOWED_FILE_TYPES;

/** Form.io `filePattern` (accept attribute syntax). */
export const FILE_PATTERN = Object.keys(ALLOWED_FILE_TYPES).map((e) => `.${e}`).join(',');

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

export function isAllowedExtension(ext: string): ext is TAllowedExtension {
  return Object.prototype.hasOwnProperty.call(ALLOWED_FILE_TYPES, ext);
}

export function hasSignature(ext: TAllowedExtension, bytes: Uint8Array): boolean {
  return ALLOWED_FILE_TYPES[ext].magic.some((sig) => sig.every((b, i) => bytes[i] === b));
}
