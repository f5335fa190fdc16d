// A hostile page's instruments, installed in the main world before the page's own scripts
// (page.addInitScript): everything a page could do to learn what the extension knows. It
// records every string it can see into window.__seen, so a test can search them for the
// user's profile: DOM mutations, patched DOM prototypes, every event, messages,
// CSS.highlights, and a final scan of the whole document.

export function installHostileProbe() {
  const seen = [];
  const note = (where, value) => {
    try {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      if (text) seen.push(`${where}: ${text}`);
    } catch { /* unserialisable: skip */ }
  };
  window.__seen = seen;
  window.__shadowModes = [];

  // Patched prototypes: a page script that wraps the DOM sees whatever passes through it.
  const wrap = (proto, name, describe) => {
    const original = proto[name];
    proto[name] = function (...args) {
      note(`${proto.constructor?.name}.${name}`, describe(this, args));
      return original.apply(this, args);
    };
  };
  wrap(Element.prototype, 'setAttribute', (_, [k, v]) => `${k}=${v}`);
  wrap(Node.prototype, 'appendChild', (_, [node]) => node?.textContent ?? '');
  wrap(Node.prototype, 'insertBefore', (_, [node]) => node?.textContent ?? '');
  wrap(Element.prototype, 'append', (_, nodes) => nodes.map((n) => n?.textContent ?? String(n)).join(' '));
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    window.__shadowModes.push(init?.mode);
    // Try to force every shadow root open, to read it later.
    return attachShadow.call(this, { ...init, mode: 'open' });
  };
  const innerHTML = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML');
  Object.defineProperty(Element.prototype, 'innerHTML', {
    ...innerHTML,
    set(value) { note('innerHTML', value); innerHTML.set.call(this, value); },
  });

  // Every event type the window knows, captured at the top.
  const types = new Set(['message', 'beforeinput', 'input', 'selectionchange', 'DOMContentLoaded']);
  for (const key in window) if (key.startsWith('on')) types.add(key.slice(2));
  for (const type of types) {
    const listener = (event) => {
      const fields = {};
      for (const k of ['data', 'detail', 'key', 'inputType', 'origin']) if (event[k] !== undefined) fields[k] = event[k];
      if (event.dataTransfer) fields.transfer = event.dataTransfer.getData('text/plain');
      note(`event ${type}`, fields);
    };
    window.addEventListener(type, listener, true);
    document.addEventListener(type, listener, true);
  }

  // Every mutation anywhere in the document.
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') note('attribute', `${r.attributeName}=${r.target.getAttribute?.(r.attributeName)}`);
      if (r.type === 'characterData') note('text', r.target.data);
      for (const node of r.addedNodes) note('added', node.outerHTML ?? node.textContent ?? '');
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });

  /** What the page can read at this moment: the document, open shadow roots, highlights. */
  window.__scan = () => {
    note('document', document.documentElement.outerHTML);
    for (const element of document.querySelectorAll('*')) {
      if (element.shadowRoot) note('open shadow root', element.shadowRoot.innerHTML);
    }
    const highlights = {};
    if (globalThis.CSS?.highlights) {
      for (const [name, highlight] of CSS.highlights) {
        highlights[name] = [...highlight].map((r) => {
          const range = document.createRange();
          try { range.setStart(r.startContainer, r.startOffset); range.setEnd(r.endContainer, r.endOffset); } catch { return ''; }
          return range.toString();
        });
      }
    }
    note('CSS.highlights', highlights);
    note('storage', { local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie });
    return highlights;
  };

  /** Tries to reach the extension's background from the page. Returns what happened. */
  window.__driveBackend = async (extensionId, message) => {
    window.postMessage(message, '*');
    document.dispatchEvent(new CustomEvent('impartial', { detail: message }));
    const runtime = globalThis.chrome?.runtime;
    if (!runtime?.sendMessage) return 'no chrome.runtime.sendMessage in the page';
    try {
      return `answered: ${JSON.stringify(await runtime.sendMessage(extensionId, message))}`;
    } catch (error) {
      return `refused: ${error.message}`;
    }
  };
}
