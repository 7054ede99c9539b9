import Link from 'next/link';
import { PERMISSIONS, isPermission } from '@/lib/packs/permissions';
import { getLabelText, type TLabel, type TPack } from '@/lib/packs/schema';
import type { TResolvedPack } from '@/lib/packs/validate';

/**
 * A published pack as readable tables for ROPS administrators (Polish). Server component: pure rendering
 * of the resolved manifest and flow machines; no raw JSON except the rare filter expression.
 */
type TJson = Record<string, unknown>;
const isObject = (v: unknown): v is TJson => typeof v === 'object' && v !== null && !Array.isArray(v);
const pl = (l: TLabel | undefined) => getLabelText(l, 'pl');

const SCOPE: Record<string, string> = { institution: 'instytucja', gmina: 'gmina', powiat: 'powiat', region: 'województwo' };
const VISIBILITY: Record<string, string> = { shared: 'wspólny (zespół sprawy)', private: 'prywatny (instytucja)' };
const SUBJECT: Record<string, string> = { case: 'sprawa', implementation: 'wdrożenie', team: 'zespół', meeting: 'spotkanie', catalogue: 'katalog usług' };
const ACTION: Record<string, string> = { task: 'zadanie', reminder: 'przypomnienie', escalation: 'eskalacja' };
const KIND: Record<string, string> = { count: 'liczba', ratio: 'odsetek', sum: 'suma', average: 'średnia', duration: 'czas trwania' };
const SOURCE: Record<string, string> = {
  cases: 'sprawy', submissions: 'formularze', tasks: 'zadania', meetings: 'spotkania', consents: 'zgody', catalogue: 'katalog usług',
  implementations: 'wdrożenia', deadlines: 'terminy', teams: 'zespoły',
};

const UNITS: Array<[RegExp, [string, string, string]]> = [
  [/(\d+)Y/, ['rok', 'lata', 'lat']],
  [/(\d+)M/, ['miesiąc', 'miesiące', 'miesięcy']],
  [/(\d+)W/, ['tydzień', 'tygodnie', 'tygodni']],
  [/(\d+)D/, ['dzień', 'dni', 'dni']],
];
const TIME_UNITS: Array<[RegExp, [string, string, string]]> = [
  [/(\d+)H/, ['godzina', 'godziny', 'godzin']],
  [/(\d+)M/, ['minuta', 'minuty', 'minut']],
  [/(\d+)S/, ['sekunda', 'sekundy', 'sekund']],
];

function plural(n: number, [one, few, many]: [string, string, string]): string {
  if (n === 1) return `${n} ${one}`;
  const mod10 = n % 10;
  const mod100 = n % 100;
  return `${n} ${mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? few : many}`;
}

/** ISO-8601 duration in Polish words: `P3M` → „3 miesiące”, `PT12H` → „12 godzin”. */
export function formatDuration(iso: string | undefined): string {
  if (!iso) return '—';
  const [datePart, timePart = ''] = iso.slice(1).split('T');
  const parts: string[] = [];
  for (const [re, forms] of UNITS) {
    const m = datePart.match(re);
    if (m) parts.push(plural(Number(m[1]), forms));
  }
  for (const [re, forms] of TIME_UNITS) {
    const m = timePart.match(re);
    if (m) parts.push(plural(Number(m[1]), forms));
  }
  return parts.join(' ') || iso;
}

function roleLabeler(pack: TPack): (key: string) => string {
  const labels = new Map<string, string>();
  for (const [k, r] of Object.entries(pack.roles)) labels.set(k, pl(r.label));
  for (const tk of Object.values(pack.teamKinds)) for (const [k, r] of Object.entries(tk.memberRoles)) if (!labels.has(k)) labels.set(k, pl(r.label));
  return (key) => labels.get(key) ?? key;
}

function Badges({ items, label }: { items: string[]; label?: (k: string) => string }) {
  if (!items.length) return <span className="text-secondary">—</span>;
  return (
    <ul className="list-inline mb-0">
      {items.map((i) => (
        <li key={i} className="list-inline-item badge text-bg-light border fw-normal text-wrap text-start">
          {label ? label(i) : i}
        </li>
      ))}
    </ul>
  );
}

function Section({ id, title, count, children }: { id: string; title: string; count: number; children: React.ReactNode }) {
  return (
    <section className="mb-5" aria-labelledby={id}>
      <h2 className="h4 border-bottom pb-1" id={id}>
        {title} <span className="badge text-bg-secondary align-middle fs-6">{count}</span>
      </h2>
      {count === 0 ? <p className="text-secondary">Pakiet nie definiuje żadnych pozycji.</p> : children}
    </section>
  );
}

