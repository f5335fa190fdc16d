// The audit worker: runs the footprint audit (archive detection, parsing, checking) in wasm
// off the options page's main thread. One worker per audit: the page cancels by terminating
// it, which also frees everything the audit held. Nothing is stored or sent anywhere: the
// bytes arrive by postMessage (transferred), the report leaves the same way.
//
// Page -> worker: AuditWorkerRequest. Worker -> page: AuditWorkerMessage (../shared/audit.ts).

import init, { audit_archive, type AuditRun } from 'impartial-engine';
import type { AuditProgress, AuditReport, AuditWorkerMessage, AuditWorkerRequest } from '../shared/audit';

declare const self: DedicatedWorkerGlobalScope;

let run: AuditRun | undefined;
// The worker script sits at the top of the extension; the engine beside the background's.
const ready = init({ module_or_path: new URL('engine/impartial_wasm_bg.wasm', location.href) });

function post(message: AuditWorkerMessage): void {
  self.postMessage(message);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

self.addEventListener('message', (event: MessageEvent<AuditWorkerRequest>) => {
  void handle(event.data);
});

async function handle(request: AuditWorkerRequest): Promise<void> {
  try {
    await ready;
  } catch (error) {
    post({ kind: 'error', message: `the audit engine could not start: ${errorText(error)}` });
    return;
  }
  if (request.kind === 'audit') {
    run?.free();
    run = undefined;
    const started = performance.now();
    try {
      run = audit_archive(request.name, new Uint8Array(request.bytes), request.settings, request.policy ?? undefined, (progress: unknown) => {
        post({ kind: 'progress', progress: progress as AuditProgress });
        return true;
      });
      const report = JSON.parse(run.reportJson()) as AuditReport;
      post({ kind: 'done', report, ms: Math.round(performance.now() - started) });
    } catch (error) {
      post({ kind: 'error', message: errorText(error) });
    }
  } else if (request.kind === 'render') {
    if (!run) {
      post({ kind: 'error', message: 'there is no report to save' });
      return;
    }
    try {
      const text = request.format === 'html' ? run.html() : run.csv();
      post({ kind: 'rendered', format: request.format, text });
    } catch (error) {
      post({ kind: 'render-error', format: request.format, message: errorText(error) });
    }
  }
}


