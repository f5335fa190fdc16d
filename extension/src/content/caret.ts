// The editor's caret, saved before the extension's UI takes focus and put back after, so
// the page's editor reads a selection inside itself again (Draft.js throws on one left in
// the extension's dialog).

/** Remembers the editor's selection; the returned function puts focus and caret back. */
export function saveCaret(editor: HTMLElement): () => void {
  if (editor instanceof HTMLTextAreaElement) {
    const { selectionStart, selectionEnd } = editor;
    return () => {
      editor.focus({ preventScroll: true });
      editor.setSelectionRange(selectionStart, selectionEnd);
    };
  }
  const selection = getSelection();
  const saved = selection && selection.rangeCount > 0 ? selection.getRangeAt(0).cloneRange() : undefined;
  return () => {
    editor.focus({ preventScroll: true });
    if (saved && editor.contains(saved.startContainer)) {
      const now = getSelection();
      now?.removeAllRanges();
      now?.addRange(saved);
    }
  };
}