const ANY_STATE = '*';

interface TTransition {
  from: string;
  event: string;
  targets: string[];
}

/** Every `on` transition of an XState JSON machine, with state paths (`realizacja.monitoring`). */
function listTransitions(machine: unknown): { states: Array<{ path: string; final: boolean }>; transitions: TTransition[] } {
  const states: Array<{ path: string; final: boolean }> = [];
  const transitions: TTransition[] = [];
  const targetsOf = (def: unknown): string[] => {
    if (typeof def === 'string') return [def];
    if (Array.isArray(def)) return def.flatMap(targetsOf);
    if (isObject(def)) return targetsOf(def.target);
    return [];
  };
  const raw: Array<{ from: string; event: string; targets: string[] }> = [];
  const walk = (node: unknown, path: string) => {
    if (!isObject(node)) return;
    if (path) states.push({ path, final: node.type === 'final' });
    if (isObject(node.on)) for (const [event, def] of Object.entries(node.on)) raw.push({ from: path, event, targets: targetsOf(def) });
    if (isObject(node.states)) for (const [k, child] of Object.entries(node.states)) walk(child, path ? `${path}.${k}` : k);
  };
  walk(machine, '');
  const known = new Set(states.map((s) => s.path));
  // XState targets: `.child` is a child of the source, a plain key is a sibling of the source.
  const resolve = (from: string, target: string): string => {
    if (target.startsWith('.')) return `${from}${target}`;
    const parent = from.includes('.') ? from.slice(0, from.lastIndexOf('.')) : '';
    const sibling = parent ? `${parent}.${target}` : target;
    return known.has(sibling) ? sibling : target.replace(/^#[^.]*\./, '');
  };
  for (const t of raw) transitions.push({ from: t.from || ANY_STATE, event: t.event, targets: t.targets.map((x) => resolve(t.from, x)) });
  return { states, transitions };
}

function anchorText(anchor: TPack['deadlines'][string]['anchor'], pack: TPack): string {
  if ('event' in anchor) {
    const [flow, event] = anchor.event.split('.');
    return `zdarzenie „${pl(pack.flows[flow]?.events[event]?.label) || event}”`;
  }
  if ('form' in anchor) return `pole „${anchor.field}” formularza „${pl(pack.forms[anchor.form]?.title) || anchor.form}”`;
  if ('byFlow' in anchor) return 'uruchomienie przez krok przepływu';
  const [flow, ...rest] = anchor.state.split('.');
  const state = rest.join('.');
  return `wejście w etap „${pl(pack.flows[flow]?.states[state]?.label) || state}”`;
}

export function PackView({ id, version, pack }: { id: string; version: string; pack: TResolvedPack }) {
  const m = pack.manifest;
  const roleLabel = roleLabeler(m);
  const eventLabel = (flow: string, event: string) => pl(m.flows[flow]?.events[event]?.label) || event;
  const toc: Array<[string, string]> = [
    ['role', 'Role'], ['zespoly', 'Rodzaje zespołów'], ['slowniki', 'Słowniki'], ['formularze', 'Formularze'],
    ['przeplywy', 'Przepływy'], ['terminy', 'Terminy'], ['wskazniki', 'Wskaźniki'],
  ];
  return (
    <>
      <nav aria-label="Spis treści" className="mb-4">
        <ul className="nav nav-pills small">
          {toc.map(([href, label]) => (
            <li className="nav-item" key={href}>
              <a className="nav-link" href={`#${href}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>

      <Section id="role" title="Role" count={Object.keys(m.roles).length}>
        <div className="table-responsive">
          <table className="table table-sm align-top">
            <thead><tr><th scope="col">Rola</th><th scope="col">Zasięg</th><th scope="col">Uprawnienia</th></tr></thead>
            <tbody>
              {Object.entries(m.roles).map(([k, r]) => (
                <tr key={k}>
                  <th scope="row" className="fw-normal">
                    <strong>{pl(r.label)}</strong> <code className="small text-secondary d-block">{k}</code>
                    {r.description && <span className="small text-secondary">{pl(r.description)}</span>}
                  </th>
                  <td>{SCOPE[r.scope] ?? r.scope}</td>
                  <td><Badges items={r.permissions} label={(p) => (isPermission(p) ? PERMISSIONS[p].pl : p)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="zespoly" title="Rodzaje zespołów" count={Object.keys(m.teamKinds).length}>
        {Object.entries(m.teamKinds).map(([k, tk]) => (
          <div key={k} className="mb-3">
            <h3 className="h6">
              {pl(tk.label)} <code className="small text-secondary">{k}</code>{' '}
              <span className="badge text-bg-light border fw-normal">{tk.scope === 'case' ? 'zespół sprawy' : 'zespół stały'}</span>
            </h3>
            <table className="table table-sm align-top">
              <thead><tr><th scope="col">Rola w zespole</th><th scope="col">Jedna osoba</th><th scope="col">Uprawnienia</th></tr></thead>
              <tbody>
                {Object.entries(tk.memberRoles).map(([rk, r]) => (
                  <tr key={rk}>
                    <th scope="row" className="fw-normal">{pl(r.label)} <code className="small text-secondary">{rk}</code></th>
                    <td>{r.single ? 'tak' : 'nie'}</td>
                    <td><Badges items={r.permissions} label={(p) => (isPermission(p) ? PERMISSIONS[p].pl : p)} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </Section>

      <Section id="slowniki" title="Słowniki" count={Object.keys(m.dictionaries).length}>
        <div className="row g-3">
          {Object.entries(m.dictionaries).map(([k, d]) => (
            <div className="col-md-6" key={k}>
              <div className="card h-100">
                <div className="card-body">
                  <h3 className="h6 card-title">{pl(d.label)} <code className="small text-secondary">{k}</code></h3>
                  <table className="table table-sm mb-0">
                    <thead><tr><th scope="col">Wartość</th><th scope="col">Etykieta</th></tr></thead>
                    <tbody>
                      {d.options.map((o) => (
                        <tr key={o.value}><td><code>{o.value}</code></td><td>{pl(o.label)}</td></tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          ))}
        </div>
      </Section>

      <Section id="formularze" title="Formularze" count={Object.keys(m.forms).length}>
        <div className="table-responsive">
          <table className="table table-sm align-top">
            <thead>
              <tr><th scope="col">Formularz</th><th scope="col">Wzór</th><th scope="col">Dotyczy</th><th scope="col">Widoczność</th><th scope="col">Wypełniają</th><th scope="col">Czytają</th><th scope="col">Wielokrotny</th></tr>
            </thead>
            <tbody>
              {Object.entries(m.forms).map(([k, f]) => {
                const title = pl(f.title) || String((pack.forms[k] as TJson | undefined)?.title ?? k);
                return (
                  <tr key={k}>
                    <th scope="row" className="fw-normal">
                      <Link href={`/pakiety/${id}/${version}/formularze/${k}`}>{title}</Link> <code className="small text-secondary d-block">{k}</code>
                    </th>
                    <td>{f.template ?? '—'}</td>
                    <td>{SUBJECT[f.subject] ?? f.subject}</td>
                    <td>{VISIBILITY[f.visibility] ?? f.visibility}</td>
                    <td><Badges items={f.fill} label={roleLabel} /></td>
                    <td><Badges items={f.read} label={roleLabel} /></td>
                    <td>{f.repeatable ? 'tak' : 'nie'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="przeplywy" title="Przepływy" count={Object.keys(m.flows).length}>
        {Object.entries(m.flows).map(([fk, flow]) => {
          const { states, transitions } = listTransitions(pack.flows[fk]);
          const initial = isObject(pack.flows[fk]) ? String((pack.flows[fk] as TJson).initial ?? '') : '';
          return (
            <div key={fk} className="mb-4">
              <h3 className="h5">
                {pl(flow.title) || fk} <code className="small text-secondary">{fk}</code>{' '}
                <span className="badge text-bg-light border fw-normal">{SUBJECT[flow.subject] ?? flow.subject}</span>
                {flow.teamKind && <span className="badge text-bg-light border fw-normal ms-1">zespół: {pl(m.teamKinds[flow.teamKind]?.label) || flow.teamKind}</span>}
              </h3>
              <h4 className="h6 mt-3">Etapy i przejścia</h4>
              <table className="table table-sm align-top">
                <thead><tr><th scope="col">Etap</th><th scope="col">Przejścia (zdarzenie → etap)</th></tr></thead>
                <tbody>
                  {[...(transitions.some((t) => t.from === ANY_STATE) ? [{ path: ANY_STATE, final: false }] : []), ...states].map((s) => {
                    const out = transitions.filter((t) => t.from === s.path);
                    return (
                      <tr key={s.path}>
                        <th scope="row" className="fw-normal">
                          {s.path === ANY_STATE ? <em>W każdym etapie</em> : <>{pl(flow.states[s.path]?.label) || s.path} <code className="small text-secondary d-block">{s.path}</code></>}
                          {s.path === initial && <span className="badge text-bg-primary me-1">początkowy</span>}
                          {s.final && <span className="badge text-bg-dark">końcowy</span>}
                        </th>
                        <td>
                          {out.length === 0 ? (
                            <span className="text-secondary">—</span>
                          ) : (
                            <ul className="list-unstyled mb-0">
                              {out.map((t) => (
                                <li key={t.event}>
                                  {eventLabel(fk, t.event)} → {t.targets.length ? t.targets.map((x) => pl(flow.states[x]?.label) || x).join(', ') : <em>bez zmiany etapu</em>}
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <h4 className="h6 mt-3">Zdarzenia i kto może je wysłać</h4>
              <table className="table table-sm align-top">
                <thead><tr><th scope="col">Zdarzenie</th><th scope="col">Mogą wysłać</th><th scope="col">Wymagane formularze</th><th scope="col">Potwierdzenie</th></tr></thead>
                <tbody>
                  {Object.entries(flow.events).map(([ek, e]) => (
                    <tr key={ek}>
                      <th scope="row" className="fw-normal">{pl(e.label)} <code className="small text-secondary d-block">{ek}</code></th>
                      <td><Badges items={e.roles} label={roleLabel} /></td>
                      <td><Badges items={e.forms} label={(f) => pl(m.forms[f]?.title) || f} /></td>
                      <td className="small">{e.confirm ? pl(e.confirm) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        })}
      </Section>

      <Section id="terminy" title="Terminy" count={Object.keys(m.deadlines).length}>
        <div className="table-responsive">
          <table className="table table-sm align-top">
            <thead><tr><th scope="col">Reguła</th><th scope="col">Liczone od</th><th scope="col">Termin</th><th scope="col">Działanie</th><th scope="col">Dla ról</th><th scope="col">Eskalacja</th><th scope="col">Kończy</th></tr></thead>
            <tbody>
              {Object.entries(m.deadlines).map(([k, r]) => (
                <tr key={k}>
                  <th scope="row" className="fw-normal">{pl(r.label)} <code className="small text-secondary d-block">{k}</code></th>
                  <td>{anchorText(r.anchor, m)}</td>
                  <td>
                    {r.offset ? `${r.before ? 'na' : 'po'} ${formatDuration(r.offset)}${r.before ? ' przed' : ''}` : `co ${formatDuration(r.cadence?.every)}${r.cadence?.count ? ` (${r.cadence.count} razy)` : ''}`}
                  </td>
                  <td>{ACTION[r.action] ?? r.action}</td>
                  <td><Badges items={r.roles} label={roleLabel} /></td>
                  <td>{r.escalateAfter ? `po ${formatDuration(r.escalateAfter)}${r.escalateTo?.length ? ` do: ${r.escalateTo.map(roleLabel).join(', ')}` : ' do koordynatora'}` : '—'}</td>
                  <td><Badges items={r.cancelOn} label={(x) => eventLabel(x.split('.')[0], x.split('.')[1] ?? x)} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="wskazniki" title="Wskaźniki" count={Object.keys(m.indicators).length}>
        <div className="table-responsive">
          <table className="table table-sm align-top">
            <thead><tr><th scope="col">Wskaźnik</th><th scope="col">Rodzaj</th><th scope="col">Źródło</th><th scope="col">Warunek</th><th scope="col">Grupowanie</th></tr></thead>
            <tbody>
              {Object.entries(m.indicators).map(([k, i]) => (
                <tr key={k}>
                  <th scope="row" className="fw-normal">
                    {pl(i.label)} <code className="small text-secondary d-block">{k}</code>
                    {i.description && <span className="small text-secondary">{pl(i.description)}</span>}
                  </th>
                  <td>{KIND[i.kind] ?? i.kind}{i.field ? ` (${i.field})` : ''}</td>
                  <td>{SOURCE[i.source] ?? i.source}</td>
                  <td className="small">
                    {Object.keys(i.filter).length ? <code>{JSON.stringify(i.filter)}</code> : 'wszystkie'}
                    {i.denominator && <> / <code>{JSON.stringify(i.denominator)}</code></>}
                  </td>
                  <td><Badges items={i.groupBy} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </>
  );
}
