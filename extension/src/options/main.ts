// The options page: first-run setup (#welcome), then the profile, sites, custom terms,
// allowed phrases, rules, a "try it" box, export/import and the privacy statement.
// Every change is sent to the background, which validates it in Rust and stores it; the
// page then shows what was stored. Fields the organisation locked are shown disabled.

import type {
  Category, CustomTerm, Finding, OrgPolicy, PolicyId, Profile, RuleInfo, Settings, SettingsState,
} from '../shared/messages';
import { SITES, STRICTNESS_LEVELS, siteName, type Strictness } from '../shared/sites';
import { $, ask, element, STRICTNESS_LABEL } from './api';
// "Audit my past posts": wires its own controls (file input, cancel, filters, save).
import './audit';

const POLICIES: { id: PolicyId; name: string; description: string }[] = [
  { id: 'uk-civil-service', name: 'UK Civil Service', description: 'Civil Service Code and social media guidance: political impartiality, no official information, no criticism of ministers.' },
  { id: 'us-hatch-act', name: 'US federal employee (Hatch Act)', description: 'No campaigning or asking for political money while on duty or identified as a federal employee.' },
  { id: 'journalist', name: 'Journalist or public broadcaster', description: 'Editorial impartiality: no opinions on politics or controversial issues in public.' },
  { id: 'generic', name: 'Other public-facing employee', description: 'Councils, NHS, charities, regulated firms: keep party politics away from your employer.' },
];
const CATEGORIES: Category[] = ['confidential', 'disclosure', 'partisan', 'solicitation', 'government', 'conduct', 'disclaimer'];

let state: SettingsState;
/** Terms as edited, including ones with mistakes (which are not saved). */
let termDrafts: CustomTerm[] = [];
let termErrors: (string | null)[] = [];

const locked = (field: string) => state.policy?.locked.includes(field) ?? false;
const splitNames = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);

async function load(): Promise<void> {
  const response = await ask<SettingsState>({ kind: 'get-settings' });
  if (!response.ok) throw new Error(response.error);
  state = response;
}

function say(text: string, error = false): void {
  const status = $('save-status');
  status.textContent = text;
  status.className = `small save-status ${error ? 'error' : 'ok'}`;
}

/** Stores `settings` and re-reads what was stored. */
async function save(settings: Settings, onboarded?: boolean): Promise<boolean> {
  const result = await ask({ kind: 'save-settings', settings, onboarded });
  if (!result.ok) {
    say(`Not saved: ${result.error}`, true);
    return false;
  }
  await load();
  say('Saved.');
  return true;
}

function edited(change: (s: Settings) => void): Promise<boolean> {
  const next = structuredClone(state.settings);
  change(next);
  return save(next);
}

// ---- Onboarding ----------------------------------------------------------------------------

let step = 1;

function renderOnboarding(): void {
  const p = state.effective.profile;
  const choices = $('policy-choices');
  choices.replaceChildren(...POLICIES.map((policy) => {
    const preselected = state.onboarded || locked('policy') ? p.policy : state.policy?.policy ?? p.policy;
    const input = element('input', { type: 'radio', name: 'ob-policy', value: policy.id, checked: policy.id === preselected, disabled: locked('policy') && policy.id !== p.policy });
    return element('label', {}, input, element('span', {}, element('strong', {}, policy.name), element('span', { className: 'hint' }, policy.description)));
  }));
  // Before the first setup the stored profile is only the example author: start empty,
  // or with what the organisation suggests.
  const employer = $('ob-employer') as HTMLInputElement;
  employer.value = locked('employer') || state.onboarded ? p.employer : state.policy?.employer ?? '';
  employer.disabled = locked('employer');
  const aliases = $('ob-aliases') as HTMLInputElement;
  aliases.value = (locked('aliases') || state.onboarded ? p.aliases : state.policy?.aliases ?? []).join(', ');
  aliases.disabled = locked('aliases');
  $('ob-sites').replaceChildren(...SITES.map((site) => {
    const enabled = state.effective.enabled_sites.includes(site.id);
    const strictness = state.effective.sites[site.id] ?? site.defaultStrictness;
    const min = state.policy?.minimum_strictness[site.id] ?? 'off';
    const check = element('input', { type: 'checkbox', id: `ob-on-${site.id}`, checked: enabled, disabled: min !== 'off', 'aria-label': `Check posts on ${site.name}` });
    return element('tr', {},
      element('th', { scope: 'row' }, site.name),
      element('td', {}, check),
      element('td', {}, strictnessSelect(`ob-strict-${site.id}`, strictness, min, `Strictness on ${site.name}`)));
  }));
  showStep(1);
}

