"""Document text quoted inside a left-to-right message keeps its place in Chromium (``annotate.text.bidi.quote``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from annotate.text.bidi import quote

# Where each character is drawn, left to right: x of the middle of the character at each code-point index.
_XS = """(() => {
  const t = document.getElementById('line').firstChild;
  const out = [];
  for (let i = 0; i < t.data.length; i++) {
    const r = document.createRange(); r.setStart(t, i); r.setEnd(t, i + 1);
    const b = r.getBoundingClientRect(); out.push(b.width ? b.left + b.width / 2 : null);
  }
  return out;
})()"""


@pytest.fixture(scope="module")
def page(browser: Any) -> Any:
    return browser.new_page()


def _drawn_order(page: Any, line: str) -> list[str]:
    """The visible characters of ``line`` in the order Chromium draws them, left to right, in an LTR block."""
    page.set_content('<p dir="ltr" id="line" style="font-size:24px"></p>')
    page.evaluate(f"document.getElementById('line').textContent = {json.dumps(line)}")
    xs = page.evaluate(_XS)
    shown = [(x, ch) for x, ch in zip(xs, line, strict=True) if x is not None and ch not in "\u2068\u2069 "]
    return [ch for _, ch in sorted(shown)]


@pytest.mark.parametrize("word", ["بغداد", "۱۰ بهمن ۱۳۹۸", "10 ديسمبر/كانون الأول"])
def test_a_quoted_rtl_word_stays_between_its_guillemets_and_before_the_numbers(page: Any, word: str) -> None:
    order = _drawn_order(page, f"GPE {quote(word)} [10, 15)")
    # Left to right: the label, «, the word (in its own right-to-left order), », then the offsets.
    assert "".join(order[:4]) == "GPE«"
    assert "".join(order[-8:]) == "»[10,15)"


def test_without_isolation_the_same_line_is_reordered(page: Any) -> None:
    """The failure the isolates prevent: the closing guillemet and the numbers join the Arabic run."""
    order = _drawn_order(page, "GPE «بغداد» [10, 15)")
    assert "".join(order[-8:]) != "»[10,15)"
