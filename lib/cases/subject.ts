import { z } from 'zod';

/** PESEL checksum (weights 1-3-7-9) and a plausible birth date encoded in it. */
export function isValidPesel(pesel: string): boolean {
  if (!/^\d{11}$/.test(pesel)) return false;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = w.reduce((acc, wi, i) => acc + wi * Number(pesel[i]), 0);
  if ((10 - (sum % 10)) % 10 !== Number(pesel[10])) return false;
  const mm = Number(pesel.slice(2, 4));
  const month = mm % 20;
  const dd = Number(pesel.slice(4, 6));
  return month >= 1 && month <= 12 && dd >= 1 && dd <= 31 && [0, 20, 40, 60, 80].includes(mm - month);
}

export const ZSubjectMember = z.object({
  id: z.string().min(1).max(60).optional(),
  firstName: z.string().trim().min(1, 'Podaj imię.').max(100),
  lastName: z.string().trim().min(1, 'Podaj nazwisko.').max(100),
  birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Data w formacie RRRR-MM-DD.').optional().or(z.literal('').transform(() => undefined)),
  relation: z.string().trim().max(100).optional(),
  pesel: z
    .string()
    .trim()
    .refine((v) => v === '' || isValidPesel(v), 'Nieprawidłowy numer PESEL (błędna suma kontrolna lub data).')
    .optional()
    .transform((v) => (v ? v : undefined)),
  contact: z.string().trim().max(200).optional(),
});

export const ZSubject = z.object({
  type: z.enum(['person', 'family', 'group', 'gmina', 'powiat']),
  name: z.string().trim().min(1, 'Podaj nazwę (np. nazwisko rodziny).').max(200),
  members: z.array(ZSubjectMember).max(50).default([]),
  address: z.string().trim().max(300).optional(),
});
export type TSubjectInput = z.input<typeof ZSubject>;
