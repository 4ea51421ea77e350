"""Export a release as a Hugging Face dataset directory that ``datasets.load_dataset(DIR)`` loads offline.

Layout of ``exports/<name>/<version>/``::

    README.md                         dataset card: YAML header (configs, dataset_info, ...) and statistics
    release.json                      the release's version, hashes and counts (provenance)
    documents/{train,validation,test}-00000-of-00001.parquet
    dates/...   date_pairs/...   entities/...
    lm_eval/<task>.yaml               lm-evaluation-harness task over the ``dates`` config, pinned to the version

Every Parquet file is written with pyarrow from the explicit :class:`datasets.Features` of its config (so empty
lists keep their types and ``datasets`` reads the features back from the schema metadata), in batches of
:data:`BATCH_ROWS` rows with fixed writer settings: re-exporting a version gives byte-identical files. The directory
is built under a temporary name beside the target and renamed into place, so an interrupted export leaves nothing.

Entities config tokens come from :func:`annotate.text.tokens.tokenize` (ZWNJ never splits a word), also cut at every
entity boundary, so an Arabic or Persian clitic written onto a name (``وبغداد``, ``بتهران``) becomes its own token
tagged ``O`` and the name keeps exact offsets.
Tags are IOB2; overlapping entities cannot be expressed in BIO, so the longest (then earliest) wins and the card
counts the dropped ones.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import yaml
from datasets import ClassLabel, DatasetInfo, Features, List, SplitDict, SplitInfo, Value
from datasets.info import DatasetInfosDict
from huggingface_hub import DatasetCard, DatasetCardData

from ..curation.agreement import project_agreement
from ..errors import ExportError
from ..models import AnnotationSet, Document
from ..taxonomy import Taxonomy, default_taxonomy
from ..text.tokens import tokenize
from .versions import SPLITS, iter_records, verify_release_dir

BATCH_ROWS = 2000
CONTEXT_CHARS = 200
DEFAULT_CONFIG = "documents"
CONFIGS = ("documents", "dates", "date_pairs", "entities")
LANGUAGES = ("fa", "prs", "ar")
_PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "snappy",
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "store_schema": True,
}
"""Fixed writer settings (part of what makes re-exports byte-identical)."""

_span = {"start": Value("int32"), "end": Value("int32"), "text": Value("string")}


def documents_features() -> Features:
    """Features of the ``documents`` config: one row per document with nested layers."""
    return Features(
        {
            "id": Value("string"),
            "lang": Value("string"),
            "text": Value("string"),
            "text_sha256": Value("string"),
            "title": Value("string"),
            "publisher": Value("string"),
            "url": Value("string"),
            "reference_date": Value("string"),
            "metadata": Value("string"),
            "entities": List({"id": Value("string"), **_span, "type": Value("string"),
                              "canonical_id": Value("string")}),
            "dates": List(
                {
                    "id": Value("string"),
                    **_span,
                    "calendar": Value("string"),
                    "lexicon": Value("string"),
                    "granularity": Value("string"),
                    "native": {"year": Value("int32"), "month": Value("int32"), "day": Value("int32")},
                    "gregorian_start": Value("string"),
                    "gregorian_end": Value("string"),
                    "year_inferred": Value("bool"),
                    "relative": Value("bool"),
                    "note": Value("string"),
                }
            ),
            "events": List(
                {
                    "id": Value("string"),
                    "type": Value("string"),
                    "trigger": dict(_span),
                    "arguments": List({"role": Value("string"), "ref": Value("string")}),
                    "cluster_id": Value("string"),
                }
            ),
            "date_links": List(
                {
                    "id": Value("string"),
                    "type": Value("string"),
                    "source": Value("string"),
                    "target": Value("string"),
                    "consistent": Value("bool"),
                    "reason": Value("string"),
                }
            ),
            "gold_metadata": Value("string"),
            "gold_revision": Value("int32"),
        }
    )


def dates_features() -> Features:
    """Features of the ``dates`` config: one row per date mention with its context."""
    return Features(
        {
            "id": Value("string"),
            "doc_id": Value("string"),
            "mention_id": Value("string"),
            "lang": Value("string"),
            "text": Value("string"),
            "start": Value("int32"),
            "end": Value("int32"),
            "context": Value("string"),
            "context_start": Value("int32"),
            "marked_context": Value("string"),
            "reference_date": Value("string"),
            "calendar": Value("string"),
            "lexicon": Value("string"),
            "granularity": Value("string"),
            "native_year": Value("int32"),
            "native_month": Value("int32"),
            "native_day": Value("int32"),
            "gregorian_start": Value("string"),
            "gregorian_end": Value("string"),
            "year_inferred": Value("bool"),
            "relative": Value("bool"),
            "answer": Value("string"),
        }
    )


def date_pairs_features() -> Features:
    """Features of the ``date_pairs`` config: one row per ``same_date`` link."""
    side = {
        "id": Value("string"), "text": Value("string"), "start": Value("int32"), "end": Value("int32"),
        "calendar": Value("string"), "lexicon": Value("string"),
        "gregorian_start": Value("string"), "gregorian_end": Value("string"),
    }
    return Features(
        {
            "id": Value("string"),
            "doc_id": Value("string"),
            "link_id": Value("string"),
            "lang": Value("string"),
            "source": dict(side),
            "target": dict(side),
            "consistent": Value("bool"),
            "reason": Value("string"),
        }
    )


def bio_labels(taxonomy: Taxonomy) -> list[str]:
    """IOB2 tag names: ``O`` then ``B-``/``I-`` of every entity type in taxonomy order (append-only)."""
    out = ["O"]
    for name in taxonomy.entity_names():
        out += [f"B-{name}", f"I-{name}"]
    return out


def entities_features(taxonomy: Taxonomy) -> Features:
    """Features of the ``entities`` config: tokens, their offsets and IOB2 tags."""
    return Features(
        {
            "id": Value("string"),
            "lang": Value("string"),
            "tokens": List(Value("string")),
            "token_starts": List(Value("int32")),
            "token_ends": List(Value("int32")),
            "ner_tags": List(ClassLabel(names=bio_labels(taxonomy))),
        }
    )


def all_features(taxonomy: Taxonomy) -> dict[str, Features]:
    """Features of every config."""
    return {
        "documents": documents_features(),
        "dates": dates_features(),
        "date_pairs": date_pairs_features(),
        "entities": entities_features(taxonomy),
    }


# ---------------------------------------------------------------------------------------------- rows


def _json_or_none(value: Mapping[str, Any]) -> str | None:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")) if value else None


def document_row(document: Document, gold: AnnotationSet) -> dict[str, Any]:
    """The ``documents`` row of one document (offsets checked against the text)."""
    for path, span in gold.spans():
        if document.text[span.start : span.end] != span.text:
            raise ExportError(f"document {document.id}, {path}: text does not match [{span.start}, {span.end})")
    g = gold.content()
    return {
        "id": document.id,
        "lang": document.lang,
        "text": document.text,
        "text_sha256": document.text_sha256,
        "title": document.title,
        "publisher": document.publisher,
        "url": document.url,
        "reference_date": document.reference_date.isoformat() if document.reference_date else None,
        "metadata": _json_or_none(document.metadata),
        "entities": g["entities"],
        "dates": g["dates"],
        "events": g["events"],
        "date_links": g["links"],
        "gold_metadata": _json_or_none(g["metadata"]),
        "gold_revision": gold.revision,
    }


def from_document_row(row: Mapping[str, Any]) -> tuple[Document, AnnotationSet]:
    """Rebuild our model from a ``documents`` row (the inverse of :func:`document_row`)."""
    document = Document.model_validate(
        {k: row[k] for k in ("id", "lang", "text", "text_sha256", "title", "publisher", "url", "reference_date")}
        | {"metadata": json.loads(row["metadata"]) if row["metadata"] else {}}
    )
    gold = AnnotationSet.model_validate(
        {
            "doc_id": row["id"],
            "author": "gold",
            "author_kind": "gold",
            "status": "gold",
            "revision": row["gold_revision"],
            "text_sha256": row["text_sha256"],
            "entities": row["entities"],
            "dates": row["dates"],
            "events": row["events"],
            "links": row["date_links"],
            "metadata": json.loads(row["gold_metadata"]) if row["gold_metadata"] else {},
        }
    )
    return document, gold


def answer_for(start: str | None, end: str | None) -> str:
    """The Gregorian answer of a date row: ``YYYY-MM-DD``, or ``start/end`` for a range, or empty."""
    if start is None:
        return ""
    return start if start == end else f"{start}/{end}"


def date_rows(document: Document, gold: AnnotationSet, context_chars: int = CONTEXT_CHARS) -> Iterator[dict[str, Any]]:
    """``dates`` rows: each mention with up to ``context_chars`` code points of context either side."""
    text = document.text
    for d in gold.dates:
        c0, c1 = max(0, d.start - context_chars), min(len(text), d.end + context_chars)
        gs = d.gregorian_start.isoformat() if d.gregorian_start else None
        ge = d.gregorian_end.isoformat() if d.gregorian_end else None
        yield {
            "id": f"{document.id}#{d.id}",
            "doc_id": document.id,
            "mention_id": d.id,
            "lang": document.lang,
            "text": d.text,
            "start": d.start,
            "end": d.end,
            "context": text[c0:c1],
            "context_start": c0,
            "marked_context": text[c0 : d.start] + "[[" + d.text + "]]" + text[d.end : c1],
            "reference_date": document.reference_date.isoformat() if document.reference_date else None,
            "calendar": d.calendar.value,
            "lexicon": d.lexicon,
            "granularity": d.granularity.value,
            "native_year": d.native.year,
            "native_month": d.native.month,
            "native_day": d.native.day,
            "gregorian_start": gs,
            "gregorian_end": ge,
            "year_inferred": d.year_inferred,
            "relative": d.relative,
            "answer": answer_for(gs, ge),
        }


def date_pair_rows(document: Document, gold: AnnotationSet) -> Iterator[dict[str, Any]]:
    """``date_pairs`` rows: both sides of every ``same_date`` link."""
    dates = {d.id: d for d in gold.dates}

    def side(mid: str) -> dict[str, Any]:
        d = dates[mid]
        return {
            "id": d.id, "text": d.text, "start": d.start, "end": d.end, "calendar": d.calendar.value,
            "lexicon": d.lexicon,
            "gregorian_start": d.gregorian_start.isoformat() if d.gregorian_start else None,
            "gregorian_end": d.gregorian_end.isoformat() if d.gregorian_end else None,
        }

    for link in gold.links:
        yield {
            "id": f"{document.id}#{link.id}",
            "doc_id": document.id,
            "link_id": link.id,
            "lang": document.lang,
            "source": side(link.source),
            "target": side(link.target),
            "consistent": link.consistent,
            "reason": link.reason,
        }


@dataclass
class TokenStats:
    """Entities that could not be written as BIO tags (overlapping another entity)."""

    dropped_overlapping: int = 0


def entity_row(document: Document, gold: AnnotationSet, labels: Sequence[str], stats: TokenStats) -> dict[str, Any]:
    """The ``entities`` row of one document: tokens, offsets and IOB2 tag ids."""
    chosen: list[tuple[int, int, str]] = []
    for e in sorted(gold.entities, key=lambda m: (-(m.end - m.start), m.start, m.id)):
        if any(e.start < c_end and c_start < e.end for c_start, c_end, _ in chosen):
            stats.dropped_overlapping += 1
            continue
        chosen.append((e.start, e.end, e.type))
    cuts = sorted({x for c_start, c_end, _ in chosen for x in (c_start, c_end)})
    tokens = tokenize(document.text, cuts)
    index = {name: i for i, name in enumerate(labels)}
    tags = [0] * len(tokens)
    for c_start, c_end, typ in chosen:
        inside = [k for k, (ts, te) in enumerate(tokens) if ts >= c_start and te <= c_end]
        for n, k in enumerate(inside):
            tags[k] = index[("B-" if n == 0 else "I-") + typ]
    return {
        "id": document.id,
        "lang": document.lang,
        "tokens": [document.text[s:e] for s, e in tokens],
        "token_starts": [s for s, _ in tokens],
        "token_ends": [e for _, e in tokens],
        "ner_tags": tags,
    }


# ---------------------------------------------------------------------------------------------- writing


class _BatchWriter:
    """Buffers rows of one config and split and writes them to Parquet ``BATCH_ROWS`` at a time."""

    def __init__(self, path: Path, features: Features) -> None:
        self.path = path
        self.schema = features.arrow_schema
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(str(path), self.schema, **_PARQUET_OPTIONS)
        self.rows: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema), row_group_size=BATCH_ROWS)
            self.count += len(self.rows)
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


@dataclass
class ExportStats:
    """Counts gathered while exporting (for the card and the CLI)."""

    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    documents_by_lang: Counter[str] = field(default_factory=Counter)
    layer_by_lang: dict[str, Counter[str]] = field(default_factory=dict)
    calendars: Counter[str] = field(default_factory=Counter)
    calendars_by_lang: dict[str, Counter[str]] = field(default_factory=dict)
    tokens: TokenStats = field(default_factory=TokenStats)

    def present(self) -> dict[str, list[str]]:
        """Configs with rows and, for each, its splits that have rows (the only ones written)."""
        out = {c: [s for s, _ in SPLITS if self.rows.get(c, {}).get(s)] for c in CONFIGS}
        return {c: splits for c, splits in out.items() if splits}


def data_file(config: str, split: str) -> str:
    """Relative path of one config's split file."""
    return f"{config}/{split}-00000-of-00001.parquet"