function strictnessSelect(id: string, value: Strictness, minimum: Strictness, label: string): HTMLSelectElement {
  const select = element('select', { id, 'aria-label': label });
  for (const level of STRICTNESS_LEVELS) {
    select.append(element('option', { value: level, selected: level === value, disabled: STRICTNESS_LEVELS.indexOf(level) < STRICTNESS_LEVELS.indexOf(minimum) }, STRICTNESS_LABEL[level]));
  }
  return select;
}

function showStep(n: number): void {
  step = n;
  for (let i = 1; i <= 3; i++) $(`step-${i}`).hidden = i !== n;
  $('ob-back').hidden = n === 1;
  $('ob-next').textContent = n === 3 ? 'Finish' : 'Next';
  $('ob-error').textContent = '';
  const first = $(`step-${n}`).querySelector<HTMLElement>('input:not([disabled]), select');
  first?.focus();
}

async function finishOnboarding(): Promise<void> {
  const next = structuredClone(state.settings);
  const policy = document.querySelector<HTMLInputElement>('input[name="ob-policy"]:checked')?.value as PolicyId | undefined;
  if (policy && !locked('policy')) next.profile.policy = policy;
  if (!locked('employer')) next.profile.employer = ($('ob-employer') as HTMLInputElement).value.trim();
  if (!locked('aliases')) next.profile.aliases = splitNames(($('ob-aliases') as HTMLInputElement).value);
  next.enabled_sites = next.enabled_sites.filter((id) => !SITES.some((s) => s.id === id));
  for (const site of SITES) {
    if (($(`ob-on-${site.id}`) as HTMLInputElement).checked) next.enabled_sites.push(site.id);
    next.sites[site.id] = ($(`ob-strict-${site.id}`) as HTMLSelectElement).value as Strictness;
  }
  const result = await ask({ kind: 'save-settings', settings: next, onboarded: true });
  if (!result.ok) {
    $('ob-error').textContent = `Could not save: ${result.error}`;
    return;
  }
  await load();
  history.replaceState(null, '', location.pathname);
  $('welcome').hidden = true;
  showSettings();
  $('ob-done').hidden = false;
  $('ob-done').tabIndex = -1;
  $('ob-done').focus();
}

$('onboarding').addEventListener('submit', (event) => {
  event.preventDefault();
  if (step === 1 && !document.querySelector('input[name="ob-policy"]:checked')) {
    $('ob-error').textContent = 'Choose the rules that apply to you.';
    return;
  }
  if (step === 2 && !($('ob-employer') as HTMLInputElement).value.trim()) {
    $('ob-error').textContent = 'Enter your employer, so Impartial can tell when a post names it.';
    ($('ob-employer') as HTMLInputElement).focus();
    return;
  }
  if (step < 3) showStep(step + 1);
  else void finishOnboarding();
});
$('ob-back').addEventListener('click', () => showStep(Math.max(1, step - 1)));
// Straight to the settings; the setup is offered again next time until it is done.
$('ob-skip').addEventListener('click', () => {
  $('welcome').hidden = true;
  showSettings();
  $('profile-title').tabIndex = -1;
  $('profile-title').focus();
});

// ---- Settings ------------------------------------------------------------------------------

function showSettings(): void {
  $('settings').hidden = false;
  renderBanner();
  renderProfile();
  renderSites();
  renderTerms();
  renderPhrases();
  void renderRules();
}

function renderBanner(): void {
  const banner = $('policy-banner');
  const policy: OrgPolicy | null = state.policy;
  if (state.policyError) {
    banner.hidden = false;
    banner.textContent = `Your organisation's policy for Impartial could not be read and is not applied: ${state.policyError}`;
  } else if (policy) {
    banner.hidden = false;
    banner.textContent = 'Some settings are managed by your organisation. Those are marked “Locked” and cannot be changed here.';
  } else {
    banner.hidden = true;
  }
  for (const badge of document.querySelectorAll<HTMLElement>('[data-lock]')) badge.hidden = !locked(badge.dataset.lock!);
}

