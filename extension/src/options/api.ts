// The extension pages' one way to the background: every settings read and change is a
// message, so validation (in Rust) and the organisation's locks are applied in one place.

import type { SettingsRequest } from '../shared/messages';

export async function ask<T = { ok: true }>(request: SettingsRequest): Promise<({ ok: true } & T) | { ok: false; error: string }> {
  try {
    const response = (await chrome.runtime.sendMessage(request)) as ({ ok: true } & T) | { ok: false; error: string } | undefined;
    return response ?? { ok: false, error: 'no answer from the background' };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function $(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { [key: string]: unknown } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('aria-') || key.startsWith('data-') || key === 'for' || key === 'role') node.setAttribute(key, String(value));
    else (node as unknown as Record<string, unknown>)[key] = value;
  }
  node.append(...children);
  return node;
}

export const STRICTNESS_HELP: Record<string, string> = {
  off: 'Nothing is underlined on this site.',
  relaxed: 'Only the most serious risks are underlined.',
  standard: 'Serious and moderate risks are underlined.',
  strict: 'Everything that could be a risk is underlined.',
};

export const STRICTNESS_LABEL: Record<string, string> = { off: 'Off', relaxed: 'Relaxed', standard: 'Standard', strict: 'Strict' };