def export_release(
    release_dir: str | Path,
    out: str | Path,
    *,
    name: str = "annotate-gold",
    taxonomy: Taxonomy | None = None,
    agreement: Mapping[str, Any] | None = None,
    license: str = "cc-by-4.0",
    hub_repo: str | None = None,
) -> ExportStats:
    """Verify the release at ``release_dir`` and write it as a dataset directory at ``out`` (atomically).

    ``agreement`` holds curation's agreement figures for the card (omitted: the card says none were computed);
    ``hub_repo`` (``ORG/NAME``) is used in the card's loading example and the lm-eval task.
    """
    release = Path(release_dir)
    manifest = verify_release_dir(release, read_files=False)  # each file's hash is checked as it is read
    tax = taxonomy or default_taxonomy()
    features = all_features(tax)
    labels = bio_labels(tax)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    stats = ExportStats()
    try:
        writers = {
            (config, split): _BatchWriter(tmp / data_file(config, split), features[config])
            for config in CONFIGS
            for split, _ in SPLITS
        }
        try:
            for document, gold, split in iter_records(release, verify=True):
                lang = document.lang
                stats.documents_by_lang[lang] += 1
                layer = stats.layer_by_lang.setdefault(lang, Counter())
                layer.update(entities=len(gold.entities), dates=len(gold.dates), events=len(gold.events),
                             arguments=sum(len(e.arguments) for e in gold.events), date_links=len(gold.links))
                for d in gold.dates:
                    stats.calendars[d.calendar.value] += 1
                    stats.calendars_by_lang.setdefault(lang, Counter())[d.calendar.value] += 1
                writers["documents", split].add(document_row(document, gold))
                for row in date_rows(document, gold):
                    writers["dates", split].add(row)
                for row in date_pair_rows(document, gold):
                    writers["date_pairs", split].add(row)
                writers["entities", split].add(entity_row(document, gold, labels, stats.tokens))
        finally:
            for w in writers.values():
                w.close()
        for (config, split), w in writers.items():
            stats.rows.setdefault(config, {})[split] = w.count
            if w.count == 0:  # `datasets` cannot load a split without rows: leave the split out
                w.path.unlink()
        (tmp / "release.json").write_bytes(_release_json(manifest))
        (tmp / "lm_eval").mkdir()
        task = lm_eval_task(manifest["version"], name=name, hub_repo=hub_repo,
                            splits=stats.present().get("dates", []))
        (tmp / "lm_eval" / f"{_task_name(name)}.yaml").write_text(task, encoding="utf-8")
        card = dataset_card(manifest, stats, features, name=name, license=license, agreement=agreement,
                            hub_repo=hub_repo, taxonomy=tax)
        (tmp / "README.md").write_text(card, encoding="utf-8")
        _move_into_place(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return stats


def _move_into_place(tmp: Path, target: Path) -> None:
    os.chmod(tmp, 0o755)
    if target.exists():
        if not (target / "release.json").is_file():
            raise ExportError(f"{target} exists and is not an export; refusing to replace it",
                              hint="choose another --out directory or remove it")
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
        tmp.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(target)


def _release_json(manifest: Mapping[str, Any]) -> bytes:
    keep = ("version", "version_sha256", "schema_version", "guideline_version", "engine_version", "offsets",
            "created_at", "splits")
    return (json.dumps({k: manifest[k] for k in keep}, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def _task_name(name: str) -> str:
    return name.replace("-", "_").replace("/", "_") + "_dates"


def lm_eval_task(version: str, *, name: str, hub_repo: str | None, splits: Sequence[str] = ("test",)) -> str:
    """An lm-evaluation-harness task YAML over the ``dates`` config, pinned to ``version``.

    The model reads the context with the date marked ``[[...]]`` and answers the Gregorian date (``YYYY-MM-DD``,
    or ``start/end`` for a month or year); scored by exact match.
    """
    task: dict[str, Any] = {
        "task": _task_name(name),
        "tag": ["temporal-normalization"],
        "dataset_path": hub_repo or "parquet",
        "dataset_name": "dates" if hub_repo else None,
        "dataset_kwargs": {"revision": f"v{version}"} if hub_repo else {
            "data_files": {s: data_file("dates", s) for s in splits}},
        "test_split": "test",
        "validation_split": "validation",
        "fewshot_split": "train",
        "output_type": "generate_until",
        "doc_to_text": (
            "Reference date: {{reference_date}}\nText: {{marked_context}}\n"
            "What Gregorian date does [[{{text}}]] denote? Answer YYYY-MM-DD, or START/END for a month or "
            "year.\nAnswer:"
        ),
        "doc_to_target": "{{answer}}",
        "target_delimiter": " ",
        "generation_kwargs": {"until": ["\n"], "do_sample": False},
        "filter_list": [{"name": "strip", "filter": [{"function": "strip_whitespace"},
                                                     {"function": "take_first"}]}],
        "metric_list": [{"metric": "exact_match", "aggregation": "mean", "higher_is_better": True,
                         "ignore_case": True, "ignore_punctuation": False}],
        "metadata": {"version": 1.0, "dataset_version": version},
    }
    if task["dataset_name"] is None:
        del task["dataset_name"]
    head = f"# lm-evaluation-harness task over the `dates` config of {name} {version} (pinned).\n"
    if not hub_repo:
        head += "# Local files: run lm_eval from the export directory (data_files are relative to it).\n"
    return head + yaml.safe_dump(task, allow_unicode=True, sort_keys=True, width=100)


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                         (1_000_000, "100K<n<1M"), (10_000_000, "1M<n<10M")):
        if n < limit:
            return label
    return "10M<n<100M"


def dataset_card(
    manifest: Mapping[str, Any],
    stats: ExportStats,
    features: Mapping[str, Features],
    *,
    name: str,
    license: str,
    agreement: Mapping[str, Any] | None,
    hub_repo: str | None,
    taxonomy: Taxonomy,
) -> str:
    """The dataset card ``README.md`` (YAML header the Hub and ``datasets`` read, and the body)."""
    version = manifest["version"]
    present = stats.present()
    infos = DatasetInfosDict(
        {
            config: DatasetInfo(
                config_name=config,
                features=features[config],
                splits=SplitDict({s: SplitInfo(name=s, num_examples=stats.rows[config][s]) for s in splits}),
            )
            for config, splits in present.items()
        }
    )
    data = DatasetCardData(
        language=list(LANGUAGES),
        license=license,
        pretty_name=f"{name} {version}",
        task_categories=["token-classification", "text-generation"],
        task_ids=["named-entity-recognition"],
        tags=["event-extraction", "temporal-expression-normalization", "calendar-conversion", "persian", "dari",
              "arabic", "news"],
        annotations_creators=["expert-generated"],
        language_creators=["found"],
        multilinguality="multilingual",
        size_categories=[_size_category(len(manifest["documents"]))],
        source_datasets=["original"],
        language_details="fa-IR, fa-AF (prs), ar",
        configs=[
            {"config_name": c, "data_files": [{"split": s, "path": data_file(c, s)} for s in splits],
             **({"default": True} if c == DEFAULT_CONFIG else {})}
            for c, splits in present.items()
        ],
        dataset_version=version,
        schema_version=manifest["schema_version"],
        guideline_version=manifest["guideline_version"],
    )
    infos.to_dataset_card_data(data)
    header = data.to_yaml()
    body = _card_body(manifest, stats, name=name, agreement=agreement, hub_repo=hub_repo, taxonomy=taxonomy)
    text = f"---\n{header}\n---\n\n{body}"
    DatasetCard(text)  # parses the header back; raises on malformed YAML
    return text


def _table(head: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(x) for x in r) + " |" for r in rows]
    return "\n".join(lines)


def _card_body(
    manifest: Mapping[str, Any],
    stats: ExportStats,
    *,
    name: str,
    agreement: Mapping[str, Any] | None,
    hub_repo: str | None,
    taxonomy: Taxonomy,
) -> str:
    version = manifest["version"]
    langs = sorted(stats.documents_by_lang)
    layer_rows = [
        [lang, stats.documents_by_lang[lang], *(stats.layer_by_lang[lang][k] for k in
                                                 ("entities", "dates", "events", "arguments", "date_links"))]
        for lang in langs
    ]
    calendars = sorted(stats.calendars)
    cal_rows = [[lang, *(stats.calendars_by_lang.get(lang, Counter())[c] for c in calendars)] for lang in langs]
    split_rows = [[c, *(stats.rows[c][s] for s, _ in SPLITS)] for c in CONFIGS]
    missing = [c for c in CONFIGS if c not in stats.present()]
    missing_text = (f"\n\nConfigs without any row in this version (not loadable): {', '.join(missing)}. "
                    "Splits without rows are left out of `configs`." if missing else
                    "\n\nSplits without rows are left out of `configs`.")
    if agreement:
        agreement_text = _table(["measure", "value"], [[k, v] for k, v in sorted(agreement.items())])
    else:
        agreement_text = "No inter-annotator agreement figures were computed for this release."
    repo = hub_repo or "ORG/NAME"
    return f"""# {name} {version}

Gold annotations of Persian (fa), Dari (prs) and Arabic (ar) news: named entities, events with argument roles,
date mentions normalised from the Gregorian, Solar Hijri and Lunar Hijri calendars to Gregorian ranges, and
same-date links between equivalent dates.

- dataset version **{version}** (sha256 `{manifest['version_sha256']}`), released {manifest['created_at']}
- annotation guidelines version **{manifest['guideline_version']}**; schema version {manifest['schema_version']};
  exported by annotate {manifest['engine_version']}
- offsets: {manifest['offsets']}, into `text` exactly as published (no Unicode normalisation; ZWNJ kept)

## Loading

```python
from datasets import load_dataset
docs = load_dataset("{repo}", revision="v{version}")                 # config "documents" (default)
dates = load_dataset("{repo}", "dates", revision="v{version}")
```

Needs `datasets>=4` (the features use `List`). A local copy loads with `load_dataset("path/to/this/directory")`;
`datasets` may serve two local copies with the same directory name from one cache entry, so pass a `cache_dir=`
of its own (or `download_mode="force_redownload"`) when comparing copies.

## Configs

- `documents` (default): one row per document with `entities`, `dates`, `events` (with `arguments` pointing at
  mention ids) and `date_links`; `metadata` and `gold_metadata` are JSON strings.
- `dates`: one row per date mention with {CONTEXT_CHARS} code points of context either side (`marked_context` wraps
  the mention in `[[...]]`), calendar, month-name set (`lexicon`), span, Gregorian range and whether the year was
  inferred; `answer` is the Gregorian date or `start/end` range.
- `date_pairs`: one row per same-date link, with both surface forms and calendars and whether they agree.
- `entities`: tokens with IOB2 `ner_tags` for token classification. Tokens are runs of letters, marks, digits,
  ZWNJ and tatweel or single punctuation marks, also cut at entity boundaries (so a clitic written onto a name,
  e.g. و+بغداد, is its own `O` token). {stats.tokens.dropped_overlapping} overlapping entities could not be
  written as BIO tags and are only in `documents`. Tag set (append-only):
  {', '.join(bio_labels(taxonomy))}.

Splits are fixed per document (a document never moves split between versions) and stratified by language (80/10/10).

## Statistics

Rows per config and split:

{_table(["config", *(s for s, _ in SPLITS)], split_rows)}{missing_text}

Annotations per language and layer:

{_table(["language", "documents", "entities", "dates", "events", "arguments", "date links"], layer_rows)}

Date mentions per language and calendar:

{_table(["language", *calendars], cal_rows) if calendars else "No date mentions."}

## Agreement

{agreement_text}

## Evaluation

`lm_eval/` holds an lm-evaluation-harness task over the `dates` config pinned to v{version}. The scorer
`annotate eval --gold DIR --pred PREDICTIONS.jsonl` computes entity (strict/exact/partial/type), event, date
(TempEval-3 strict and relaxed span F1, value accuracy and F1) and link scores per language and calendar.

## Citation

```bibtex
@misc{{{name.replace('-', '_')}_{version.replace('.', '_')},
  title = {{{name}: gold entities, events and calendar-aware dates in Persian, Dari and Arabic news}},
  note = {{Version {version}}},
  year = {{{manifest['created_at'][:4]}}}
}}
```
"""


def load_card_yaml(path: str | Path) -> dict[str, Any]:
    """The YAML header of an exported card (for checks and tests)."""
    card = DatasetCard.load(Path(path) / "README.md")
    data: dict[str, Any] = card.data.to_dict()
    return data


def default_export_dir(project_dir: str | Path, version: str, name: str = "annotate-gold") -> Path:
    """``<project>/exports/<name>/<version>``."""
    return Path(project_dir) / "exports" / name / version


def release_manifest_of_export(path: str | Path) -> dict[str, Any]:
    """The ``release.json`` of an export directory."""
    p = Path(path) / "release.json"
    try:
        data: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ExportError(f"{p}: not an export made by `annotate export`: {exc}") from None
    return data


def agreement_figures(store: Any) -> dict[str, Any] | None:
    """Inter-annotator agreement for the card (``annotate.curation.agreement``), or None when not computed."""
    report = project_agreement(store)
    if not report.compared_documents:
        return None
    out: dict[str, Any] = {"documents compared": report.compared_documents,
                           "annotators": len(report.annotators)}
    for layer, counts in sorted(report.layers.items()):
        f1 = counts.as_dict().get("f1")
        out[f"{layer} F1 (pairwise, micro)"] = "n/a" if f1 is None else f"{f1:.3f}"
    for key, alpha in sorted(report.alpha.items()):
        out[f"Krippendorff alpha ({key})"] = "n/a" if alpha is None else f"{alpha:.3f}"
    return out