function renderProfile(): void {
  const p = state.effective.profile;
  const policy = $('policy') as HTMLSelectElement;
  policy.replaceChildren(...POLICIES.map((x) => element('option', { value: x.id, selected: x.id === p.policy }, x.name)));
  policy.disabled = locked('policy');
  $('policy-desc').textContent = POLICIES.find((x) => x.id === p.policy)?.description ?? '';
  const fields: [string, string, boolean][] = [
    ['employer', state.settings.profile.employer, locked('employer')],
    ['aliases', state.settings.profile.aliases.join(', '), locked('aliases')],
    ['role', state.settings.profile.role ?? '', locked('role')],
  ];
  for (const [id, own, isLocked] of fields) {
    const input = $(id) as HTMLInputElement;
    const shown = id === 'employer' ? p.employer : id === 'aliases' ? p.aliases.join(', ') : p.role ?? '';
    input.value = isLocked ? shown : own;
    input.disabled = isLocked;
  }
}

$('policy').addEventListener('change', () => void edited((s) => { s.profile.policy = ($('policy') as HTMLSelectElement).value as PolicyId; }).then(() => { renderProfile(); void renderRules(); }));
$('employer').addEventListener('change', () => void edited((s) => { s.profile.employer = ($('employer') as HTMLInputElement).value.trim(); }));
$('aliases').addEventListener('change', () => void edited((s) => { s.profile.aliases = splitNames(($('aliases') as HTMLInputElement).value); }));
$('role').addEventListener('change', () => void edited((s) => { s.profile.role = ($('role') as HTMLInputElement).value.trim() || null; }));

function renderSites(): void {
  const e = state.effective;
  const ids = [...new Set([...SITES.map((s) => s.id), ...e.enabled_sites])];
  $('site-rows').replaceChildren(...ids.map((id) => {
    const known = SITES.find((s) => s.id === id);
    const enabled = e.enabled_sites.includes(id);
    const min = state.policy?.minimum_strictness[id] ?? 'off';
    const name = known?.name ?? siteName(id);
    const select = strictnessSelect(`site-${id}`, e.sites[id] ?? known?.defaultStrictness ?? 'standard', min, `Strictness on ${name}`);
    select.disabled = !enabled;
    select.addEventListener('change', async () => {
      const result = await ask({ kind: 'set-site-strictness', site: id, strictness: select.value as Strictness });
      if (!result.ok) say(result.error, true);
      else { await load(); say('Saved.'); }
      renderSites();
    });
    let action: HTMLElement;
    if (min !== 'off') action = element('span', { className: 'locked' }, `Locked: at least ${STRICTNESS_LABEL[min]}`);
    else if (!known) action = element('button', { type: 'button', onclick: () => void removeSite(id) }, `Remove ${name}`);
    else action = element('button', { type: 'button', onclick: () => void toggleSite(id, !enabled) }, enabled ? `Stop checking ${name}` : `Check ${name}`);
    return element('tr', {}, element('th', { scope: 'row' }, name, enabled ? '' : element('span', { className: 'hint' }, ' (not checked)')), element('td', {}, select), element('td', {}, action));
  }));
  const pausedUntil = e.pause_until !== null && e.pause_until > Date.now() ? e.pause_until : null;
  $('pause-line').hidden = pausedUntil === null;
  if (pausedUntil) $('pause-text').textContent = `Checking is paused until ${new Date(pausedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`;
}

async function toggleSite(id: string, on: boolean): Promise<void> {
  await edited((s) => {
    s.enabled_sites = s.enabled_sites.filter((x) => x !== id);
    if (on) s.enabled_sites.push(id);
  });
  renderSites();
}

async function removeSite(id: string): Promise<void> {
  const result = await ask({ kind: 'remove-site', site: id });
  if (!result.ok) say(result.error, true);
  else { await load(); say(`Removed ${id}.`); }
  renderSites();
}

