// The wasm engine, loaded once per background lifetime. A Chrome service worker is stopped
// when idle, so this runs again at the next wake-up (a cold start): keep it cheap.

import init, { CompiledEngine } from 'impartial-engine';

let ready: Promise<CompiledEngine> | undefined;

/** The compiled engine, instantiating the wasm on first use. */
export function engine(): Promise<CompiledEngine> {
  ready ??= (async () => {
    await init({ module_or_path: chrome.runtime.getURL('engine/impartial_wasm_bg.wasm') });
    return new CompiledEngine(undefined);
  })();
  // A failed start must not poison every later request: forget it so the next one retries.
  ready.catch(() => { ready = undefined; });
  return ready;
}
