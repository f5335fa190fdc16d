// The one place Impartial draws in a page: a closed shadow root on <html>, outside every
// editor. Page scripts cannot reach into it, and its styles cannot leak either way.

let root: ShadowRoot | undefined;
const styled = new Set<string>();

export function uiRoot(): ShadowRoot {
  if (root) return root;
  const host = document.createElement('div');
  // Zero-size and click-through; children that need the mouse opt back in.
  host.style.cssText =
    'position: fixed; inset: 0 auto auto 0; width: 0; height: 0; z-index: 2147483646; pointer-events: none;';
  root = host.attachShadow({ mode: 'closed' });
  addStyle('base', ':host { all: initial; }');
  document.documentElement.append(host);
  return root;
}

/** Adds a stylesheet to the UI root once per `key`. */
export function addStyle(key: string, css: string): void {
  if (styled.has(key)) return;
  styled.add(key);
  const style = document.createElement('style');
  style.textContent = css;
  uiRoot().append(style);
}

/** An element created inside the UI root. */
export function uiElement<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  element.className = className;
  uiRoot().append(element);
  return element;
}
