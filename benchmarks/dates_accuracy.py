"""Accuracy of the date engine next to ``dateparser`` (issues 3 and 13), printed as tables.

0. Real-news forms (issue 13): the independent table ``tests/data/dates_real_forms.jsonl`` and our own
   ``tests/dates_forms.py``, scored by ``tests/dates_scoring.py``: values by form (category), links by kind
   (connector cue, brackets, dateline, apposition ...), false dates on the no-date traps and links the gold does
   not have.  dateparser gets the value columns (a gold value is right for it when a date it finds overlapping
   the span falls inside the gold range) and links nothing.
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
import sys
from datetime import date, datetime
from typing import Any

from _common import TESTS, dateparser_search, load_peer_rules, load_seed_gold, month_end, quiet_dateparser

from annotate.dates import ENGINE_VERSION, DateExtraction, extract_dates
from annotate.models import Calendar, DateMention, Granularity

sys.path.insert(0, str(TESTS))
from dates_forms import as_records
from dates_scoring import LINK_GROUPS, Score, Tally, load_real_forms, score_records


def _dateparser_extract(text: str, lang: str, ref: date | None) -> DateExtraction:
    """dateparser's ``search_dates`` as mentions: each found datetime a day, or its month/year when the gold
    value is a range is not known here, so a day inside the gold range counts (see ``_dateparser_values``)."""
    mentions = [DateMention(id=f"dp-{s}-{e}", start=s, end=e, text=text[s:e], calendar=Calendar.gregorian,
                            lexicon="none", granularity=Granularity.day, gregorian_start=d, gregorian_end=d)
                for s, e, _, d in dateparser_search(text, lang, ref) if e > s]
    return DateExtraction(mentions=mentions, links=[])


def _dateparser_values(records: list[dict[str, Any]]) -> dict[str, Tally]:
    """Per category: gold values dateparser gets (a found day inside the gold range, overlapping the span)."""
    out: dict[str, Tally] = {}
    for rec in records:
        ref = date.fromisoformat(rec["reference_date"]) if rec.get("reference_date") else None
        found = _dateparser_extract(rec["sentence"], rec["lang"], ref).mentions
        for g in rec["mentions"]:
            lo = date.fromisoformat(g.get("part_start") or g["gregorian_start"])
            hi = date.fromisoformat(g.get("part_end") or g["gregorian_end"])
            ok = any(m.start < g["end"] and g["start"] < m.end and m.gregorian_start is not None
                     and lo <= m.gregorian_start <= hi for m in found)
            out.setdefault(g["category"], Tally()).add(ok, "")
    return out


def forms_table(name: str, records: list[dict[str, Any]], show_misses: bool) -> None:
    """Values by category and links by kind on one table of real-news forms, ours vs dateparser."""
    ours: Score = score_records(records, extract_dates)
    theirs = _dateparser_values(records)
    values, links = ours.total(ours.values), ours.total(ours.links)
    dp = Tally(sum(t.right for t in theirs.values()), sum(t.total for t in theirs.values()))
    traps = sum(r.get("trap") == "no_date" for r in records)
    print(f"\n{name}: {len(records)} sentences ({traps} with no date), engine {ENGINE_VERSION}")
    print(f"  values right      ours {values} = {values.rate:.1%}   dateparser {dp} = {dp.rate:.1%}")
    print(f"  links right       ours {links} = {links.rate:.1%}   dateparser 0/{links.total}")
    print(f"  trap sentences with no date found: ours {ours.false_dates}; links the gold does not have: "
          f"{len(ours.false_links)}")
    print(f"  {'value form (category)':<30} {'ours':>9} {'dateparser':>11}")
    for cat in sorted(ours.values):
        print(f"  {cat:<30} {ours.values[cat]!s:>9} {theirs[cat]!s:>11}")
    print(f"  {'links by what joins them':<30} {'ours':>9}")
    for group in LINK_GROUPS:
        if group in ours.link_groups:
            print(f"  {group:<30} {ours.link_groups[group]!s:>9}")
    print(f"  {'link kind (as the table names it)':<30} {'ours':>9}")
    for kind in sorted(ours.links):
        print(f"  {kind:<30} {ours.links[kind]!s:>9}")
    if show_misses:
        for line in [*values.misses, *links.misses, *ours.false_dates.misses, *ours.false_links]:
            print(f"  miss: {line}")


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
    forms_table("Real-news forms table (tests/data/dates_real_forms.jsonl)", load_real_forms(), args.misses)
    forms_table("Our forms table (tests/dates_forms.py)", as_records(), args.misses)
    print()
    seed_table(args.misses)
    peer_table(args.misses)


if __name__ == "__main__":
    main()
