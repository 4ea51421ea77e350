"""Bidi isolation of right-to-left phrases inside left-to-right interface messages (``annotate.text.bidi``)."""

from __future__ import annotations

import pytest

from annotate.text.bidi import FSI, PDI, isolate_rtl


@pytest.mark.parametrize(
    ("message", "isolated"),
    [
        ("1 شوال 1446 is 2025-03-30", ["1 شوال 1446"]),
        ("10 بهمن 1398 is 2020-01-30, not 2020-01-31", ["10 بهمن 1398"]),
        ("the date روز جمعه ۲۴ اسفند: fixed", ["روز جمعه ۲۴ اسفند"]),
        ("January vs December", []),
        ("2024-03-10 and ٢٩ شعبان ١٤٤٥ هـ and 31 مارس 2025", ["٢٩ شعبان ١٤٤٥ هـ", "31 مارس 2025"]),
    ],
)
def test_each_rtl_phrase_with_its_numbers_is_one_isolate(message: str, isolated: list[str]) -> None:
    out = isolate_rtl(message)
    assert out.replace(FSI, "").replace(PDI, "") == message  # nothing but the isolates is added
    found = [part.split(PDI)[0] for part in out.split(FSI)[1:]]
    assert found == isolated
