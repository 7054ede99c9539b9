import { describe, expect, it } from 'vitest';
import { checkFormDefinition } from './check-form';

const form = (components: unknown[]) => ({ name: 'test', title: 'Test', display: 'form', type: 'form', components });

describe('checkFormDefinition', () => {
  it('collects fields through panels, columns, tables and datagrids', () => {
    const { issues, fields } = checkFormDefinition(
      form([
        { type: 'panel', key: 'p1', components: [{ type: 'textfield', key: 'imie', label: 'Imię', validate: { required: true } }] },
        { type: 'columns', key: 'c1', columns: [{ components: [{ type: 'datetime', key: 'data', label: 'Data' }] }] },
        { type: 'table', key: 't1', rows: [[{ components: [{ type: 'number', key: 'liczba', label: 'Liczba' }] }]] },
        { type: 'datagrid', key: 'wiersze', label: 'Wiersze', components: [{ type: 'textfield', key: 'opis', label: 'Opis' }] },
      ]),
      { formKey: 'test' },
    );
    expect(issues).toEqual([]);
    expect(fields.get('imie')).toMatchObject({ type: 'textfield', required: true, label: 'Imię' });
    expect(fields.get('liczba')?.path).toBe('components[2].rows[0][0].components[0]');
    expect(fields.get('wiersze')?.columns).toEqual(['opis']);
    expect(fields.get('opis')?.grid).toBe('wiersze');
    expect(fields.has('p1')).toBe(false);
  });

  it('accepts JSON-logic and simple conditionals, empty code strings from the builder', () => {
    const { issues } = checkFormDefinition(
      form([
        { type: 'checkbox', key: 'a', label: 'A', calculateValue: '', customConditional: '', validate: { custom: '', json: { '!!': [{ var: 'data.a' }] } } },
        { type: 'textfield', key: 'b', label: 'B', conditional: { show: true, when: 'a', eq: 'true' } },
        { type: 'textfield', key: 'c', label: 'C', conditional: { json: { '==': [{ var: 'data.a' }, true] } } },
      ]),
    );
    expect(issues).toEqual([]);
  });

  it('rejects logic actions and triggers with JavaScript, wrong names and file storage', () => {
    const { issues } = checkFormDefinition(
      form([
        { type: 'textfield', key: 'a', label: 'A', logic: [{ trigger: { type: 'javascript', javascript: 'result = true' }, actions: [{ type: 'value', value: 'value = 1' }, { type: 'customAction', customAction: 'x()' }] }] },
        { type: 'file', key: 'skan', label: 'Skan', storage: 's3' },
        { type: 'textfield', key: 'Zła-nazwa', label: 'X' },
      ]),
      { formKey: 'inny' },
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'name: form name must be "inny" (the form key), found "test"',
      'components[0].logic[0].trigger.javascript: custom JavaScript is not allowed (logic trigger)',
      'components[0].logic[0].actions[0].value: custom JavaScript is not allowed (logic action value)',
      'components[0].logic[0].actions[1].customAction: custom JavaScript is not allowed (logic customAction)',
      'components[1].storage: file components must not configure storage',
      'components[2].key: component key "Zła-nazwa" is not camelCase ASCII',
    ]);
  });

  it('rejects dataSrc custom', () => {
    const { issues } = checkFormDefinition(form([{ type: 'select', key: 's', label: 'S', dataSrc: 'custom', data: { custom: 'values = []' } }]));
    expect(issues.map((i) => i.message)).toEqual(['dataSrc "custom" runs JavaScript and is not allowed']);
  });
});
