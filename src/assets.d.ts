// Non-TypeScript sources bundled as text (webpack asset/source, esbuild text
// loader, the vitest plugin in vitest.config.mts; copied to lib/ by
// scripts/copy-assets.mjs).
declare module '*.py' {
  const source: string;
  export default source;
}
