"""Accuracy of the date engine next to ``dateparser`` (issue 3), printed as tables.

1. Seed corpus (``shared/seeds`` with the manifest's reference dates) against ``tests/data/seed_dates.json``:
   a gold date value is right when a found date overlapping its span has its Gregorian value (for dateparser,
   which returns one datetime, any day inside a gold month/year range counts); a gold link is right when the
   two mentions are linked with the right consistency (dateparser links nothing).
2. Peer cases (``shared/eval/peer_date_cases.jsonl``) per task, scored by the rules of
   ``tests/test_dates_peer.py`` for both tools on the same inputs; excluded cases are listed with their reason.

Run: ``.venv/bin/python benchmarks/dates_accuracy.py [--misses]``.
"""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from _common import dateparser_search, load_peer_rules, load_seed_gold, month_end, quiet_dateparser

from annotate.dates import ENGINE_VERSION, extract_dates


def seed_table(show_misses: bool) -> None:
    """Date values and links right on the seed corpus, ours vs dateparser."""
    seeds = load_seed_gold()
    rows: dict[str, list[int]] = {"ours": [0, 0, 0, 0], "dateparser": [0, 0, 0, 0]}
    misses: list[str] = []
    for seed in seeds:
        text, lang, ref = seed["text"], seed["lang"], date.fromisoformat(seed["reference_date"])
        result = extract_dates(text, lang, ref)
        dp = dateparser_search(text, lang, ref)
        by_key = {g["key"]: g for g in seed["mentions"]}
        for g in seed["mentions"]:
            first, last = date.fromisoformat(g["gregorian_start"]), date.fromisoformat(g["gregorian_end"])
            ours = any(m.start < g["end"] and g["start"] < m.end and m.gregorian_start == first
                       and m.gregorian_end == last for m in result.mentions)
            theirs = any(s < g["end"] and g["start"] < e and first <= d <= last for s, e, _, d in dp)
            rows["ours"][0] += ours
            rows["dateparser"][0] += theirs
            rows["ours"][1] += 1
            rows["dateparser"][1] += 1
            if not ours:
                misses.append(f"  ours missed {seed['file'][:3]} {g['text']!r} = {first}..{last}")
        spans = {(m.start, m.end): m.id for m in result.mentions}
        for link in seed["links"]:
            a, b = by_key[link["source"]], by_key[link["target"]]
            ids = {spans.get((a["start"], a["end"])), spans.get((b["start"], b["end"]))}
            ok = any({lk.source, lk.target} == ids and lk.consistent is link["consistent"] for lk in result.links)
            rows["ours"][2] += ok
            rows["ours"][3] += 1
            rows["dateparser"][3] += 1
            if not ok:
                misses.append(f"  ours missed link {a['text']!r} <-> {b['text']!r}")
    print(f"Seed corpus ({len(seeds)} articles, manifest reference dates), engine {ENGINE_VERSION}")
    print(f"{'tool':<12} {'date values right':>18} {'links right':>12}")
    for tool, (v, vn, lk, ln) in rows.items():
        print(f"{tool:<12} {f'{v}/{vn}':>18} {f'{lk}/{ln}':>12}")
    if show_misses and misses:
        print("\n".join(misses))


def dateparser_outcome(peer: Any, case: Any) -> Any:
    """dateparser on one peer case: search_dates, plus a whole-text parse (and its Jalali/Hijri calendars)."""
    import dateparser
    from dateparser.date import DateDataParser

    lang = {"prs": "fa"}.get(case.lang, case.lang)
    settings: dict[str, Any] = {}
    if case.reference:
        r = case.reference
        settings["RELATIVE_BASE"] = datetime(r.year, r.month, r.day)
    if case.task in ("convert", "convert_invalid"):
        try:
            got = _calendar_parse(case) or dateparser.parse(case.text, languages=[lang], settings=settings)
        except Exception as exc:
            return peer.Outcome(error=f"{type(exc).__name__}: {exc}")
        if got is None:
            return peer.Outcome(error="InvalidDate: dateparser returned nothing")
        return peer.Outcome(converted=got.date())
    hits = [peer.Hit(sub, s, e, d, d) for s, e, sub, d in dateparser_search(case.text, case.lang, case.reference)]
    if case.task in ("normalize", "normalize_underspecified", "search"):
        try:
            data = DateDataParser(languages=[lang], settings=settings).get_date_data(case.text)
            cal = _calendar_parse(case)
        except Exception:
            data, cal = None, None
        if data is not None and data.date_obj is not None:
            d = data.date_obj.date()
            if data.period == "month":
                hits.append(peer.Hit(case.text, 0, len(case.text), d.replace(day=1), month_end(d), "month"))
            else:
                hits.append(peer.Hit(case.text, 0, len(case.text), d, d))
        if cal is not None:
            hits.append(peer.Hit(case.text, 0, len(case.text), cal.date(), cal.date()))
    return peer.Outcome(hits=hits)


def _calendar_parse(case: Any) -> datetime | None:
    """dateparser's own non-Gregorian parsers (JalaliCalendar needs convertdate, HijriCalendar hijri-converter)."""
    cal = case.data.get("calendar")
    if cal == "jalali":
        from dateparser.calendars.jalali import JalaliCalendar

        data = JalaliCalendar(case.text).get_date()
    elif cal == "hijri_umalqura":
        from dateparser.calendars.hijri import HijriCalendar

        data = HijriCalendar(case.text).get_date()
    else:
        return None
    return data.date_obj if data is not None else None


def peer_table(show_misses: bool) -> None:
    """Per task: applicable cases right, ours vs dateparser; then every excluded case and why."""
    peer = load_peer_rules()
    cases = peer.load_cases()
    ours = peer.score(cases, peer.run_ours)
    theirs = peer.score(cases, lambda c: dateparser_outcome(peer, c))
    print(f"\nPeer cases ({len(cases)} in {peer.PEER_PATH.name}), scored on the cases whose convention is ours")
    print(f"{'task':<26} {'cases':>6} {'excluded':>9} {'ours':>12} {'dateparser':>12}")
    for task in peer.TASKS:
        o, t = ours[task], theirs[task]
        total = o.applicable + len(o.excluded)
        print(f"{task:<26} {total:>6} {len(o.excluded):>9} {f'{o.right}/{o.applicable}':>12} "
              f"{f'{t.right}/{t.applicable}':>12}")
    print("\nExcluded (the peer's convention is not ours):")
    for task in peer.TASKS:
        for line in ours[task].excluded:
            print(f"  {line}")
    if show_misses:
        print("\nOur misses:")
        for task in peer.TASKS:
            for line in ours[task].misses:
                print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="also print every case our engine gets wrong")
    args = parser.parse_args()
    quiet_dateparser()
    seed_table(args.misses)
    peer_table(args.misses)


if __name__ == "__main__":
    main()
