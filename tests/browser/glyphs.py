"""Which way the guillemets on a page point, read from the pixels Chromium drew.

A guillemet is a mirrored character: in a right-to-left run Chromium draws the other glyph.  Whether a pair points
outwards (in a left-to-right line the opening one points left, in a right-to-left line right) is therefore checked on
a screenshot, not on the text.  Take the page at ``device_scale_factor=2`` (``served_app.new_page(scale=2)``): at 1 a
guillemet is a few pixels wide.
"""

from __future__ import annotations

import io
from typing import Any

__all__ = ["GUILLEMETS_JS", "assert_guillemets_point_outwards", "glyph_points_left"]


def glyph_points_left(png: bytes) -> bool | None:
    """Whether the guillemet drawn in ``png`` points left («) or right (»): where its ink reaches furthest to the
    left, at the middle row (a left point) or at the top and bottom rows (a right point)."""
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("L")
    w, h = im.size
    px = im.load()
    assert px is not None
    dark = sum(px[x, y] for x in range(w) for y in range(h)) / (w * h) < 128  # light ink on a dark page
    ink = [[(px[x, y] > 128) if dark else (px[x, y] < 128) for x in range(w)] for y in range(h)]
    for x in range(w):  # a border running through the box is not the glyph
        if all(ink[y][x] for y in range(h)):
            for y in range(h):
                ink[y][x] = False
    rows = [y for y in range(h) if any(ink[y])]
    if len(rows) < 3:
        return None
    top, bottom = rows[0], rows[-1]
    mid = (top + bottom) // 2
    first = lambda y: next((x for x in range(w) if ink[y][x]), w)  # noqa: E731
    return first(mid) < min(first(top), first(bottom))


GUILLEMETS_JS = """(root) => {
  const out = [];
  const walker = document.createTreeWalker(root || document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const t = n.data;
    for (let i = t.indexOf('\\u00ab'); i >= 0; i = t.indexOf('\\u00ab', i + 1)) {
      const j = t.indexOf('\\u00bb', i);
      if (j < 0) continue;
      const box = (k) => { const r = document.createRange(); r.setStart(n, k); r.setEnd(n, k + 1);
        const b = r.getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; };
      // Drawn where it can be seen: not clipped away by a scrolled panel or covered by a sticky one.
      const seen = ([x, y, w, h]) => { const e = w && document.elementFromPoint(x + w / 2, y + h / 2);
        return !!e && n.parentElement.contains(e); };
      const a = box(i), b = box(j);
      const dir = getComputedStyle(n.parentElement).direction;
      if (seen(a) && seen(b)) out.push([t.slice(i, j + 1), a, b, dir]);
    }
  }
  return out;
}"""
"""Each visible « ... » pair in one text node under the element it is evaluated on (``locator.evaluate``), or under
the body (``page.evaluate``): ``[quoted text, box of «, box of », computed direction of the text's element]``, boxes
as ``[x, y, width, height]`` in CSS pixels."""


def assert_guillemets_point_outwards(page: Any, root: Any = None) -> list[str]:
    """Check every visible guillemet pair on ``page`` (under the locator ``root``, else the whole body) against the
    computed direction of its line; returns the pairs checked (each « ... » as in the text)."""
    pairs = root.evaluate(GUILLEMETS_JS) if root is not None else page.evaluate(GUILLEMETS_JS)
    for quoted, a, b, direction in pairs:
        opening, closing = [page.screenshot(clip={"x": x, "y": y, "width": w, "height": h}, scale="device")
                            for x, y, w, h in (a, b)]
        # Outwards: in a left-to-right line the opening one points left, in a right-to-left line right (a
        # quotation that wraps has its two guillemets on two lines, so this goes by order, not by position).
        want = (True, False) if direction == "ltr" else (False, True)
        assert (glyph_points_left(opening), glyph_points_left(closing)) == want, (quoted, a, b, direction)
    return [quoted for quoted, *_ in pairs]
