"""Export a release as a Hugging Face dataset directory that ``datasets.load_dataset(DIR)`` loads offline.

Layout of ``exports/<name>/<version>/``::

    README.md                         dataset card: YAML header (configs, dataset_info, ...), licence, statistics
    release.json                      the release's version, hashes, counts and guidelines version (provenance),
                                      and every file of the export (``files``): a directory is replaced by a
                                      new export only when it holds exactly those files
    taxonomy.json                     entity types, event types and their roles (the release's label inventory)
    documents/{train,validation,test}-00000-of-00001.parquet
    dates/...   date_pairs/...   entities/...
    annotations/...   suggestions/...   only with ``include=("annotations", "suggestions")``
    lm_eval/<task>.yaml, lm_eval/dataset.py   lm-evaluation-harness task over ``dates`` (local files, offline)
    lm_eval/<task>_hub.yaml           the same task reading the Hub repository (with ``hub_repo``)

Every Parquet file is written with pyarrow from explicit :class:`datasets.Features` derived from the models
(:mod:`annotate.release.features`), so empty lists keep their types and ``datasets`` reads the features back from
the schema metadata; the key ``annotate`` of that metadata also carries the versions, the offset and date-range
conventions and (``entities``) the tag names. Files are written in batches of :data:`BATCH_ROWS` rows with fixed
writer settings: re-exporting a version gives byte-identical files. The directory is built under a temporary name
beside the target and renamed into place, so an interrupted export leaves nothing.

Dates are ``date32``; a mention's Gregorian range is ``[gregorian_start, gregorian_end]`` with **both ends
inclusive** (a month is its first to its last day), unlike the half-open character offsets.

The ``entities`` config has one row per sentence (:func:`annotate.text.sentences.sentence_spans`; never cut inside
an entity or date) so a row fits a 512-token model; token offsets are offsets into the document. Tokens come from
:func:`annotate.text.tokens.tokenize` (ZWNJ never splits a word), also cut at every entity boundary, so a clitic
written onto a name (``وبغداد``) is its own ``O`` token. Tags are IOB2; overlapping entities cannot be expressed in
BIO, so the longest (then earliest) wins and the card counts the dropped ones.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
from datasets import ClassLabel, Features, List, Value

from ..canonical import canonical_json
from ..curation.agreement import project_agreement
from ..errors import ExportError
from ..models import GOLD_AUTHOR, AnnotationSet, AuthorKind, DateMention, Document
from ..paths import check_no_links_out
from ..taxonomy import Taxonomy, default_taxonomy
from ..text.sentences import sentence_spans
from ..text.tokens import tokenize
from .features import decode, decode_field, encode, field_feature, model_features
from .layout import CONFIGS, DEFAULT_CONFIG, OPTIONAL_CONFIGS, RELEASE_JSON, data_file
from .manifest import ExportedRelease, ReleaseManifest, parse_json_model
from .staging import moved_aside, remove_leftovers, remove_tree, staging_dir
from .versions import SPLITS, iter_records, iter_sets, release_taxonomy, verify_release_dir

BATCH_ROWS = 2000
CONTEXT_CHARS = 200
LAYER_COLUMNS = {"entities": "entities", "dates": "dates", "events": "events", "links": "date_links"}
"""Annotation layers (``AnnotationSet`` field -> export column)."""
DATE_RANGE_CONVENTION = (
    "gregorian_start and gregorian_end are both inclusive (a month runs from its first to its last day)")
TAXONOMY_FILE = "taxonomy.json"
_PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "snappy",
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
    "data_page_version": "1.0",
    "store_schema": True,
}
"""Fixed writer settings (part of what makes re-exports byte-identical)."""


def _layer_features() -> dict[str, Any]:
    return {col: field_feature(AnnotationSet.model_fields[name].annotation) for name, col in LAYER_COLUMNS.items()}


def documents_features() -> Features:
    """Features of the ``documents`` config: the document's fields, then its gold layers."""
    return Features({**model_features(Document, nested=False), **_layer_features(),
                     "gold_metadata": Value("string")})


