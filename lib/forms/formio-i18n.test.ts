import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMIO_STRINGS_PL, translateFormioMessage } from './formio-i18n';
import { validateSubmission } from './validate-submission';

describe('Form.io strings in Polish', () => {
  it('translates every user-visible renderer string Form.io defines (messages and template texts)', () => {
    // Keys of @formio/js's English table that users can see in a rendered form (builder/developer ones excluded).
    const en = fs.readFileSync(path.resolve(__dirname, '../../node_modules/@formio/js/lib/cjs/translations/en.js'), 'utf8');
    for (const key of ['required', 'invalidOption', 'maxLength', 'addAnother', 'remove', 'error', 'submitError', 'january', 'december', 'fileTooBig', 'wrongFileType', 'noResultsFound', 'typeToSearch', 'uploading']) {
      expect(en).toContain(`${key}:`);
      expect(FORMIO_STRINGS_PL[key], key).toBeTruthy();
    }
    const bootstrap = fs.readFileSync(path.resolve(__dirname, '../../node_modules/@formio/bootstrap/lib/cjs/translations/en.js'), 'utf8');
    for (const key of ['dropFilesToAttach', 'browse', 'fileName', 'size', 'editGridRow', 'deleteGridRow', 'add', 'delete', 'cancel', 'save']) {
      expect(bootstrap).toContain(`${key}:`);
      expect(FORMIO_STRINGS_PL[key], key).toBeTruthy();
    }
    expect(FORMIO_STRINGS_PL.addAnother).toBe('Dodaj');
  });

  it('translates @formio/core server messages through their English templates, keeping unknown ones', () => {
    expect(translateFormioMessage('Opis sytuacji is required')).toBe('Pole „Opis sytuacji” jest wymagane');
    expect(translateFormioMessage('Opis must have no more than 4000 characters.')).toBe('Pole „Opis” może mieć najwyżej 4000 znaków.');
    expect(translateFormioMessage('Zgłoszenie przez instytucję wymaga zgody osoby/rodziny')).toBe('Zgłoszenie przez instytucję wymaga zgody osoby/rodziny');
    expect(translateFormioMessage('Opis sytuacji is required', 'en')).toBe('Opis sytuacji is required');
    const form = { components: [{ type: 'select', key: 'status', label: 'Status', input: true, dataSrc: 'values', data: { values: [{ value: 'a', label: 'A' }] }, validate: { onlyAvailableItems: true } }] };
    const [error] = validateSubmission(form, { status: 'zzz' }).errors;
    expect(translateFormioMessage(error.message)).toBe('Wartość pola „Status” jest niedozwolona.');
  });
});
