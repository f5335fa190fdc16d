// The text of a contenteditable editor as the engine sees it, with a map back to the DOM.
//
// Editors keep one text node per run of formatted text and one block element per
// paragraph. We concatenate text nodes in document order and put a "\n" between blocks
// and at <br>, so the engine sees line breaks as whitespace. Only real text nodes are
// mapped: an offset that falls on a synthetic "\n" snaps to the nearest text position.

const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE',
  'FOOTER', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'OL', 'P', 'PRE',
  'SECTION', 'TABLE', 'TD', 'TH', 'TR', 'UL',
]);

interface Segment {
  node: Text;
  /** Offset of the node's first character in the extracted text. */
  start: number;
}

export interface TextMap {
  text: string;
  segments: Segment[];
}

/**
 * Reads `root`'s text. Costs one walk over its nodes; the pieces are joined once at the end
 * (asking a string built by `+=` how it ends flattens it, which made long posts quadratic).
 */
export function readEditable(root: Element): TextMap {
  const segments: Segment[] = [];
  const parts: string[] = [];
  let length = 0;
  let endsWithBreak = false;
  const breakLine = () => {
    if (length > 0 && !endsWithBreak) {
      parts.push('\n');
      length += 1;
      endsWithBreak = true;
    }
  };
  const walk = (node: Node) => {
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.nodeType === Node.TEXT_NODE) {
        const data = (child as Text).data;
        if (data.length === 0) continue;
        segments.push({ node: child as Text, start: length });
        parts.push(data);
        length += data.length;
        endsWithBreak = data.endsWith('\n');
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const element = child as Element;
        if (element.tagName === 'BR') {
          breakLine();
          continue;
        }
        const block = BLOCK_TAGS.has(element.tagName);
        if (block) breakLine();
        walk(element);
        if (block) breakLine();
      }
    }
  };
  walk(root);
  return { text: parts.join(''), segments };
}

/** A DOM position for a text offset; `preferEnd` picks the earlier node at a boundary. */
export function domPosition(map: TextMap, offset: number, preferEnd: boolean): { node: Text; offset: number } | undefined {
  const { segments } = map;
  if (segments.length === 0) return undefined;
  // Last segment starting at or before the offset (binary search: long posts have many runs).
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].start <= offset) lo = mid; else hi = mid - 1;
  }
  let seg = segments[lo];
  if (offset < seg.start) return { node: seg.node, offset: 0 };
  const within = offset - seg.start;
  if (within > seg.node.data.length) {
    // On a synthetic line break: snap forward to the next node's start, or stay at this end.
    const next = segments[lo + 1];
    if (next && !preferEnd) return { node: next.node, offset: 0 };
    return { node: seg.node, offset: seg.node.data.length };
  }
  if (within === 0 && preferEnd && lo > 0) {
    seg = segments[lo - 1];
    return { node: seg.node, offset: seg.node.data.length };
  }
  return { node: seg.node, offset: within };
}

/** A live Range over [start, end) of the extracted text, or undefined if it cannot be mapped. */
export function rangeFor(map: TextMap, start: number, end: number): Range | undefined {
  const from = domPosition(map, start, false);
  const to = domPosition(map, end, true);
  if (!from || !to) return undefined;
  const range = document.createRange();
  try {
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
  } catch {
    return undefined;
  }
  return range.collapsed ? undefined : range;
}

/** The text offset of a DOM position inside the mapped editor, if it is in a mapped node. */
export function textOffset(map: TextMap, node: Node, offset: number): number | undefined {
  if (node.nodeType === Node.TEXT_NODE) {
    const seg = map.segments.find((s) => s.node === node);
    return seg ? seg.start + offset : undefined;
  }
  // An element position: the start of the first mapped text node at or after it.
  const point = document.createRange();
  point.setStart(node, offset);
  const next = map.segments.find((seg) => point.comparePoint(seg.node, 0) >= 0);
  return next ? next.start : map.text.length;
}
