"""Export speed and memory: a generated gold release of N documents (~15 mentions each) exported as a dataset.

Run: ``.venv/bin/python benchmarks/export_speed.py`` (100,000 documents, about 1.5 million mentions).

Prints, each measured in a fresh subprocess (wall time; peak RSS from ``resource.getrusage``):

* ``annotate.release.export.export_release`` (verifies every hash, validates every record, writes the four configs,
  the card and the lm-eval task);
* the baseline: the same rows built from the same release files and written straight to Parquet with pyarrow
  (one ``ParquetWriter`` per config and split, default settings, no verification or validation);
* the ratio (target: export within 1.5x of the baseline) and the export's peak memory (target: under 1.5 GB).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from annotate.models import (
    GOLD_AUTHOR,
    AnnotationSet,
    AuthorKind,
    DateLink,
    DateMention,
    Document,
    EntityMention,
    Event,
    EventArgument,
    Trigger,
)

WORDS = {
    "fa": "تهران خبرگزاری گزارش رئیس جمهور دولت مجلس نشست امروز گفت می\u200cشود است بود کرد سال ماه".split(),
    "prs": "کابل صدراعظم جنوری دلو حمل ولایت طالبان امارت اسلامی سخنگو گفت امسال سال گذشته".split(),
    "ar": "قال المتحدث باسم التحالف الدولي في بغداد يوم الحكومة العراقية البرلمان القوات وزير".split(),
}
NAMES = ["قاسم سلیمانی", "عبدالله عبدالله", "مصطفى الكاظمي", "بغداد", "کابل", "سازمان ملل"]
DATES = [("۱۰ بهمن ۱۳۹۸", "solar_hijri", "solar-IR"), ("30 ژانویه 2020", "gregorian", "fa-IR"),
         ("۲۷ جنوری", "gregorian", "fa-AF"), ("10 ديسمبر 2017", "gregorian", "ar-EG")]


def make_record(i: int, rng: random.Random) -> tuple[Document, AnnotationSet]:
    """One document with 8 entities, 6 dates, one event (trigger + 3 arguments) and 2 links: 15 mentions."""
    lang = ("fa", "prs", "ar")[i % 3]
    parts: list[str] = []
    entities, dates = [], []
    pos = 0

    def add(s: str) -> int:
        nonlocal pos
        start = pos
        parts.append(s + " ")
        pos += len(s) + 1
        return start

    for k in range(14):
        for _ in range(rng.randint(3, 8)):
            add(rng.choice(WORDS[lang]))
        if k < 8:
            name = rng.choice(NAMES)
            s = add(name)
            entities.append(EntityMention(id=f"e{k}", start=s, end=s + len(name), text=name,
                                          type=("PER", "GPE", "ORG")[k % 3]))
        else:
            surface, cal, lex = rng.choice(DATES)
            s = add(surface)
            day = date(2020, 1, 1) + timedelta(days=rng.randint(0, 900))
            dates.append(DateMention(id=f"d{k}", start=s, end=s + len(surface), text=surface, calendar=cal,
                                     lexicon=lex, granularity="day", gregorian_start=day, gregorian_end=day))
    trig = "کشته"
    ts = add(trig)
    text = "".join(parts).rstrip(" ")
    doc = Document.create(text, lang=lang, id=f"doc-{i:06d}", reference_date="2020-02-02")
    per = next(e for e in entities if e.type == "PER")
    gpe = next(e for e in entities if e.type == "GPE")
    event = Event(id="ev1", type="KILLING", trigger=Trigger(start=ts, end=ts + len(trig), text=trig),
                  arguments=[EventArgument(role="victim", ref=per.id), EventArgument(role="place", ref=gpe.id),
                             EventArgument(role="time", ref=dates[0].id)])
    links = [DateLink(id="l1", source=dates[0].id, target=dates[1].id),
             DateLink(id="l2", source=dates[2].id, target=dates[3].id, consistent=False, reason="generated")]
    aset = AnnotationSet(doc_id=doc.id, author=GOLD_AUTHOR, author_kind=AuthorKind.gold, status="gold",
                         entities=entities, dates=dates, events=[event], links=links)
    return doc, aset


def records(n: int) -> Iterator[tuple[Document, AnnotationSet]]:
    """``n`` generated gold records (deterministic)."""
    rng = random.Random(7)
    for i in range(n):
        yield make_record(i, rng)


def phase_export(release: Path, out: Path) -> None:
    from annotate.release.export import export_release

    export_release(release, out)


def phase_baseline(release: Path, out: Path) -> None:
    """Same rows from the same files, straight to Parquet: json.loads, row building, ParquetWriter."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from annotate.release.export import all_features, bio_labels, date_pair_rows, date_rows, document_row, entity_rows
    from annotate.release.versions import load_manifest, record_from_json
    from annotate.taxonomy import default_taxonomy

    tax = default_taxonomy()
    features, labels = all_features(tax), bio_labels(tax)
    manifest = load_manifest(release)
    writers: dict[tuple[str, str], pq.ParquetWriter] = {}
    buffers: dict[tuple[str, str], list[dict[str, object]]] = {}
    from annotate.release.export import TokenStats

    stats = TokenStats()

    def put(config: str, split: str, row: dict[str, object]) -> None:
        key = (config, split)
        buf = buffers.setdefault(key, [])
        buf.append(row)
        if len(buf) >= 2000:
            flush(key)

    def flush(key: tuple[str, str]) -> None:
        schema = features[key[0]].arrow_schema
        if key not in writers:
            (out / key[0]).mkdir(parents=True, exist_ok=True)
            writers[key] = pq.ParquetWriter(str(out / key[0] / f"{key[1]}.parquet"), schema)
        writers[key].write_table(pa.Table.from_pylist(buffers[key], schema=schema))
        buffers[key] = []

    for doc_id in sorted(manifest.documents):
        entry = manifest.documents[doc_id]
        document, gold = record_from_json(json.loads((release / entry.path).read_bytes()), where=doc_id)
        split = entry.split
        put("documents", split, document_row(document, gold))
        for r in date_rows(document, gold):
            put("dates", split, r)
        for r in date_pair_rows(document, gold):
            put("date_pairs", split, r)
        for r in entity_rows(document, gold, labels, stats):
            put("entities", split, r)
    for key, buf in buffers.items():
        if buf:
            flush(key)
    for w in writers.values():
        w.close()


