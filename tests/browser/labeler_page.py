"""Driving the labeler component in a page: selections and carets placed by document offset.

The browser counts UTF-16 units; these helpers take them (``u16`` converts a code-point offset, independently of
``annotate.text.offsets``, so the tests check that module rather than reuse it).
"""

from __future__ import annotations

SELECT_JS = """([s, e]) => {
  const doc = document.querySelector('.annot-doc');
  const walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
  let pos = 0, start = null, end = null, n;
  while ((n = walker.nextNode())) {
    const len = n.data.length;
    if (start === null && s < pos + len) start = [n, s - pos];
    if (end === null && e <= pos + len) { end = [n, e - pos]; break; }
    pos += len;
  }
  const r = document.createRange();
  r.setStart(...start); r.setEnd(...end);
  const sel = document.getSelection(); sel.removeAllRanges(); sel.addRange(r);
  document.querySelector('.annot-labeler').focus();
  return sel.toString();
}"""
"""Select UTF-16 units ``[s, e)`` of the document, focus the labeler, return the selected text."""

CARET_JS = """(s) => {
  const doc = document.querySelector('.annot-doc');
  const w = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT); let pos = 0, n;
  while ((n = w.nextNode())) { if (s < pos + n.data.length) break; pos += n.data.length; }
  document.getSelection().collapse(n, s - pos);
  document.querySelector('.annot-labeler').focus();
}"""
"""A collapsed selection (a caret) at UTF-16 offset ``s`` of the document, with the labeler focused."""


def u16(text: str, cp: int) -> int:
    """The UTF-16 offset of code-point offset ``cp`` in ``text``."""
    return len(text[:cp].encode("utf-16-le")) // 2
