/**
 * The runs table's columns as shown: a header label and width per column
 * key, and a cell's text with its full value (the tooltip). Numbers read
 * short (`formatNumber`), in full on hover; long text is cut, in full on
 * hover. Everything is returned as text for `textContent`.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { IExperimentSummary } from '../../core/index/summary';
import { formatNumber, fullNumber } from '../../core/format/number';
import type { FieldValue } from '../../core/query';
import { cellText } from '../../core/report/runsexport';
import { formatDuration, formatTime } from '../ui/format';

/** The fields a column can show besides params and metrics. */
export const SIMPLE_COLUMNS = [
  'name',
  'status',
  'started',
  'ended',
  'duration',
  'tags',
  'notebook',
  'project',
  'executions',
  'starred',
  'archived',
  'kernel',
  'id',
  'notes'
];

const WIDTHS: { [key: string]: number } = {
  name: 240,
  status: 90,
  started: 165,
  ended: 165,
  duration: 90,
  tags: 180,
  notebook: 200,
  id: 220,
  notes: 200
};

/** A column's width in pixels. */
export function columnWidth(key: string): number {
  return WIDTHS[key] ?? 120;
}

/** A column's header: the field's name, or the key of a param or metric. */
export function columnLabel(key: string, t: TranslationBundle): string {
  const labels: { [key: string]: string } = {
    name: t.__('Name'),
    status: t.__('Status'),
    started: t.__('Started'),
    ended: t.__('Ended'),
    duration: t.__('Duration'),
    tags: t.__('Tags'),
    notebook: t.__('Notebook'),
    project: t.__('Project'),
    executions: t.__('Executions'),
    starred: t.__('Starred'),
    archived: t.__('Archived'),
    kernel: t.__('Kernel'),
    id: t.__('Id'),
    notes: t.__('Notes')
  };
  return labels[key] ?? key;
}

/** A cell's shown text and its full value (the tooltip). */
export function cellContent(
  key: string,
  v: FieldValue,
  s: IExperimentSummary,
  t: TranslationBundle
): [string, string] {
  switch (key) {
    case 'name':
      return [s.name || s.id, s.name];
    case 'started':
    case 'ended':
      return [formatTime(v as string | null), cellText(v)];
    case 'duration':
      return [formatDuration(v as number | null), cellText(v)];
    case 'starred':
      return [v ? '★' : '', cellText(v)];
    case 'archived':
      return [v ? t.__('archived') : '', cellText(v)];
  }
  if (typeof v === 'number') {
    return [formatNumber(v), fullNumber(v)];
  }
  const text = cellText(v);
  return [text.length > 200 ? `${text.slice(0, 200)}…` : text, text];
}
