import { describe, expect, it } from 'vitest';
import { url } from './browser';

// Forms must work offline: the built app itself serves what Form.io lazy-loads (datetime calendar in
// Polish, code editors in the builder, rich text), copied by `npm run assets` before `next start`.
describe('self-hosted Form.io assets', () => {
  it.each([
    ['/formio-cdn/flatpickr-formio/flatpickr.min.js', 'javascript'],
    ['/formio-cdn/flatpickr-formio/flatpickr.min.css', 'css'],
    ['/formio-cdn/flatpickr-formio/l10n/flatpickr-pl.js', 'javascript'],
    ['/formio-cdn/ace/ace.js', 'javascript'],
    ['/formio-cdn/quill/quill.js', 'javascript'],
  ])('serves %s', async (pathname, type) => {
    const response = await fetch(url(pathname));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(type);
  });
});
