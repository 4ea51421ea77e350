"""The date engine on our own table of real-news date forms (``tests/dates_forms.py``), case by case.

Each case checks the exact mentions (texts and Gregorian values, the month-name set where the table names one)
and the exact ``same_date`` links (every pair of mentions the text states are one day, with its consistency).
"""

from __future__ import annotations

import pytest
from dates_forms import CASES, FormCase

from annotate.dates import extract_dates


@pytest.mark.parametrize("case", CASES, ids=[c.case_id for c in CASES])
def test_form(case: FormCase) -> None:
    result = extract_dates(case.text, case.lang, case.ref)
    got = {m.text: m for m in result.mentions}
    for m in result.mentions:
        assert case.text[m.start:m.end] == m.text
    assert sorted(got) == sorted(d[0] for d in case.dates), [(m.text, m.gregorian_start) for m in result.mentions]
    for expected in case.dates:
        text, (first, last) = expected[0], expected[1]
        m = got[text]
        assert (m.gregorian_start, m.gregorian_end) == (first, last), f"{text}: {m.note}"
        if len(expected) == 3:
            assert m.lexicon == expected[2]
    by_id = {m.id: m.text for m in result.mentions}
    links = {(by_id[lk.source], by_id[lk.target]): lk for lk in result.links}
    expected_links = {(a, b): ok for a, b, ok in case.links}
    assert set(links) == set(expected_links)
    for pair, ok in expected_links.items():
        assert links[pair].consistent is ok, links[pair].reason
        if not ok:
            assert links[pair].reason


def test_table_covers_the_issue_categories() -> None:
    """At least the categories issue 13 names, and enough cases and links in each language."""
    cats = {c.category for c in CASES}
    for needed in ("link: برابر با", "link: مطابق با", "link: مصادف با", "link: معادل", "link: یعنی", "link: =",
                   "link: الموافق", "link: الموافق لـ", "link: الذي يوافق", "link: ويوافق", "link: بتاريخ",
                   "link: masthead layout", "link: three calendars", "link: weekday / today apposition",
                   "link: year after the pair", "link: Hijri ±1", "link: ranges and lists (none)",
                   "value: year from context", "value: tense", "value: two-digit year", "value: year in words",
                   "value: part of a month", "value: Hijri month, Gregorian year", "trap"):
        assert needed in cats, needed
    assert {c.lang for c in CASES} == {"fa", "prs", "ar"}
    assert sum(len(c.links) for c in CASES) >= 40
