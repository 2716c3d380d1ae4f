/** Small formatting helpers shared by the views. */

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

/** Create an element with a class and text (always as text, never HTML). */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/** Offer text as a file download. */
export function downloadText(
  name: string,
  text: string,
  type = 'text/plain'
): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The mark of an experiment a training script wrote from outside a kernel
 * (`python train.py`): its command line as the tooltip when known. Text
 * only, never HTML.
 */
export function scriptBadge(
  argv: readonly string[] | null,
  trans: { __: (msgid: string, ...args: unknown[]) => string }
): HTMLSpanElement {
  const badge = el(
    'span',
    'jp-Labbook-badge jp-mod-script',
    trans.__('script')
  );
  badge.title = argv
    ? trans.__(
        'Run by a script outside a kernel: %1',
        `python ${argv.join(' ')}`
      )
    : trans.__('Run by a script outside a kernel');
  return badge;
}
