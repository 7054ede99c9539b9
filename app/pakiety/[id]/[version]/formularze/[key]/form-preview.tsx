'use client';

import { useState } from 'react';
import { apiFetch } from '@/components/api';
import { FormRenderer, type TFormData } from '@/components/forms/form-renderer';

/** The renderer with a submit that only asks the server to validate (nothing is stored). */
export function FormPreview({ form, validateUrl }: { form: object; validateUrl: string }) {
  const [valid, setValid] = useState(false);

  async function validate(data: TFormData) {
    setValid(false);
    await apiFetch(validateUrl, { method: 'POST', body: { data } });
    setValid(true);
  }

  return (
    <>
      {valid && (
        <div className="alert alert-success" role="status" data-testid="form-valid">
          Formularz poprawny — serwer przyjąłby te dane.
        </div>
      )}
      <FormRenderer form={form} onSubmit={validate} onChange={() => setValid(false)} submitLabel="Sprawdź" />
    </>
  );
}
