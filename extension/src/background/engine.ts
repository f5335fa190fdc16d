// The wasm engine with the settings in force. A Chrome service worker is stopped when
// idle, so all of this is rebuilt at the next wake-up (a cold start) from chrome.storage:
// nothing that matters lives only in memory.
//
// The engine is compiled for the stored settings under the organisation policy. When the
// stored settings change it is recompiled; if the new settings do not validate (in Rust),
// the previous engine stays in force (and, after a restart, the last good settings kept
// in storage.local).

import init, { SettingsEngine, __wbg_reset_state, example_settings, validate_policy } from 'impartial-engine';
import type { OrgPolicy, Settings } from '../shared/messages';
import { lastGood, readManaged, readStored, rememberGood } from './store';

let wasm: Promise<unknown> | undefined;
const started = performance.now();
/** Milliseconds from this background's start until its first engine was ready. */
export let coldStartMs: number | undefined;
/** Where the first load's time went (ms): the wasm instance, storage reads beyond it
 * (they run alongside), compiling. */
export let coldStartParts: { wasm: number; storage: number; compile: number } | undefined;

/** Instantiates the wasm module once per background lifetime. */
export function loadWasm(): Promise<unknown> {
  wasm ??= init({ module_or_path: chrome.runtime.getURL('engine/impartial_wasm_bg.wasm') });
  // A failed start must not poison every later request: forget it so the next one retries.
  wasm.catch(() => { wasm = undefined; });
  return wasm;
}

/**
 * Which wasm instance is live. A trap (a Rust panic under panic=abort, or running out of
 * memory) leaves an instance unusable, so `recoverFromTrap` starts a fresh one; objects of
 * an older instance must never be freed, because their pointers now mean nothing.
 */
let instance = 0;
const bornIn = new WeakMap<SettingsEngine, number>();

/** A new engine for these settings, remembered as belonging to the live instance. */
export function newEngine(settings: unknown, policy: OrgPolicy | null, from?: SettingsEngine): SettingsEngine {
  const engine = from && bornIn.get(from) === instance
    ? from.withSettings(settings, policy ?? undefined)
    : new SettingsEngine(settings, policy ?? undefined);
  bornIn.set(engine, instance);
  return engine;
}

/** Frees an engine later (checks use engines synchronously, so none holds it by then). */
export function release(engine: SettingsEngine | undefined): void {
  if (!engine) return;
  queueMicrotask(() => {
    if (bornIn.get(engine) === instance) engine.free();
  });
}

/**
 * If `error` is a wasm trap, replaces the instance and forgets every engine, so the next
 * request recompiles from storage; the request that trapped still fails (its editor stops
 * being checked) but every other editor goes on. Returns whether it was a trap.
 */
export function recoverFromTrap(error: unknown): boolean {
  if (!(error instanceof WebAssembly.RuntimeError)) return false;
  console.warn('Impartial: the engine stopped (a trap); starting a fresh instance:', message(error));
  __wbg_reset_state();
  instance++;
  current = undefined;
  invalidate();
  return true;
}

export interface Loaded {
  engine: SettingsEngine;
  /** The user's settings (validated, normalised). */
  settings: Settings;
  /** The settings in force after the organisation policy. */
  effective: Settings;
  policy: OrgPolicy | null;
  policyError?: string;
  onboarded: boolean;
  /** The stored text this was compiled from (undefined: nothing stored yet). */
  json: string | undefined;
  /** Why the stored settings were not used, if they were refused. */
  storedError?: string;
}

let current: Loaded | undefined;
let loading: Promise<Loaded> | undefined;
/** Bumped by every storage change; a load started before a change is not cached. */
let generation = 0;
let managedCache: Record<string, unknown> | undefined;

/** Forgets the cached state after a storage change; the next request reloads. */
export function invalidate(managed = false): void {
  generation++;
  loading = undefined;
  if (managed) managedCache = undefined;
}

/** The engine and settings in force, loading or recompiling them when storage changed. */
export function state(): Promise<Loaded> {
  const gen = generation;
  loading ??= load(gen).then((loaded) => {
    if (current && current.engine !== loaded.engine && gen === generation) release(current.engine);
    if (gen === generation) current = loaded;
    coldStartMs ??= Math.round(performance.now() - started);
    return loaded;
  }, (error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function load(gen: number): Promise<Loaded> {
  const t0 = performance.now();
  // Storage is read while the wasm instantiates: neither needs the other.
  let t1 = t0;
  const [, stored, managed] = await Promise.all([
    loadWasm().then(() => { t1 = performance.now(); }),
    readStored(),
    managedCache ?? readManaged(),
  ]);
  const t2 = performance.now();
  const loaded = await loadFrom(gen, stored, managed);
  coldStartParts ??= { wasm: Math.round(t1 - t0), storage: Math.round(t2 - t1), compile: Math.round(performance.now() - t2) };
  return loaded;
}

async function loadFrom(gen: number, stored: Awaited<ReturnType<typeof readStored>>, managed: Record<string, unknown>): Promise<Loaded> {
  if (gen === generation) managedCache = managed;
  let policy: OrgPolicy | null = null;
  let policyError: string | undefined;
  if (Object.keys(managed).length > 0) {
    try {
      policy = validate_policy(managed) as OrgPolicy;
    } catch (error) {
      policyError = message(error);
      console.warn('Impartial: the organisation policy is invalid and is ignored:', policyError);
    }
  }
  if (current && current.json === stored.json && sameJson(current.policy, policy) && current.onboarded === stored.onboarded) {
    return current; // nothing that matters changed (e.g. only storage.local)
  }
  if (stored.json === undefined) return compile(example_settings(), policy, policyError, stored.onboarded, undefined);
  try {
    const loaded = compile(stored.json, policy, policyError, stored.onboarded, stored.json);
    void rememberGood(stored.json);
    return loaded;
  } catch (error) {
    const storedError = message(error);
    console.warn('Impartial: the stored settings are invalid; keeping the previous ones:', storedError);
    if (current) return { ...current, json: stored.json, storedError };
    const good = await lastGood();
    let fallback: Loaded;
    try {
      fallback = compile(good ?? example_settings(), policy, policyError, stored.onboarded, stored.json);
    } catch {
      fallback = compile(example_settings(), policy, policyError, stored.onboarded, stored.json);
    }
    return { ...fallback, storedError };
  }
}

/**
 * Validates and compiles settings (object or JSON text) under the policy, reusing the
 * current engine's compiled rules when the profile in force did not change. Throws (an
 * Error naming the field) when they are invalid.
 */
export function compile(settings: unknown, policy: OrgPolicy | null, policyError: string | undefined, onboarded: boolean, json: string | undefined): Loaded {
  const build = (p: OrgPolicy | null) => newEngine(settings, p, current?.engine);
  let engine: SettingsEngine;
  try {
    engine = build(policy);
  } catch (error) {
    // The organisation's extra terms may not compile with these settings: run without the
    // policy rather than not at all, and say so.
    if (!policy) throw error;
    engine = build(null);
    policyError = message(error);
    policy = null;
  }
  return { engine, settings: engine.user as Settings, effective: engine.effective as Settings, policy, policyError, onboarded, json };
}

/**
 * Puts settings just written by this background in force at once (without waiting for
 * storage.onChanged), so the next check, from any tab, already uses them.
 */
export function adopt(loaded: Loaded, freePrevious = true): void {
  generation++;
  if (freePrevious && current && current.engine !== loaded.engine) release(current.engine);
  current = loaded;
  loading = Promise.resolve(loaded);
}

/** The text of a thrown wasm error (a JsError arrives as an Error). */
export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
