// SVG files are imported as their source text (webpack asset/source), the
// form `LabIcon` takes.
declare module '*.svg' {
  const source: string;
  export default source;
}
