"""Shared pieces of the date benchmarks: paths, the seed gold, the peer scoring rules and dateparser adapters.

The peer-case rules and scoring live in ``tests/test_dates_peer.py`` (the acceptance test owns them); this
module loads them from there so that the benchmark and the test can never disagree.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SHARED = Path(os.environ.get("ANNOTATE_SHARED", ROOT.parent / "shared"))
SEEDS_DIR = SHARED / "seeds"
GOLD_PATH = TESTS / "data" / "seed_dates.json"
DATEPARSER_LANG = {"fa": "fa", "prs": "fa", "ar": "ar"}  # dateparser has no Dari: it reads prs as fa


def load_peer_rules() -> ModuleType:
    """``tests/test_dates_peer.py`` as a module (its exclusion rules, ``judge`` and ``score``)."""
    sys.path.insert(0, str(TESTS))
    spec = importlib.util.spec_from_file_location("test_dates_peer", TESTS / "test_dates_peer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["test_dates_peer"] = module
    spec.loader.exec_module(module)
    return module


def load_seed_gold() -> list[dict[str, Any]]:
    """Every seed of the gold with its frozen ``text`` added."""
    from annotate.models import freeze_text

    gold = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    seeds = gold["seeds"]
    for seed in seeds:
        seed["text"] = freeze_text((SEEDS_DIR / seed["file"]).read_text(encoding="utf-8"))
    return list(seeds)


def quiet_dateparser() -> None:
    """dateparser warns about pytz/timezones on every call; the benchmark output needs none of it."""
    warnings.filterwarnings("ignore")


def dateparser_search(text: str, lang: str, reference: date | None) -> list[tuple[int, int, str, date]]:
    """``dateparser.search.search_dates`` with its substrings located in ``text``: (start, end, text, day)."""
    from dateparser.search import search_dates

    settings: dict[str, Any] = {}
    if reference is not None:
        settings["RELATIVE_BASE"] = datetime(reference.year, reference.month, reference.day)
    try:
        found = search_dates(text, languages=[DATEPARSER_LANG[lang]], settings=settings) or []
    except Exception:  # dateparser raises on some inputs; that is a miss, not a crash of the benchmark
        return []
    out, pos = [], 0
    for sub, when in found:
        at = text.find(sub, pos)
        if at < 0:
            at = text.find(sub)
        if at < 0:
            continue
        out.append((at, at + len(sub), sub, when.date()))
        pos = at + len(sub)
    return out


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
