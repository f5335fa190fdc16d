// The fixture compose boxes, by site: where to type and how the page exposes its model.
export const EDITORS = [
  { site: 'x', host: 'x.com', editor: '.public-DraftEditor-content', library: 'Draft.js', post: '[data-testid="tweetButtonInline"]' },
  { site: 'facebook', host: 'www.facebook.com', editor: '[data-lexical-editor="true"]', library: 'Lexical (rich text)', post: '[role="button"][aria-label="Post"]' },
  { site: 'threads', host: 'www.threads.com', editor: '[data-lexical-editor="true"]', library: 'Lexical (plain text)', post: 'div[role="button"]' },
  { site: 'linkedin', host: 'www.linkedin.com', editor: '.ql-editor', library: 'Quill', post: '.share-actions__primary-action' },
  { site: 'bluesky', host: 'bsky.app', editor: '.ProseMirror', library: 'TipTap', post: '[data-testid="composerPublishBtn"]' },
  { site: 'mastodon', host: 'mastodon.social', editor: 'textarea.autosuggest-textarea__textarea', library: 'textarea', textarea: true, post: 'button[type="submit"]' },
  { site: 'reddit', host: 'www.reddit.com', editor: 'textarea[name="text"]', library: 'React textarea', textarea: true, post: 'button[type="submit"]' },
];
