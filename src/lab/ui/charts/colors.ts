/**
 * Line colours for charts: the theme's brand, warn, success and error
 * colours first (read from its `--jp-*` variables, so a dark theme gets
 * its own; the accent colour is left out, it is green like success in the
 * default themes), then hues spread by the golden angle, so fifty lines
 * still look apart and each keeps its colour whatever is added after it.
 */

const THEME = [
  ['--jp-brand-color1', '#1976d2'],
  ['--jp-warn-color1', '#f57c00'],
  ['--jp-success-color1', '#388e3c'],
  ['--jp-error-color1', '#d32f2f']
] as const;

/** `count` colours as CSS colour strings (canvas and SVG take them). */
export function themeColors(count: number): string[] {
  const style = getComputedStyle(document.body);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i < THEME.length) {
      const [name, fallback] = THEME[i];
      out.push(style.getPropertyValue(name).trim() || fallback);
    } else {
      const hue = Math.round((i * 137.508) % 360);
      out.push(`hsl(${hue} 60% 48%)`);
    }
  }
  return out;
}
