// "Audit my past posts" on the options page: the user picks an archive; a worker
// (audit-worker.js) parses and checks it in wasm while this page shows the progress; the
// report is rendered here with filters and can be saved as HTML or CSV.
//
// Post text is untrusted: everything is built with textContent and text nodes, never HTML.
// Nothing is stored: the file and the report live in this page (and the worker) only.
// Cancel terminates the worker, which is the one thing that stops a synchronous wasm call.

import type { Category, Severity, SettingsState } from '../shared/messages';
import type { AuditedPost, AuditProgress, AuditReport, AuditWorkerMessage, AuditWorkerRequest } from '../shared/audit';
import { $, ask, element } from './api';

const CATEGORY_ORDER: Category[] = ['confidential', 'disclosure', 'partisan', 'solicitation', 'government', 'conduct', 'disclaimer'];
const CATEGORY_LABEL: Record<Category, string> = {
  confidential: 'Confidential information', disclosure: 'Names your employer', partisan: 'Party politics',
  solicitation: 'Asking for money or votes', government: 'Criticising the government', conduct: 'Conduct', disclaimer: 'Disclaimer',
};
const SEVERITIES: Severity[] = ['high', 'medium', 'low'];
const SEVERITY_LABEL: Record<Severity, string> = { high: 'High', medium: 'Medium', low: 'Low' };
const PLATFORM_NAME: Record<string, string> = {
  x: 'X (Twitter)', facebook: 'Facebook', linkedin: 'LinkedIn', mastodon: 'Mastodon', bluesky: 'Bluesky', text: 'Text',
};
const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };
const SVG = 'http://www.w3.org/2000/svg';
/** Screen readers hear the progress at most this often. */
const ANNOUNCE_MS = 1500;

interface Item { li: HTMLLIElement; post: AuditedPost; year: string }

let worker: Worker | undefined;
let report: AuditReport | undefined;
let items: Item[] = [];
let fileName = '';
let startedAt = 0;
let lastAnnounced = 0;
/** Bumped by each new audit and by Cancel: an older audit's late steps are dropped. */
let seq = 0;