def dates_features() -> Features:
    """Features of the ``dates`` config: one row per date mention with its context and answer."""
    return Features({
        "id": Value("string"),
        "doc_id": Value("string"),
        "lang": Value("string"),
        **model_features(DateMention),
        "reference_date": Value("date32"),
        "context": Value("string"),
        "context_start": Value("int32"),
        "marked_context": Value("string"),
        "answer": Value("string"),
    })


def date_pairs_features() -> Features:
    """Features of the ``date_pairs`` config: one row per ``same_date`` link with both mentions."""
    side = model_features(DateMention)
    return Features({
        "id": Value("string"),
        "doc_id": Value("string"),
        "lang": Value("string"),
        "link_id": Value("string"),
        "source": side,
        "target": dict(side),
        "consistent": Value("bool"),
        "reason": Value("string"),
    })


def bio_labels(taxonomy: Taxonomy) -> list[str]:
    """IOB2 tag names: ``O`` then ``B-``/``I-`` of every entity type in taxonomy order (append-only)."""
    out = ["O"]
    for name in taxonomy.entity_names():
        out += [f"B-{name}", f"I-{name}"]
    return out


def entities_features(taxonomy: Taxonomy) -> Features:
    """Features of the ``entities`` config: one sentence, its tokens (document offsets) and IOB2 tags."""
    return Features({
        "id": Value("string"),
        "doc_id": Value("string"),
        "lang": Value("string"),
        "sentence_index": Value("int32"),
        "start": Value("int32"),
        "end": Value("int32"),
        "text": Value("string"),
        "tokens": List(Value("string")),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
        "ner_tags": List(ClassLabel(names=bio_labels(taxonomy))),
    })


def sets_features() -> Features:
    """Features of the ``annotations`` and ``suggestions`` configs: one row per annotation set."""
    own = model_features(AnnotationSet, nested=False)
    head = {k: v for k, v in own.items() if k not in LAYER_COLUMNS and k != "metadata"}
    return Features({"id": Value("string"), "lang": Value("string"), **head, **_layer_features(),
                     "metadata": Value("string")})


def all_features(taxonomy: Taxonomy) -> dict[str, Features]:
    """Features of every config."""
    sets = sets_features()
    return {
        "documents": documents_features(),
        "dates": dates_features(),
        "date_pairs": date_pairs_features(),
        "entities": entities_features(taxonomy),
        "annotations": sets,
        "suggestions": sets,
    }


# ---------------------------------------------------------------------------------------------- rows


def _layers(aset: AnnotationSet) -> dict[str, Any]:
    return {col: [encode(item) for item in getattr(aset, name)] for name, col in LAYER_COLUMNS.items()}


def _json_or_none(value: Mapping[str, Any]) -> str | None:
    return canonical_json(value) if value else None


def check_spans(document: Document, aset: AnnotationSet) -> None:
    """:class:`ExportError` unless every span's text is the document's text at its offsets."""
    for path, span in aset.spans():
        if document.text[span.start : span.end] != span.text:
            raise ExportError(f"document {document.id}, {aset.author} {path}: text does not match "
                              f"[{span.start}, {span.end})")


def document_row(document: Document, gold: AnnotationSet) -> dict[str, Any]:
    """The ``documents`` row of one document (offsets checked against the text)."""
    check_spans(document, gold)
    return {**encode(document, nested=False), **_layers(gold), "gold_metadata": _json_or_none(gold.metadata)}


def _decode_layers(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: decode_field(AnnotationSet, name, row[col]) for name, col in LAYER_COLUMNS.items()}


def from_document_row(row: Mapping[str, Any]) -> tuple[Document, AnnotationSet]:
    """Rebuild the document and its gold set from a ``documents`` row (the inverse of :func:`document_row`)."""
    document = Document.model_validate(decode(Document, row, nested=False))
    gold = AnnotationSet.model_validate({
        "doc_id": document.id, "author": GOLD_AUTHOR, "author_kind": "gold", "status": "gold",
        "text_sha256": document.text_sha256, **_decode_layers(row),
        "metadata": json.loads(row["gold_metadata"]) if row.get("gold_metadata") else {},
    })
    return document, gold


