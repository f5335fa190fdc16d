// Impartial's own UI follows the page's theme (X, Mastodon and others have dark themes that
// the OS setting does not reveal): dark when the editor sits on a dark background.

export function pageIsDark(element: Element): boolean {
  for (let node: Element | null = element; node; node = node.parentElement) {
    const [r, g, b, a] = parseColor(getComputedStyle(node).backgroundColor);
    if (a > 0.5) return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
  }
  return matchMedia('(prefers-color-scheme: dark)').matches;
}

function parseColor(css: string): [number, number, number, number] {
  const parts = css.match(/[\d.]+/g)?.map(Number) ?? [];
  return [parts[0] ?? 255, parts[1] ?? 255, parts[2] ?? 255, parts.length >= 4 ? parts[3] : parts.length === 3 ? 1 : 0];
}