const fileInput = () => $('audit-file') as HTMLInputElement;
const status = (text: string) => { $('audit-status').textContent = text; };
const platformName = (p: string) => PLATFORM_NAME[p] ?? p;
const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** A link only for http(s) addresses; anything else is not a link. */
function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function outLink(url: string, label: string): HTMLAnchorElement {
  return element('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, label);
}

function stop(): void {
  worker?.terminate();
  worker = undefined;
}

function showRunning(on: boolean): void {
  $('audit-running').hidden = !on;
  fileInput().disabled = on;
}

async function start(): Promise<void> {
  const file = fileInput().files?.[0];
  if (!file) return;
  stop();
  const mine = ++seq;
  report = undefined;
  items = [];
  fileName = file.name;
  startedAt = performance.now();
  $('audit-error').textContent = '';
  $('audit-report').hidden = true;
  delete $('audit-report').dataset.ms;
  delete $('audit-report').dataset.workerMs;
  ($('audit-bar') as HTMLProgressElement).value = 0;
  ($('audit-bar') as HTMLProgressElement).removeAttribute('value'); // indeterminate until the first report
  status(`Reading ${file.name}…`);
  lastAnnounced = Date.now();
  showRunning(true);

  const state = await ask<Omit<SettingsState, 'ok'>>({ kind: 'get-settings' });
  if (mine !== seq) return;
  if (!state.ok) return fail(`Could not read your settings: ${state.error}`);
  let bytes: ArrayBuffer;
  try {
    bytes = await file.arrayBuffer();
  } catch (error) {
    return fail(`Could not read ${file.name}: ${error instanceof Error ? error.message : String(error)}. Choose the file again.`);
  }
  if (mine !== seq) return; // cancelled, or another file chosen, meanwhile
  const w = new Worker('audit-worker.js');
  worker = w;
  w.addEventListener('message', (event: MessageEvent<AuditWorkerMessage>) => { if (worker === w) onMessage(event.data); });
  w.addEventListener('error', (event) => {
    if (worker !== w) return;
    event.preventDefault();
    stop();
    fail(`The audit of ${fileName} stopped: ${event.message || 'the worker failed'}.`);
  });
  const request: AuditWorkerRequest = { kind: 'audit', name: file.name, bytes, settings: state.settings, policy: state.policy };
  w.postMessage(request, [bytes]);
}

function fail(message: string): void {
  showRunning(false);
  status('');
  $('audit-error').textContent = message;
  fileInput().value = '';
}

function onMessage(message: AuditWorkerMessage): void {
  switch (message.kind) {
    case 'progress': return progress(message.progress);
    case 'done': {
      showRunning(false);
      report = message.report;
      render(message.report);
      const ms = Math.round(performance.now() - startedAt);
      $('audit-report').dataset.ms = String(ms);
      $('audit-report').dataset.workerMs = String(message.ms);
      status(`Audited ${fileName}: ${plural(message.report.posts_read, 'post', 'posts')} read, ${plural(message.report.posts_flagged, 'post', 'posts')} with findings (${(ms / 1000).toFixed(1)} s).`);
      return;
    }
    case 'error': {
      stop();
      return fail(`${fileName} could not be audited. ${message.message}`);
    }
    case 'rendered': return download(message.format, message.text);
    case 'render-error': {
      $('audit-save-status').textContent = `Could not save the report: ${message.message}`;
      return;
    }
  }
}

function progress(p: AuditProgress): void {
  const bar = $('audit-bar') as HTMLProgressElement;
  const percent = p.bytes_total > 0 ? Math.min(100, (p.bytes_done / p.bytes_total) * 100) : 0;
  bar.value = percent;
  const now = Date.now();
  if (now - lastAnnounced < ANNOUNCE_MS) return;
  lastAnnounced = now;
  status(`Checking ${fileName}: ${Math.floor(percent)}%, ${plural(p.posts_read, 'post', 'posts')} read, ${p.posts_flagged.toLocaleString('en-GB')} with findings.`);
}

$('audit-file').addEventListener('change', () => void start());
$('audit-cancel').addEventListener('click', () => {
  seq++;
  stop();
  showRunning(false);
  fileInput().value = '';
  status(`Cancelled. Nothing from ${fileName} was kept.`);
  fileInput().focus();
});

// ---- The report ---------------------------------------------------------------------------

function render(r: AuditReport): void {
  const sources = r.sources.map((s) => `${platformName(s.platform)}${s.account ? ` ${s.account}` : ''} (${plural(s.posts, 'post', 'posts')})`).join(', ');
  const worst = r.flagged_by_worst;
  $('audit-summary').textContent = `${fileName}: ${sources || 'no posts'}. ${plural(r.posts_read, 'post', 'posts')} checked; `
    + `${plural(r.posts_flagged, 'post has', 'posts have')} findings (worst finding: ${worst.high} high, ${worst.medium} medium, ${worst.low} low). `
    + `${plural(r.posts_skipped, 'item', 'items')} skipped (no text of your own), ${plural(r.posts_failed, 'post', 'posts')} could not be read. `
    + `Checked against: ${r.context}.`
    + (r.flagged_not_listed > 0
      ? ` The ${r.flagged.length.toLocaleString('en-GB')} riskiest are listed below; ${plural(r.flagged_not_listed, 'less risky post is', 'less risky posts are')} counted but not listed.`
      : '');

  const notes: HTMLElement[] = [];
  for (const bio of r.bios.filter((b) => b.names_employer)) {
    const marked = r.flagged.filter((p) => p.platform === bio.platform && p.attributable).length;
    notes.push(element('p', { className: 'audit-note bio-note' },
      element('strong', {}, `Your ${platformName(bio.platform)} ${bio.field} names your employer`),
      `, so every partisan post there can be attributed to them (${plural(marked, 'post', 'posts')} marked “attributable”). `,
      element('span', { className: 'hint' }, `“${bio.text}”`)));
  }
  for (const bio of r.bios.filter((b) => b.findings.length > 0)) {
    notes.push(element('p', { className: 'audit-note' }, `Your ${platformName(bio.platform)} ${bio.field} itself has findings: `,
      bio.findings.map((f) => `${f.message} (“${f.text}”)`).join('; ')));
  }
  $('audit-notes').replaceChildren(...notes);

  $('audit-by-category').replaceChildren(...CATEGORY_ORDER.filter((c) => r.by_category[c]).map((c) => countRow(CATEGORY_LABEL[c], r.by_category[c]!)));
  if (!Object.keys(r.by_category).length) $('audit-by-category').replaceChildren(countRow('None', { posts: 0, findings: 0 }));
  $('audit-by-severity').replaceChildren(...SEVERITIES.map((s) => countRow(SEVERITY_LABEL[s], r.by_severity[s] ?? { posts: 0, findings: 0 })));
  $('audit-chart').replaceChildren(...chart(r.by_month));

  items = r.flagged.map((post, i) => ({ post, li: postItem(post, i + 1), year: post.date?.slice(0, 4) ?? 'undated' }));
  fillFilters(r);
  $('audit-posts').replaceChildren(...items.map((x) => x.li));
  applyFilters();

  const problems: HTMLElement[] = [
    ...r.problems.map((p) => element('li', {}, p)),
    ...r.failures.map((f) => element('li', {}, `${f.file}, ${f.location}: ${f.reason}`)),
  ];
  if (r.posts_failed > r.failures.length) problems.push(element('li', {}, `… and ${plural(r.posts_failed - r.failures.length, 'more post', 'more posts')} that could not be read.`));
  $('audit-problem-list').replaceChildren(...problems);
  $('audit-problems').hidden = problems.length === 0;
  $('audit-save-status').textContent = '';
  $('audit-report').hidden = false;
  $('audit-report-title').focus();
}

function countRow(label: string, count: { posts: number; findings: number }): HTMLTableRowElement {
  return element('tr', {}, element('th', { scope: 'row' }, label), element('td', { className: 'n' }, String(count.posts)), element('td', { className: 'n' }, String(count.findings)));
}

/** Posts per month as bars (grey: all posts; red: with findings), drawn with SVG elements. */
function chart(months: AuditReport['by_month']): Node[] {
  if (months.length === 0) return [];
  const width = 640;
  const height = 110;
  const max = Math.max(1, ...months.map((m) => m.posts));
  const step = width / months.length;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 16}`);
  svg.setAttribute('role', 'img');
  const first = months[0].month;
  const last = months[months.length - 1].month;
  const flagged = months.reduce((n, m) => n + m.flagged, 0);
  svg.setAttribute('aria-label', `Posts per month from ${first} to ${last}; ${plural(flagged, 'post', 'posts')} with findings, in red.`);
  const rect = (cls: string, x: number, h: number, title: string) => {
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('class', cls);
    r.setAttribute('x', x.toFixed(2));
    r.setAttribute('width', Math.max(0.5, step * 0.85).toFixed(2));
    r.setAttribute('y', (height - h).toFixed(2));
    r.setAttribute('height', h.toFixed(2));
    const t = document.createElementNS(SVG, 'title');
    t.textContent = title;
    r.append(t);
    return r;
  };
  months.forEach((m, i) => {
    const label = `${m.month}: ${plural(m.posts, 'post', 'posts')}, ${m.flagged} with findings`;
    svg.append(rect('bar-all', i * step, (m.posts / max) * height, label));
    if (m.flagged > 0) svg.append(rect('bar-flagged', i * step, Math.max(1, (m.flagged / max) * height), label));
  });
  for (const [x, text, anchor] of [[0, first, 'start'], [width, last, 'end']] as const) {
    const t = document.createElementNS(SVG, 'text');
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(height + 13));
    t.setAttribute('text-anchor', anchor);
    t.setAttribute('font-size', '11');
    t.setAttribute('fill', 'currentColor');
    t.textContent = text;
    svg.append(t);
  }
  return [svg, element('figcaption', {}, `Posts per month (grey), and those with findings (red), ${first} to ${last}.`)];
}

/** The post's text with each finding's span (UTF-16 offsets) in a <mark>, as text nodes. */
function markedText(post: AuditedPost): HTMLElement {
  const text = post.text;
  const spans = post.findings
    .map((f) => ({ start: Math.max(0, Math.min(f.start, text.length)), end: Math.max(0, Math.min(f.end, text.length)), severity: f.severity, message: f.message }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  // Overlapping spans become one mark, drawn at the worst severity among them.
  const merged: { start: number; end: number; severity: Severity; messages: string[] }[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      if (SEVERITY_RANK[s.severity] > SEVERITY_RANK[last.severity]) last.severity = s.severity;
      last.messages.push(s.message);
    } else {
      merged.push({ start: s.start, end: s.end, severity: s.severity, messages: [s.message] });
    }
  }
  const out = element('p', { className: 'post-text' });
  let at = 0;
  for (const m of merged) {
    if (m.start > at) out.append(document.createTextNode(text.slice(at, m.start)));
    const mark = element('mark', { className: m.severity, title: m.messages.join('; ') });
    mark.append(document.createTextNode(text.slice(m.start, m.end)));
    out.append(mark);
    at = m.end;
  }
  if (at < text.length) out.append(document.createTextNode(text.slice(at)));
  return out;
}

function postItem(post: AuditedPost, rank: number): HTMLLIElement {
  const categories = CATEGORY_ORDER.filter((c) => post.findings.some((f) => f.category === c));
  const li = element('li', { className: post.max_severity, 'data-rank': rank, 'data-categories': categories.join(' ') });
  const date = post.date ? `${post.date.slice(0, 10)} ${post.date.slice(11, 16)} UTC` : 'Undated';
  const url = safeUrl(post.url);
  const meta = element('p', { className: 'meta' },
    element('span', { className: 'rank' }, `${rank}.`), ' ', element('span', { className: 'sev' }, SEVERITY_LABEL[post.max_severity]), ` · ${categories.map((c) => CATEGORY_LABEL[c]).join(', ')} · `,
    element('time', { dateTime: post.date ?? '' }, date), ` · ${platformName(post.platform)} ${post.kind}`,
    post.attributable ? ' · attributable to your employer' : '',
    ' · ', url ? outLink(url, 'Open the post') : post.id);
  const findings = element('ul', { className: 'findings' }, ...post.findings.map((f) => {
    const source = safeUrl(f.source.url);
    const title = `${f.source.title}${f.source.section ? `, ${f.source.section}` : ''}`;
    return element('li', { 'data-category': f.category, 'data-severity': f.severity },
      element('span', { className: 'sev' }, SEVERITY_LABEL[f.severity]), ` ${CATEGORY_LABEL[f.category] ?? f.category}: `,
      element('strong', {}, f.message), ` (“${f.text}”)`,
      element('p', { className: 'why' }, f.explanation),
      element('p', { className: 'why' }, 'Guidance: ', source ? outLink(source, title) : title));
  }));
  li.append(meta, markedText(post), findings);
  return li;
}

// ---- Filters (client-side, on the rendered list) ----------------------------------------

function fillFilters(r: AuditReport): void {
  const category = $('audit-filter-category') as HTMLSelectElement;
  category.replaceChildren(element('option', { value: '' }, 'All categories'),
    ...CATEGORY_ORDER.filter((c) => r.by_category[c]).map((c) => element('option', { value: c }, CATEGORY_LABEL[c])));
  const severity = $('audit-filter-severity') as HTMLSelectElement;
  severity.replaceChildren(element('option', { value: '' }, 'All severities'),
    ...SEVERITIES.filter((s) => r.by_severity[s]).map((s) => element('option', { value: s }, SEVERITY_LABEL[s])));
  const years = [...new Set(items.map((x) => x.year))].sort((a, b) => (a === 'undated' ? 1 : b === 'undated' ? -1 : b.localeCompare(a)));
  const year = $('audit-filter-year') as HTMLSelectElement;
  year.replaceChildren(element('option', { value: '' }, 'All years'),
    ...years.map((y) => element('option', { value: y }, y === 'undated' ? 'Undated' : y)));
}

function applyFilters(): void {
  const category = ($('audit-filter-category') as HTMLSelectElement).value;
  const severity = ($('audit-filter-severity') as HTMLSelectElement).value;
  const year = ($('audit-filter-year') as HTMLSelectElement).value;
  let shown = 0;
  for (const { li, post, year: y } of items) {
    const visible = (!year || y === year)
      && post.findings.some((f) => (!category || f.category === category) && (!severity || f.severity === severity));
    li.hidden = !visible;
    if (visible) shown++;
  }
  const total = items.length;
  $('audit-shown').textContent = total === 0 ? 'No post has findings.'
    : shown === total ? `Showing all ${plural(total, 'post', 'posts')} with findings, riskiest first.`
      : shown === 0 ? 'No post matches these filters.' : `Showing ${shown} of ${plural(total, 'post', 'posts')} with findings, riskiest first.`;
}

for (const id of ['audit-filter-category', 'audit-filter-severity', 'audit-filter-year']) $(id).addEventListener('change', applyFilters);

// ---- Saving -------------------------------------------------------------------------------

function save(format: 'html' | 'csv'): void {
  if (!worker || !report) return;
  $('audit-save-status').textContent = `Preparing the ${format.toUpperCase()} report…`;
  worker.postMessage({ kind: 'render', format } satisfies AuditWorkerRequest);
}

function download(format: 'html' | 'csv', text: string): void {
  const type = format === 'html' ? 'text/html;charset=utf-8' : 'text/csv;charset=utf-8';
  const url = URL.createObjectURL(new Blob([text], { type }));
  const base = fileName.replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '-').slice(0, 60) || 'posts';
  const link = element('a', { href: url, download: `impartial-audit-${base}.${format}` });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the download has had time to start (an immediate revoke can cancel it).
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  $('audit-save-status').textContent = `Saved as ${link.download}.`;
}

$('audit-save-html').addEventListener('click', () => save('html'));
$('audit-save-csv').addEventListener('click', () => save('csv'));