def set_row(document: Document, aset: AnnotationSet) -> dict[str, Any]:
    """The ``annotations``/``suggestions`` row of one annotation set (offsets checked against the text)."""
    check_spans(document, aset)
    row = encode(aset, nested=False)
    for name in LAYER_COLUMNS:
        del row[name]
    return {"id": f"{document.id}#{aset.author}", "lang": document.lang, **row, **_layers(aset),
            "metadata": _json_or_none(aset.metadata)}


def answer_for(mention: DateMention) -> str:
    """The Gregorian answer of a date: ``YYYY-MM-DD``, or ``start/end`` (both inclusive) for a longer range."""
    start, end = mention.gregorian_start, mention.gregorian_end
    if start is None:
        return ""
    end = end or start
    return start.isoformat() if start == end else f"{start.isoformat()}/{end.isoformat()}"


def date_rows(document: Document, gold: AnnotationSet, context_chars: int = CONTEXT_CHARS) -> Iterator[dict[str, Any]]:
    """``dates`` rows: each mention with up to ``context_chars`` code points of context either side."""
    text = document.text
    for d in gold.dates:
        c0, c1 = max(0, d.start - context_chars), min(len(text), d.end + context_chars)
        yield {
            "id": f"{document.id}#{d.id}",
            "doc_id": document.id,
            "lang": document.lang,
            **encode(d),
            "reference_date": document.reference_date,
            "context": text[c0:c1],
            "context_start": c0,
            "marked_context": text[c0 : d.start] + "[[" + d.text + "]]" + text[d.end : c1],
            "answer": answer_for(d),
        }


def date_pair_rows(document: Document, gold: AnnotationSet) -> Iterator[dict[str, Any]]:
    """``date_pairs`` rows: both sides of every ``same_date`` link."""
    dates = {d.id: d for d in gold.dates}
    for link in gold.links:
        yield {
            "id": f"{document.id}#{link.id}",
            "doc_id": document.id,
            "lang": document.lang,
            "link_id": link.id,
            "source": encode(dates[link.source]),
            "target": encode(dates[link.target]),
            "consistent": link.consistent,
            "reason": link.reason,
        }


@dataclass
class TokenStats:
    """Entities that could not be written as BIO tags (overlapping another entity)."""

    dropped_overlapping: int = 0


def entity_rows(document: Document, gold: AnnotationSet, labels: Sequence[str], stats: TokenStats
                ) -> Iterator[dict[str, Any]]:
    """The ``entities`` rows of one document, one per sentence: tokens, document offsets and IOB2 tag ids."""
    chosen: list[tuple[int, int, str]] = []
    for e in sorted(gold.entities, key=lambda m: (-(m.end - m.start), m.start, m.id)):
        if any(e.start < c_end and c_start < e.end for c_start, c_end, _ in chosen):
            stats.dropped_overlapping += 1
            continue
        chosen.append((e.start, e.end, e.type))
    cuts = sorted({x for c_start, c_end, _ in chosen for x in (c_start, c_end)})
    text = document.text
    tokens = tokenize(text, cuts)
    index = {name: i for i, name in enumerate(labels)}
    tags = [0] * len(tokens)
    for c_start, c_end, typ in chosen:
        inside = [k for k, (ts, te) in enumerate(tokens) if ts >= c_start and te <= c_end]
        for n, k in enumerate(inside):
            tags[k] = index[("B-" if n == 0 else "I-") + typ]
    protected = [(e.start, e.end) for e in gold.entities] + [(d.start, d.end) for d in gold.dates]
    k = 0
    for i, (s, end) in enumerate(sentence_spans(text, protected)):
        first = k
        while k < len(tokens) and tokens[k][0] < end:
            k += 1
        toks = tokens[first:k]
        yield {
            "id": f"{document.id}#s{i}",
            "doc_id": document.id,
            "lang": document.lang,
            "sentence_index": i,
            "start": s,
            "end": end,
            "text": text[s:end],
            "tokens": [text[ts:te] for ts, te in toks],
            "token_starts": [ts for ts, _ in toks],
            "token_ends": [te for _, te in toks],
            "ner_tags": tags[first:k],
        }


# ---------------------------------------------------------------------------------------------- writing


