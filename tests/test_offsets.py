"""Code point <-> UTF-16 offset conversion (annotate.text.offsets)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotate.errors import InputError
from annotate.text.offsets import OffsetMap, codepoints_to_utf16, offset_map, utf16_to_codepoints

ZWNJ = "\u200c"

# Characters the app meets: Persian/Arabic letters and digits, ZWNJ, diacritics, LF, Latin, and astral ones.
_chars = st.one_of(
    st.sampled_from([*"میشودکیگپچژءآأإؤئةيىكه۰۱۲۳٤٥٦0123 \n", ZWNJ, "\u064e", "\u0651", "\u200f"]),
    st.sampled_from(["😀", "👍", "🇮", "🇷", "𝐀", "𐎠", "🏽", "\U0010ffff"]),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)
texts = st.text(alphabet=_chars, max_size=60)


def _u16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


@given(texts)
def test_every_codepoint_boundary_round_trips(text: str) -> None:
    m = OffsetMap(text)
    assert m.utf16_length == _u16_len(text)
    for cp in range(len(text) + 1):
        u = m.to_utf16(cp)
        assert u == _u16_len(text[:cp])  # the reference: encode the prefix
        assert m.to_codepoint(u) == cp


@given(texts)
def test_utf16_offsets_inside_a_pair_are_refused_and_others_map(text: str) -> None:
    m = OffsetMap(text)
    boundaries = {_u16_len(text[:cp]) for cp in range(len(text) + 1)}
    for u in range(m.utf16_length + 1):
        if u in boundaries:
            cp = m.to_codepoint(u)
            assert _u16_len(text[:cp]) == u
        else:
            with pytest.raises(InputError, match="inside the surrogate pair"):
                m.to_codepoint(u, field="actions[0].start")


@given(texts, texts)
def test_span_conversion_selects_the_same_characters(prefix: str, body: str) -> None:
    text = prefix + body + "."
    m = OffsetMap(text)
    s16, e16 = m.span_to_utf16(len(prefix), len(prefix) + len(body))
    # What the browser would slice with its UTF-16 offsets is exactly the code-point slice.
    assert text.encode("utf-16-le")[2 * s16 : 2 * e16].decode("utf-16-le") == body
    assert m.span_to_codepoints(s16, e16) == (len(prefix), len(prefix) + len(body))


@pytest.mark.parametrize(
    ("text", "cp", "u16"),
    [
        ("سلام", 4, 4),
        ("می" + ZWNJ + "شود", 3, 3),  # ZWNJ is BMP: one unit, counted like any other character
        ("😀سلام", 1, 2),
        ("😀سلام", 5, 6),
        ("a😀b👍c", 3, 4),
        ("a😀b👍c", 5, 7),
        ("العراق 🇮🇶", 9, 11),
    ],
)
def test_known_offsets(text: str, cp: int, u16: int) -> None:
    assert codepoints_to_utf16(text, cp) == u16
    assert utf16_to_codepoints(text, u16) == cp


def test_all_bmp_text_builds_no_index() -> None:
    m = OffsetMap("محمد شیاع السودانی، صدراعظم عراق" + ZWNJ * 3)
    assert m.all_bmp
    assert m._astral_cp == [] and m._astral_u16 == []
    assert not OffsetMap("x😀").all_bmp


@pytest.mark.parametrize(
    ("method", "value", "field", "message"),
    [
        ("to_codepoint", 2, "actions[3].start", r"actions\[3\]\.start: UTF-16 offset 2 falls inside"),
        ("to_codepoint", 9, "end", r"end: UTF-16 offset 9 is outside the text \(0\.\.5"),
        ("to_codepoint", -1, "start", r"start: UTF-16 offset -1 is outside"),
        ("to_utf16", 5, "mention.end", r"mention\.end: code-point offset 5 is outside the text \(0\.\.4\)"),
        ("to_utf16", "3", "start", r"start: offset must be an integer, got '3'"),
        ("to_codepoint", True, "end", r"end: offset must be an integer, got True"),
    ],
)
def test_rejections_name_the_field(method: str, value: object, field: str, message: str) -> None:
    m = OffsetMap("a😀bc")
    with pytest.raises(InputError, match=message):
        getattr(m, method)(value, field=field)


def test_span_rejection_names_the_end() -> None:
    with pytest.raises(InputError, match=r"sel\.end: UTF-16 offset 2 falls inside"):
        OffsetMap("a😀bc").span_to_codepoints(0, 2, field="sel")


def test_offset_map_is_cached_per_text() -> None:
    assert offset_map("یک😀") is offset_map("یک😀")


def test_large_text_round_trips() -> None:
    text = ("خبرگزاری" + ZWNJ + "ها 😀 ") * 20000
    m = OffsetMap(text)
    for cp in range(0, len(text), 97):
        assert m.to_codepoint(m.to_utf16(cp)) == cp
