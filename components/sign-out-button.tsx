'use client';

import { signOut } from 'next-auth/react';

export function SignOutButton({ label }: { label: string }) {
  return (
    <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => signOut({ callbackUrl: '/logowanie' })}>
      {label}
    </button>
  );
}
