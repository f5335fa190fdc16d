// Site adapters as data: where each supported site's compose boxes live and how strict
// Impartial is there by default. Host patterns here must agree with manifest.json's
// content_scripts matches (a unit test checks that).

export type Strictness = 'off' | 'relaxed' | 'standard' | 'strict';

export interface SiteAdapter {
  /** Stable id used in settings, e.g. "x". */
  id: string;
  name: string;
  /** Exact host names the site is served from. */
  hosts: string[];
  /** Selectors for editor roots, most specific first. */
  editors: string[];
  /** Selectors for the site's "post" buttons (for the review before posting). */
  postButtons: string[];
  defaultStrictness: Strictness;
}

// Generic fallbacks, tried after a site's own selectors (and alone on sites the user adds).
export const GENERIC_EDITORS = ['textarea', '[contenteditable="true"]', '[contenteditable=""]'];

export const SITES: readonly SiteAdapter[] = [
  {
    id: 'x', name: 'X', hosts: ['x.com', 'twitter.com', 'mobile.twitter.com'],
    editors: ['.public-DraftEditor-content', '[data-testid^="tweetTextarea_"][contenteditable]'],
    postButtons: ['[data-testid="tweetButtonInline"]', '[data-testid="tweetButton"]'],
    defaultStrictness: 'standard',
  },
  {
    id: 'facebook', name: 'Facebook', hosts: ['www.facebook.com', 'facebook.com', 'web.facebook.com'],
    editors: ['[data-lexical-editor="true"]'],
    postButtons: ['[role="button"][aria-label="Post"]'],
    defaultStrictness: 'relaxed',
  },
  {
    id: 'linkedin', name: 'LinkedIn', hosts: ['www.linkedin.com'],
    editors: ['.ql-editor', '.msg-form__contenteditable'],
    postButtons: ['.share-actions__primary-action'],
    defaultStrictness: 'strict',
  },
  {
    id: 'mastodon', name: 'Mastodon', hosts: ['mastodon.social'],
    editors: ['textarea.autosuggest-textarea__textarea'],
    postButtons: ['.compose-form button[type="submit"]', 'button.button--block[type="submit"]'],
    defaultStrictness: 'standard',
  },
  {
    id: 'bluesky', name: 'Bluesky', hosts: ['bsky.app'],
    editors: ['.ProseMirror'],
    postButtons: ['[data-testid="composerPublishBtn"]'],
    defaultStrictness: 'standard',
  },
  {
    id: 'threads', name: 'Threads', hosts: ['www.threads.com', 'www.threads.net'],
    editors: ['[data-lexical-editor="true"]'],
    postButtons: ['div[role="button"]:not([aria-disabled="true"])'],
    defaultStrictness: 'standard',
  },
  {
    id: 'reddit', name: 'Reddit', hosts: ['www.reddit.com', 'old.reddit.com'],
    editors: ['shreddit-composer [contenteditable="true"]', 'textarea[name="text"]', 'textarea'],
    postButtons: ['button[type="submit"]'],
    defaultStrictness: 'standard',
  },
];

export function siteForHost(host: string): SiteAdapter | undefined {
  return SITES.find((site) => site.hosts.includes(host));
}

/** The four strictness levels, lowest first. */
export const STRICTNESS_LEVELS: readonly Strictness[] = ['off', 'relaxed', 'standard', 'strict'];

/** The site's display name by settings id (known sites by name, other sites by host). */
export function siteName(id: string): string {
  return SITES.find((site) => site.id === id)?.name ?? id;
}