def run_phase(phase: str, release: Path, out: Path) -> dict[str, float]:
    """Run one phase in a fresh interpreter; return its wall seconds and peak RSS in MB."""
    proc = subprocess.run([sys.executable, __file__, "--phase", phase, "--release", str(release), "--out", str(out)],
                          capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--phase", choices=["export", "baseline"], help=argparse.SUPPRESS)
    ap.add_argument("--release", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        t0 = time.perf_counter()
        (phase_export if args.phase == "export" else phase_baseline)(args.release, args.out)
        wall = time.perf_counter() - t0
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        print(json.dumps({"seconds": wall, "peak_rss_mb": rss_mb}))
        return
    from annotate.release.versions import write_release

    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        manifest, _ = write_release(root / "releases", records(args.docs), bump="major", message="bench",
                                    guideline="bench", created_at=datetime(2026, 1, 1, tzinfo=UTC))
        made = time.perf_counter() - t0
        release = root / "releases" / manifest.version
        mentions = args.docs * (8 + 6 + 1)
        print(f"generated release: {args.docs:,} documents, {mentions:,} mentions (entities, dates, triggers) "
              f"+ {args.docs * 3:,} arguments + {args.docs * 2:,} links, written in {made:.1f} s")
        base = run_phase("baseline", release, root / "baseline")
        exp = run_phase("export", release, root / "export")
        ratio = exp["seconds"] / base["seconds"]
        print(f"baseline (same rows straight to Parquet with pyarrow): {base['seconds']:.1f} s, "
              f"peak RSS {base['peak_rss_mb']:.0f} MB")
        print(f"annotate export: {exp['seconds']:.1f} s, peak RSS {exp['peak_rss_mb']:.0f} MB")
        print(f"export / baseline time: {ratio:.2f}x (target <= 1.5x); "
              f"export peak memory {exp['peak_rss_mb']:.0f} MB (target < 1536 MB)")


if __name__ == "__main__":
    main()
