/** Time and duration formatting shared by the views. */

/** `1.2 s`, `3 min 4 s`, `2 h 5 min`, `340 ms`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) {
    return '';
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const s = ms / 1000;
  if (s < 60) {
    return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min ${Math.round(s % 60)} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * How long an experiment ran: start to end, or to now while it runs; ''
 * when unknown (an experiment that ended without an end time).
 */
export function formatRunDuration(e: {
  started: string;
  ended: string | null;
  status: string;
}): string {
  const start = Date.parse(e.started);
  const end = e.ended
    ? Date.parse(e.ended)
    : e.status === 'running'
      ? Date.now()
      : NaN;
  return formatDuration(end - start);
}

/** Local date and time, `2026-11-24 09:41:02`. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
