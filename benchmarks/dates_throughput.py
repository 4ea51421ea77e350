"""Throughput of the date engine on a large generated fa/prs/ar news-like corpus, next to ``dateparser``.

The corpus is deterministic (``--seed``): documents of about 3-5 KB built from the seed articles' own sentences
(real news prose, traps and their own dates included) with more dates sprinkled in, rendered from every
month-name set and digit script of ``calendars.md`` §8, alone or in apposition pairs: about one date per
500 bytes overall (the seeds have one per 750).  Our engine runs over the whole corpus in this one process
(one core); ``dateparser.search.search_dates`` runs over a sample (it is far slower).  Rates use CPU time of
this process (so other load on the machine does not count) and MB are 10**6 bytes of UTF-8; wall time is
printed too.  Targets (issue 3): at least 2 MB/s and at least 100x dateparser.

Run: ``.venv/bin/python benchmarks/dates_throughput.py [--mb 5] [--sample-kb 60] [--seed 7]``.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from datetime import date, timedelta

from _common import SEEDS_DIR, TESTS, dateparser_search, quiet_dateparser

from annotate.dates import ENGINE_VERSION, extract_dates
from annotate.models import freeze_text

sys.path.insert(0, str(TESTS))
# The tests' month-name tables, so the corpus uses every set and spelling they test.
from test_dates_property import DIGITS, MONTH_SETS, WEEKDAYS

SEED_LANGS = {"000": "fa", "001": "ar", "002": "fa", "003": "ar", "004": "prs"}
PAIR_WORDS = {"fa": " برابر با ", "prs": " برابر با ", "ar": " الموافق "}
YEARS = {"gregorian": (1990, 2030), "solar_hijri": (1370, 1410), "lunar_hijri": (1410, 1450)}


def seed_sentences() -> dict[str, list[str]]:
    """The seed articles split into sentences, per language."""
    out: dict[str, list[str]] = {"fa": [], "prs": [], "ar": []}
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        text = freeze_text(path.read_text(encoding="utf-8"))
        for s in re.split(r"(?<=[.!؟?])\s+|\n+", text):
            if len(s.strip()) > 20:
                out[SEED_LANGS[path.name[:3]]].append(s.strip())
    return out


def render_number(rng: random.Random, n: int) -> str:
    script = rng.choice(["ascii", "persian", "arabic", "ascii", "mixed"])
    if script == "mixed":
        return "".join(DIGITS[rng.choice(sorted(DIGITS))][int(c)] for c in str(n))
    return "".join(DIGITS[script][int(c)] for c in str(n))


def render_date(rng: random.Random, lang: str) -> str:
    """One date expression (day-month-year, day-month or month-year), sometimes with a weekday."""
    ms = rng.choice([m for m in MONTH_SETS if lang in m.langs])
    lo, hi = YEARS[ms.calendar]
    month = rng.randint(1, 12)
    name = rng.choice(ms.names[month])
    form = rng.random()
    if form < 0.55:
        text = f"{render_number(rng, rng.randint(1, 28))} {name} {render_number(rng, rng.randint(lo, hi))}"
    elif form < 0.8:
        text = f"{render_number(rng, rng.randint(1, 28))} {name}"
    else:
        text = f"{name} {render_number(rng, rng.randint(lo, hi))}"
    if rng.random() < 0.15:
        text = rng.choice(WEEKDAYS[lang]) + " " + text
    return text


def render_sentence_date(rng: random.Random, lang: str) -> str:
    """A date, or a pair of dates in apposition, as it would sit inside a sentence."""
    first = render_date(rng, lang)
    if rng.random() < 0.2:
        second = render_date(rng, lang)
        return f"{first} ({second})" if rng.random() < 0.5 else first + PAIR_WORDS[lang] + second
    return first


def generate_corpus(megabytes: float, seed: int) -> list[tuple[str, str, date]]:
    """Deterministic documents (text, lang, reference date) totalling at least ``megabytes`` MB of UTF-8."""
    rng = random.Random(seed)
    sentences = seed_sentences()
    preps = {"fa": "در", "prs": "در", "ar": "في"}
    docs: list[tuple[str, str, date]] = []
    total = 0
    while total < megabytes * 1_000_000:
        lang = rng.choice(["fa", "prs", "ar"])
        parts: list[str] = []
        size, target = 0, rng.randint(3000, 5000)
        while size < target:
            s = rng.choice(sentences[lang])
            if rng.random() < 0.12:  # about one added date per 1.7 KB, on top of the seeds' own dates
                words = s.split(" ")
                at = rng.randint(0, len(words))
                words[at:at] = [preps[lang], render_sentence_date(rng, lang)]
                s = " ".join(words)
            parts.append(s)
            size += len(s.encode("utf-8"))
        text = "\n\n".join(parts)
        docs.append((text, lang, date(2015, 1, 1) + timedelta(days=rng.randint(0, 3650))))
        total += len(text.encode("utf-8"))
    return docs


def measure(docs: list[tuple[str, str, date]], run: object) -> tuple[float, float, float, int]:
    """CPU seconds, wall seconds, MB and dates found for ``run(text, lang, reference)`` over ``docs``."""
    assert callable(run)
    mb = sum(len(t.encode("utf-8")) for t, _, _ in docs) / 1_000_000
    found = 0
    cpu, wall = time.process_time(), time.perf_counter()
    for text, lang, ref in docs:
        found += run(text, lang, ref)
    return time.process_time() - cpu, time.perf_counter() - wall, mb, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    parser.add_argument("--sample-kb", type=float, default=60.0, help="dateparser sample size in KB (default 60)")
    parser.add_argument("--seed", type=int, default=7, help="corpus random seed (default 7)")
    args = parser.parse_args()
    quiet_dateparser()

    t0 = time.perf_counter()
    docs = generate_corpus(args.mb, args.seed)
    print(f"corpus: {len(docs)} documents, {sum(len(t.encode()) for t, _, _ in docs) / 1e6:.2f} MB "
          f"(seed {args.seed}, generated in {time.perf_counter() - t0:.1f}s); engine {ENGINE_VERSION}")

    def ours(text: str, lang: str, ref: date) -> int:
        return len(extract_dates(text, lang, ref).mentions)

    ours(*docs[0])  # warm-up: compiled patterns and tables are built once per process
    secs, wall, mb, found = measure(docs, ours)
    our_rate = mb / secs
    print(f"ours:       {mb:8.2f} MB in {secs:7.2f}s CPU ({wall:.2f}s wall) = {our_rate:8.2f} MB/s "
          f"({found} dates, one per {mb * 1e6 / max(found, 1):.0f} bytes)")

    sample, size = [], 0
    for d in docs:
        if size >= args.sample_kb * 1000:
            break
        sample.append(d)
        size += len(d[0].encode("utf-8"))

    def theirs(text: str, lang: str, ref: date) -> int:
        return len(dateparser_search(text, lang, ref))

    theirs(*sample[0])
    dsecs, dwall, dmb, dfound = measure(sample, theirs)
    dp_rate = dmb / dsecs
    print(f"dateparser: {dmb:8.2f} MB in {dsecs:7.2f}s CPU ({dwall:.2f}s wall) = {dp_rate:8.4f} MB/s "
          f"({dfound} dates) on the first {len(sample)} documents")
    ratio = our_rate / dp_rate
    print(f"ratio:      {ratio:.0f}x (target >= 100x: {'met' if ratio >= 100 else 'NOT met'}); "
          f"ours {our_rate:.2f} MB/s (target >= 2 MB/s: {'met' if our_rate >= 2 else 'NOT met'})")


if __name__ == "__main__":
    main()
