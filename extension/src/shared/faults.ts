// Fault injection for the end-to-end tests. This is the shipped version: it does nothing,
// and esbuild swaps in ../test/faults.ts only for dist/chrome-test (build.mjs --test).
// The content script calls it where a real bug would surface, so the tests can prove
// that a failure stops checking on one editor only and never breaks the page.

/** Throws in test builds when the checked text asks for a content-script failure. */
export function contentFault(_text: string): void {}
