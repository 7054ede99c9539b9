import type { Metadata } from 'next';

export const metadata: Metadata = { title: { default: 'Administracja', template: '%s · Administracja · Kooperacja' } };

export default function AdminLayout({ children }: { children: React.ReactNode }) {
  return children;
}
