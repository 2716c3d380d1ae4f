/**
 * The on-disk formats: names, versions and readers that tell a damaged or
 * too-new file from a good one. Layout in docs/store-format.md.
 */
import { StoreDamagedError } from './fs';

export const FORMAT_VERSION = 1;

export const FORMATS = {
  store: 'labbook-store',
  experiment: 'labbook-experiment',
  edit: 'labbook-edit',
  heartbeat: 'labbook-heartbeat',
  history: 'labbook-history',
  snapshot: 'labbook-snapshot',
  metrics: 'labbook-metrics',
  metricsOverview: 'labbook-metrics-overview',
  texts: 'labbook-texts',
  environment: 'labbook-environment',
  inputs: 'labbook-inputs',
  images: 'labbook-images',
  index: 'labbook-index',
  view: 'labbook-view',
  sweep: 'labbook-sweep',
  queueEvents: 'labbook-queue-events',
  claim: 'labbook-claim',
  worker: 'labbook-worker'
} as const;

export type FormatName = (typeof FORMATS)[keyof typeof FORMATS];

/**
 * Parse a store file and check its format tag and version. Unknown fields
 * are kept (and ignored by readers); a newer major version is refused.
 */
export function parseStoreFile<T>(
  path: string,
  text: string,
  format: FormatName
): T {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const cut =
      text.length === 0
        ? 'the file is empty'
        : 'not valid JSON (truncated or half-written?)';
    throw new StoreDamagedError(path, cut);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StoreDamagedError(path, 'not a JSON object');
  }
  if (value.format !== format) {
    throw new StoreDamagedError(
      path,
      `expected format "${format}", found ${JSON.stringify(value.format)}`
    );
  }
  if (typeof value.version !== 'number' || !Number.isInteger(value.version)) {
    throw new StoreDamagedError(path, 'missing format version');
  }
  if (value.version > FORMAT_VERSION) {
    throw new StoreDamagedError(
      path,
      `written by a newer Labbook (format version ${value.version}; this one reads ${FORMAT_VERSION})`
    );
  }
  return value as T;
}