class _BatchWriter:
    """Buffers rows of one config and split and writes them to Parquet ``BATCH_ROWS`` at a time."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = pq.ParquetWriter(str(path), self.schema, **_PARQUET_OPTIONS)
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self.nbytes = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            table = pa.Table.from_pylist(self.rows, schema=self.schema)
            self.writer.write_table(table, row_group_size=BATCH_ROWS)
            self.count += len(self.rows)
            self.nbytes += table.nbytes
            self.rows = []

    def close(self) -> None:
        self.flush()
        self.writer.close()


@dataclass
class ExportStats:
    """Counts gathered while exporting (for the card and the CLI)."""

    rows: dict[str, dict[str, int]] = field(default_factory=dict)
    num_bytes: dict[str, dict[str, int]] = field(default_factory=dict)
    file_bytes: dict[str, int] = field(default_factory=dict)
    documents_by_lang: Counter[str] = field(default_factory=Counter)
    layer_by_lang: dict[str, Counter[str]] = field(default_factory=dict)
    calendars: Counter[str] = field(default_factory=Counter)
    calendars_by_lang: dict[str, Counter[str]] = field(default_factory=dict)
    event_attributes: dict[str, Counter[str]] = field(default_factory=dict)
    """Attribute name -> value -> events (modality, polarity, tense)."""
    tokens: TokenStats = field(default_factory=TokenStats)
    sentences: int = 0

    def present(self) -> dict[str, list[str]]:
        """Configs with rows and, for each, its splits that have rows (the only ones written)."""
        out = {c: [s for s, _ in SPLITS if self.rows.get(c, {}).get(s)] for c in self.rows}
        return {c: splits for c, splits in out.items() if splits}


def config_schema(config: str, features: Features, meta: Mapping[str, Any]) -> pa.Schema:
    """The Arrow schema of ``config``: the features' own (``huggingface`` metadata) plus the ``annotate`` key."""
    schema = features.arrow_schema
    extra = dict(meta)
    if config == "entities":
        extra["ner_tags"] = features["ner_tags"].feature.names
    md = dict(schema.metadata or {})
    md[b"annotate"] = json.dumps(extra, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return schema.with_metadata(md)


def export_release(
    release_dir: str | Path,
    out: str | Path,
    *,
    name: str = "annotate-gold",
    taxonomy: Taxonomy | None = None,
    agreement: Mapping[str, Any] | None = None,
    license: str = "cc-by-4.0",
    hub_repo: str | None = None,
    include: Sequence[str] = (),
) -> ExportStats:
    """Verify the release at ``release_dir`` and write it as a dataset directory at ``out`` (atomically).

    The taxonomy is the one frozen in the release (``taxonomy`` only for a release made before releases kept
    one; default: the built-in taxonomy). ``agreement`` holds curation's agreement figures for the card (omitted:
    the card says none were computed); ``hub_repo`` (``ORG/NAME``) names the card and adds a Hub lm-eval task;
    ``include`` adds optional configs (:data:`OPTIONAL_CONFIGS`).
    """
    from .card import dataset_card
    from .harness import lm_eval_files

    unknown = [c for c in include if c not in OPTIONAL_CONFIGS]
    if unknown:
        raise ExportError(f"unknown optional config(s): {', '.join(unknown)}; choose from "
                          f"{', '.join(OPTIONAL_CONFIGS)}")
    release = Path(release_dir)
    manifest = verify_release_dir(release, read_files=False)  # each file's hash is checked as it is read
    tax = release_taxonomy(release) or taxonomy or default_taxonomy()
    features = all_features(tax)
    labels = bio_labels(tax)
    meta = {"dataset_version": manifest.version, "schema_version": manifest.schema_version,
            "guideline_version": manifest.guideline_version, "offsets": manifest.offsets,
            "date_ranges": DATE_RANGE_CONVENTION}
    configs = [*CONFIGS, *(c for c in OPTIONAL_CONFIGS if c in include)]
    target = Path(out)
    check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target.parent)
    tmp = staging_dir(target.parent, target.name)
    stats = ExportStats()
    try:
        writers = {
            (config, split): _BatchWriter(tmp / data_file(config, split), config_schema(config, features[config], meta))
            for config in configs
            for split, _ in SPLITS
        }
        try:
            for document, gold, split in iter_records(release, verify=True):
                _count(stats, document, gold)
                writers["documents", split].add(document_row(document, gold))
                for row in date_rows(document, gold):
                    writers["dates", split].add(row)
                for row in date_pair_rows(document, gold):
                    writers["date_pairs", split].add(row)
                for row in entity_rows(document, gold, labels, stats.tokens):
                    writers["entities", split].add(row)
                    stats.sentences += 1
            if include:
                _write_sets(release, writers, include)
        finally:
            for w in writers.values():
                w.close()
        for (config, split), w in writers.items():
            stats.rows.setdefault(config, {})[split] = w.count
            stats.num_bytes.setdefault(config, {})[split] = w.nbytes
            if w.count == 0:  # `datasets` cannot load a split without rows: leave the split out
                w.path.unlink()
            else:
                stats.file_bytes[data_file(config, split)] = w.path.stat().st_size
        for c in configs:
            if not (tmp / c).exists() or not any((tmp / c).iterdir()):
                remove_tree(tmp / c)
        (tmp / TAXONOMY_FILE).write_text(
            json.dumps(tax.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        for rel, content in lm_eval_files(manifest.version, name=name, hub_repo=hub_repo,
                                          splits=stats.present().get("dates", [])).items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_text(content, encoding="utf-8")
        card = dataset_card(manifest, stats, features, name=name, license=license, agreement=agreement,
                            hub_repo=hub_repo, taxonomy=tax)
        (tmp / "README.md").write_text(card, encoding="utf-8")
        (tmp / RELEASE_JSON).write_bytes(_release_json(manifest, _files_below(tmp)))
        _move_into_place(tmp, target)
    except BaseException:
        remove_tree(tmp, best_effort=True)
        raise
    return stats


def _files_below(root: Path) -> list[str]:
    """Every file below ``root`` as a sorted POSIX path relative to it."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink())


def check_replaceable(target: Path) -> None:
    """Refuse (:class:`ExportError`) an existing ``target`` that is not wholly an export this tool wrote.

    Replaceable: a real directory (not a symlink) whose ``release.json`` lists in ``files`` every other file in
    it, with nothing else there (no unlisted file, no symlink, no empty folder a person made). Anything else is
    left untouched.
    """
    if not target.exists() and not target.is_symlink():
        return
    refuse = f"{target} exists and is not wholly an export written by `annotate export`"
    hint = "choose another --out directory, or move that one away yourself"
    if target.is_symlink() or not target.is_dir():
        raise ExportError(f"{refuse} (it is {'a symlink' if target.is_symlink() else 'not a directory'}); "
                          "refusing to replace it", hint=hint)
    listed = _listed_files(target)
    if listed is None:
        raise ExportError(f"{refuse} (no release.json listing its files); refusing to replace it", hint=hint)
    present = {p.relative_to(target).as_posix() for p in target.rglob("*")}
    dirs = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_dir() and not p.is_symlink()}
    links = sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_symlink())
    expected = set(listed) | {RELEASE_JSON}
    expected_dirs = {parent for f in expected for parent in _parents(f)}
    unexpected = sorted((present - dirs - expected) | (dirs - expected_dirs) | set(links))
    if unexpected:
        shown = ", ".join(unexpected[:5]) + (f" and {len(unexpected) - 5} more" if len(unexpected) > 5 else "")
        raise ExportError(f"{refuse}: it also holds {shown}; refusing to replace it", hint=hint)


def _listed_files(target: Path) -> list[str] | None:
    """The ``files`` list of ``target``'s ``release.json``, or None when there is no readable list of names.

    Read as plain JSON, not as :class:`ExportedRelease`: replacing a directory depends only on what it lists.
    """
    try:
        data = json.loads((target / RELEASE_JSON).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    listed = data.get("files") if isinstance(data, dict) else None
    if isinstance(listed, list) and all(isinstance(f, str) for f in listed):
        return listed
    return None


def _parents(relpath: str) -> list[str]:
    parts = relpath.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _count(stats: ExportStats, document: Document, gold: AnnotationSet) -> None:
    lang = document.lang
    stats.documents_by_lang[lang] += 1
    layer = stats.layer_by_lang.setdefault(lang, Counter())
    layer.update(entities=len(gold.entities), dates=len(gold.dates), events=len(gold.events),
                 arguments=sum(len(e.arguments) for e in gold.events), date_links=len(gold.links))
    for ev in gold.events:
        for name, value in ev.attributes().items():
            stats.event_attributes.setdefault(name, Counter())[value] += 1
    for d in gold.dates:
        stats.calendars[d.calendar.value] += 1
        stats.calendars_by_lang.setdefault(lang, Counter())[d.calendar.value] += 1


def _write_sets(release: Path, writers: Mapping[tuple[str, str], _BatchWriter], include: Sequence[str]) -> None:
    for document, sets, split in iter_sets(release):
        for aset in sets:
            if aset.author == GOLD_AUTHOR:
                continue
            config = "suggestions" if aset.author_kind == AuthorKind.engine else "annotations"
            if config in include:
                writers[config, split].add(set_row(document, aset))


def _move_into_place(tmp: Path, target: Path) -> None:
    os.chmod(tmp, 0o755)
    if target.exists() or target.is_symlink():
        check_replaceable(target)  # again: the directory may have changed while we wrote
        old = moved_aside(target)
        target.rename(old)
        tmp.rename(target)
        remove_tree(old, best_effort=True)
    else:
        tmp.rename(target)


def _release_json(manifest: ReleaseManifest, files: list[str]) -> bytes:
    data = manifest.exported(date_ranges=DATE_RANGE_CONVENTION, files=files).model_dump(mode="json")
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def load_card_yaml(path: str | Path) -> dict[str, Any]:
    """The YAML header of an exported card (for checks and tests)."""
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(Path(path) / "README.md")
    data: dict[str, Any] = card.data.to_dict()
    return data


def release_manifest_of_export(path: str | Path) -> ExportedRelease:
    """The ``release.json`` of an export directory."""
    p = Path(path) / RELEASE_JSON
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ExportError(f"{p}: not an export made by `annotate export`: {exc}") from None
    return parse_json_model(ExportedRelease, data, p, "an export made by `annotate export`")


def _read_rows(path: Path) -> Iterator[dict[str, Any]]:
    try:
        for batch in pq.ParquetFile(path).iter_batches(batch_size=1000):
            yield from batch.to_pylist()
    except (OSError, pa.ArrowException) as exc:
        raise ExportError(f"{path}: cannot read the Parquet file: {exc}") from None


def export_splits(path: str | Path, config: str) -> list[str]:
    """Splits of ``config`` present in the export directory ``path``, in split order."""
    return [s for s, _ in SPLITS if (Path(path) / data_file(config, s)).is_file()]


def iter_export_documents(path: str | Path) -> Iterator[tuple[Document, AnnotationSet, str]]:
    """Every ``(document, gold, split)`` of an export directory, read from its ``documents`` config (an export
    with a symlink leading out of it is refused: it may have come from anyone)."""
    root = Path(path)
    check_no_links_out(root, what="export directory")
    for split in export_splits(root, DEFAULT_CONFIG):
        f = root / data_file(DEFAULT_CONFIG, split)
        for i, row in enumerate(_read_rows(f)):
            try:
                document, gold = from_document_row(row)
            except (ValueError, KeyError, TypeError) as exc:
                raise ExportError(f"{f}: row {i} ({row.get('id')!r}) is not a document with gold: {exc}") from None
            yield document, gold, split


def lm_eval_rows(path: str | Path) -> tuple[str, list[tuple[str, str]]]:
    """The split the export's lm-eval task evaluates and ``(doc_id, mention_id)`` of its rows, in the order lm-eval
    numbers them (dates without an answer left out, as ``lm_eval/dataset.py`` does)."""
    from .harness import eval_split

    root = Path(path)
    split = eval_split(export_splits(root, "dates"))
    if split is None:
        raise ExportError(f"{root}: the export has no `dates` rows, so its lm-eval task has none either")
    return split, [(r["doc_id"], r["mention_id"]) for r in _read_rows(root / data_file("dates", split))
                   if r["answer"]]


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
