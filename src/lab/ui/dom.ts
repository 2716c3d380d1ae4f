/** DOM builders shared by the views: text always as text, never HTML. */

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

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Create an SVG element with a class. */
export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  cls = ''
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  if (cls) {
    node.setAttribute('class', cls);
  }
  return node;
}
