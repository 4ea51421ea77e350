"""The date engine scored on the real-forms table (``tests/data/dates_real_forms.jsonl``, issue 13), per category.

The table was written independently of the engine (see ``tests/data/dates_real_forms.md``); the scoring rules are
those of ``tests/dates_scoring.py``, which ``benchmarks/dates_accuracy.py`` prints.  Each value category, each
link kind and each no-date trap sentence is its own case, so a regression names what broke.
"""

from __future__ import annotations

from functools import cache

import pytest
from dates_scoring import Score, Tally, link_kind, load_real_forms, score_records

from annotate.dates import extract_dates

RECORDS = load_real_forms()
VALUE_CATEGORIES = sorted({m["category"] for r in RECORDS for m in r["mentions"]})
LINK_KINDS = sorted({link_kind(lk) for r in RECORDS for lk in r["links"]})
TRAPS = [r for r in RECORDS if r.get("trap") == "no_date"]


@cache
def score() -> Score:
    return score_records(RECORDS, extract_dates)


def _explain(tally: Tally) -> str:
    return "\n".join(tally.misses)


@pytest.mark.parametrize("category", VALUE_CATEGORIES)
def test_values_of_category(category: str) -> None:
    tally = score().values[category]
    assert tally.right == tally.total, _explain(tally)


@pytest.mark.parametrize("kind", LINK_KINDS)
def test_links_of_kind(kind: str) -> None:
    tally = score().links[kind]
    assert tally.right == tally.total, _explain(tally)


@pytest.mark.parametrize("record", TRAPS, ids=[r["id"] for r in TRAPS])
def test_trap_sentence_has_no_date(record: dict[str, object]) -> None:
    (one,) = [r for r in RECORDS if r["id"] == record["id"]]
    s = score_records([one], extract_dates)
    assert s.false_dates.right == 1, _explain(s.false_dates)


def test_no_link_the_table_does_not_have() -> None:
    assert not score().false_links, "\n".join(score().false_links)


def test_issue_targets() -> None:
    """At least 95% of values and 90% of links (issue 13), and the table is big enough to say so."""
    s = score()
    values, links = s.total(s.values), s.total(s.links)
    assert values.total >= 250 and links.total >= 80
    assert values.rate >= 0.95 and links.rate >= 0.90, (values, links)
