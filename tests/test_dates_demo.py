"""The date engine on the demo corpus: every expected date and link of annotate/data/demo/expected_dates.json."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from annotate.dates import DateExtraction, extract_dates

DEMO = Path(__file__).resolve().parent.parent / "annotate" / "data" / "demo"


@cache
def _docs() -> dict[str, dict[str, Any]]:
    lines = (DEMO / "demo.jsonl").read_text(encoding="utf-8").splitlines()
    return {d["id"]: d for d in map(json.loads, lines)}


@cache
def _expected() -> list[dict[str, Any]]:
    return list(json.loads((DEMO / "expected_dates.json").read_text(encoding="utf-8"))["documents"])


@cache
def _run(doc_id: str) -> DateExtraction:
    d = _docs()[doc_id]
    return extract_dates(d["text"], d["lang"], dt.date.fromisoformat(d["reference_date"]))


MENTIONS = [(e["doc_id"], m) for e in _expected() for m in e["dates"]]
LINKS = [(e["doc_id"], e, link) for e in _expected() for link in e.get("links", [])]


@pytest.mark.parametrize(("doc_id", "want"), MENTIONS, ids=[f"{d}:{m['id']}" for d, m in MENTIONS])
def test_expected_date_found_with_its_value(doc_id: str, want: dict[str, Any]) -> None:
    got = {(m.start, m.end): m for m in _run(doc_id).mentions}
    m = got.get((want["start"], want["end"]))
    near = [(x.text, x.start, x.end) for x in got.values() if x.start < want["end"] and x.end > want["start"]]
    assert m is not None, f"{want['text']!r} at [{want['start']}, {want['end']}) not found; overlapping: {near}"
    assert (m.calendar.value, m.granularity.value) == (want["calendar"], want["granularity"])
    assert (str(m.gregorian_start), str(m.gregorian_end)) == (want["gregorian_start"], want["gregorian_end"])
    assert (m.native.year, m.native.month, m.native.day) == tuple(want["native"][k] for k in ("year", "month", "day"))
    assert m.year_inferred == want["year_inferred"]


@pytest.mark.parametrize(
    ("doc_id", "doc", "want"), LINKS, ids=[f"{d}:{x['source']}-{x['target']}" for d, _, x in LINKS]
)
def test_expected_link_found_with_its_consistency(doc_id: str, doc: dict[str, Any], want: dict[str, Any]) -> None:
    spans = {m["id"]: (m["start"], m["end"]) for m in doc["dates"]}
    out = _run(doc_id)
    ids = {m.id: (m.start, m.end) for m in out.mentions}
    pairs = {frozenset((ids[link.source], ids[link.target])): link for link in out.links}
    link = pairs.get(frozenset((spans[want["source"]], spans[want["target"]])))
    assert link is not None, f"no link between {want['source']} and {want['target']}"
    assert link.consistent == want["consistent"], link.reason
    if not want["consistent"]:
        assert link.reason


def test_no_unexpected_links() -> None:
    expected = sum(len(e.get("links", [])) for e in _expected())
    assert sum(len(_run(e["doc_id"]).links) for e in _expected()) == expected
