/**
 * ISO-8601 durations as the packs write them ("P3M", "P13M", "P14D", "PT12H", "P1Y2M"). Calendar-aware:
 * months and years move the date in the calendar (31 Jan + P1M = 28/29 Feb, as people expect).
 */
const RE = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function parseDuration(iso: string): { years: number; months: number; days: number; ms: number } {
  const m = RE.exec(iso);
  if (!m) throw new Error(`Not an ISO-8601 duration: ${iso}`);
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), days: n(3) * 7 + n(4), ms: ((n(5) * 60 + n(6)) * 60 + n(7)) * 1000 };
}

export function addDuration(date: Date, iso: string, sign: 1 | -1 = 1): Date {
  const d = parseDuration(iso);
  const out = new Date(date.getTime());
  const totalMonths = sign * (d.years * 12 + d.months);
  if (totalMonths) {
    const day = out.getUTCDate();
    out.setUTCDate(1);
    out.setUTCMonth(out.getUTCMonth() + totalMonths);
    const last = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
    out.setUTCDate(Math.min(day, last));
  }
  out.setUTCDate(out.getUTCDate() + sign * d.days);
  return new Date(out.getTime() + sign * d.ms);
}
