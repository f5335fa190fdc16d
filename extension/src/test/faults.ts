// Test builds only (dist/chrome-test): typing the marker makes the content script throw
// while showing a check's result, as a bug in the drawing code would. The engine's own
// fault (a Rust panic) is the `fault-switch` feature of crate/wasm.

export const CONTENT_FAULT = 'impartial:test:throw-content';

export function contentFault(text: string): void {
  if (text.includes(CONTENT_FAULT)) throw new Error('fault switch: a test asked the content script to throw');
}