$('resume').addEventListener('click', async () => {
  await ask({ kind: 'resume' });
  await load();
  renderSites();
});

// ---- Custom terms: validated one by one, so one mistake does not block the rest ----------

function renderTerms(): void {
  if (termDrafts.length === 0) termDrafts = structuredClone(state.settings.profile.custom_terms);
  $('term-rows').replaceChildren(...termDrafts.map((term, i) => {
    const error = termErrors[i];
    const errorId = `term-error-${i}`;
    const pattern = element('input', { type: 'text', value: term.pattern, 'aria-label': `Term ${i + 1}`, 'aria-invalid': error ? 'true' : 'false', ...(error ? { 'aria-describedby': errorId } : {}) });
    const category = element('select', { 'aria-label': `Category of term ${i + 1}` });
    for (const c of CATEGORIES) category.append(element('option', { value: c, selected: c === term.category }, c));
    const regex = element('input', { type: 'checkbox', checked: term.regex === true, id: `term-regex-${i}` });
    const remove = element('button', { type: 'button' }, `Remove term ${i + 1}`);
    const update = () => {
      termDrafts[i] = { ...term, pattern: pattern.value, category: category.value as Category, ...(regex.checked ? { regex: true } : { regex: undefined }) };
      if (!regex.checked) delete termDrafts[i].regex;
      void saveTerms();
    };
    pattern.addEventListener('change', update);
    category.addEventListener('change', update);
    regex.addEventListener('change', update);
    remove.addEventListener('click', () => { termDrafts.splice(i, 1); termErrors.splice(i, 1); void saveTerms(); });
    const row = element('li', {}, pattern, category, element('label', { for: `term-regex-${i}`, className: 'inline-label' }, regex, ' regular expression'), remove);
    if (error) row.append(element('p', { id: errorId, className: 'error' }, error));
    return row;
  }));
  const extra = state.policy?.extra_terms ?? [];
  $('org-terms').hidden = extra.length === 0;
  $('org-terms').textContent = extra.length ? `From your organisation (always flagged): ${extra.map((t) => t.pattern).join(', ')}.` : '';
}

async function saveTerms(): Promise<void> {
  const nonEmpty = termDrafts.map((t) => ({ ...t, pattern: t.pattern.trim() }));
  const verdicts = await ask<{ verdicts: (string | null)[] }>({ kind: 'check-terms', terms: nonEmpty });
  termErrors = verdicts.ok ? verdicts.verdicts.map((v, i) => (nonEmpty[i].pattern === '' ? 'Type the term, or remove this row.' : v)) : [];
  const good = nonEmpty.filter((_, i) => !termErrors[i]);
  await edited((s) => { s.profile.custom_terms = good; });
  renderTerms();
  if (termErrors.some(Boolean)) say('Saved the other terms; the one marked is not used until it is fixed.', true);
}

$('add-term').addEventListener('click', () => {
  termDrafts.push({ pattern: '', category: 'confidential' });
  termErrors.push(null);
  renderTerms();
  const inputs = $('term-rows').querySelectorAll<HTMLInputElement>('input[type="text"]');
  inputs[inputs.length - 1]?.focus();
});

// ---- Allowed phrases, rules --------------------------------------------------------------

function renderPhrases(): void {
  const allowed = $('allowed') as HTMLTextAreaElement;
  allowed.value = state.settings.profile.allowed_phrases.join('\n');
  allowed.disabled = locked('allowed_phrases');
}
$('allowed').addEventListener('change', () => void edited((s) => {
  s.profile.allowed_phrases = [...new Set(($('allowed') as HTMLTextAreaElement).value.split('\n').map((x) => x.trim()).filter(Boolean))];
}));

