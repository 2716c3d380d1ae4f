/** Labbook's version, recorded on every experiment (kept equal to package.json by a unit test). */
export const LABBOOK_VERSION = '0.1.0';