async function renderRules(): Promise<void> {
  const response = await ask<{ rules: RuleInfo[] }>({ kind: 'list-rules', policy: state.effective.profile.policy });
  if (!response.ok) {
    $('rule-rows').replaceChildren(element('li', { className: 'error' }, response.error));
    return;
  }
  const disabled = new Set(state.effective.profile.disabled_rules);
  $('rule-rows').replaceChildren(...response.rules.map((rule) => {
    const box = element('input', { type: 'checkbox', checked: !disabled.has(rule.id), disabled: locked('disabled_rules'), 'aria-describedby': `rule-meta-${rule.id}` });
    box.addEventListener('change', () => void edited((s) => {
      s.profile.disabled_rules = s.profile.disabled_rules.filter((r) => r !== rule.id);
      if (!box.checked) s.profile.disabled_rules.push(rule.id);
    }));
    const source = rule.source.url ? element('a', { href: rule.source.url, target: '_blank', rel: 'noreferrer' }, `${rule.source.title}${rule.source.section ? `, ${rule.source.section}` : ''}`) : rule.source.title;
    return element('li', {},
      element('label', {}, box, element('span', {}, rule.message, element('span', { className: 'meta', id: `rule-meta-${rule.id}` }, ` ${rule.severity} · ${rule.category ?? 'combination'} · ${rule.id}`))),
      element('details', {}, element('summary', {}, 'Why, and the source'), element('p', {}, rule.explanation), element('p', {}, 'Source: ', source)));
  }));
}

// ---- Try it --------------------------------------------------------------------------------

let trySeq = 0;
async function tryIt(): Promise<void> {
  const seq = ++trySeq;
  const text = ($('try-text') as HTMLTextAreaElement).value;
  const strictness = ($('try-strictness') as HTMLSelectElement).value as Strictness;
  const profile: Profile = state.settings.profile;
  const response = await ask<{ findings: Finding[] }>({ kind: 'try-check', text, strictness, profile });
  if (seq !== trySeq) return; // a newer keystroke is on its way
  const results = $('try-results');
  if (!response.ok) { results.replaceChildren(element('p', { className: 'error' }, response.error)); return; }
  if (!text.trim()) { results.replaceChildren(); return; }
  if (response.findings.length === 0) { results.replaceChildren(element('p', { className: 'ok' }, 'Nothing found.')); return; }
  results.replaceChildren(
    element('p', {}, response.findings.length === 1 ? '1 finding:' : `${response.findings.length} findings:`),
    ...response.findings.map((f) => element('div', { className: `finding ${f.severity}` }, element('strong', {}, `“${f.text}”`), ` ${f.message}`, element('span', { className: 'meta small' }, ` (${f.severity})`))));
}
$('try-text').addEventListener('input', () => void tryIt());
$('try-strictness').addEventListener('change', () => void tryIt());

// ---- Export and import ---------------------------------------------------------------------

$('export').addEventListener('click', async () => {
  const response = await ask<{ json: string }>({ kind: 'export-settings' });
  if (!response.ok) { say(response.error, true); return; }
  const url = URL.createObjectURL(new Blob([response.json], { type: 'application/json' }));
  const link = element('a', { href: url, download: 'impartial-settings.json' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
});

$('import-file').addEventListener('change', async () => {
  const input = $('import-file') as HTMLInputElement;
  const file = input.files?.[0];
  const result = $('import-result');
  if (!file) return;
  const text = await file.text();
  const response = await ask({ kind: 'import-settings', json: text });
  input.value = '';
  if (!response.ok) {
    result.className = 'error';
    result.textContent = `Nothing was changed: ${file.name} has a problem. ${response.error}`;
    return;
  }
  await load();
  termDrafts = [];
  termErrors = [];
  showSettings();
  result.className = 'ok';
  result.textContent = `Imported ${file.name}.`;
});

// ---- Start ---------------------------------------------------------------------------------

chrome.storage.onChanged.addListener((_changes, area) => {
  if (area !== 'sync' && area !== 'managed') return;
  // Changed elsewhere (the popup, a card, another device): show it, unless typing here.
  void load().then(() => {
    if ($('settings').hidden) return;
    const active = document.activeElement;
    if (active && active.matches('input[type="text"], textarea')) return;
    renderBanner();
    renderSites();
  });
});

void load().then(() => {
  const welcome = location.hash === '#welcome' || !state.onboarded;
  if (welcome) {
    $('welcome').hidden = false;
    renderOnboarding();
  } else {
    showSettings();
  }
  document.documentElement.dataset.ready = 'true';
}, (error: unknown) => {
  $('policy-banner').hidden = false;
  $('policy-banner').textContent = `Impartial could not load its settings: ${String(error)}`;
});
