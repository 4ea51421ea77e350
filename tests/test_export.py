"""Export: load_dataset round trip, explicit features, byte-identical re-export, atomicity, card, tokenizer."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import annotation_sets, documents
from test_releases import gold_project, make_doc, put_gold, release, sample_gold  # noqa: F401

from annotate.errors import ExportError
from annotate.models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, AuthorKind, Document
from annotate.project import Project
from annotate.release import export as export_mod
from annotate.release.export import (
    CONFIGS,
    export_release,
    from_document_row,
    load_card_yaml,
)
from annotate.release.versions import canonical_set, iter_records, release_path, write_release


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))


def load(path: Path, config: str, cache_dir: Path | None = None) -> object:
    import datasets

    datasets.disable_progress_bars()
    return datasets.load_dataset(str(path), config, cache_dir=str(cache_dir) if cache_dir else None)


def digest(path: Path) -> dict[str, str]:
    return {p.relative_to(path).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(path.rglob("*")) if p.is_file()}


def test_round_trip_through_load_dataset(gold_project: Project, tmp_path: Path) -> None:  # noqa: F811
    v = release(gold_project)
    out = tmp_path / "export"
    stats = export_release(release_path(gold_project.path, v), out, taxonomy=gold_project.taxonomy())
    expected = {d.id: (d, g) for d, g, _ in iter_records(release_path(gold_project.path, v))}
    ds = load(out, "documents")
    rows = [row for split in ds.values() for row in split]  # type: ignore[attr-defined]
    assert len(rows) == 2
    for row in rows:
        doc, gold = from_document_row(row)
        want_doc, want_gold = expected[doc.id]
        assert doc == want_doc
        assert canonical_set(gold) == canonical_set(want_gold)
        for _, s in gold.spans():
            assert doc.text[s.start : s.end] == s.text
    dates = [r for split in load(out, "dates").values() for r in split]  # type: ignore[attr-defined]
    assert {r["answer"] for r in dates} == {"2020-01-30"}
    for r in dates:
        ctx = r["context"]
        assert ctx[r["start"] - r["context_start"] : r["end"] - r["context_start"]] == r["text"]
        assert "[[" + r["text"] + "]]" in r["marked_context"]
    pairs = [r for split in load(out, "date_pairs").values() for r in split]  # type: ignore[attr-defined]
    assert [(p["source"]["calendar"], p["target"]["calendar"], p["consistent"]) for p in pairs] == [
        ("solar_hijri", "gregorian", True)] * 2
    ents = load(out, "entities")
    split = next(iter(ents.values()))  # type: ignore[attr-defined]
    names = split.features["ner_tags"].feature.names
    row = split[0]
    tagged = [(tok, names[t]) for tok, t in zip(row["tokens"], row["ner_tags"], strict=True) if t]
    assert tagged == [("قاسم", "B-PER"), ("سلیمانی", "I-PER"), ("بغداد", "B-GPE")]
    assert "می\u200cگویند" in row["tokens"]  # ZWNJ kept inside the word
    assert stats.rows["documents"] and sum(stats.rows["documents"].values()) == 2


def test_empty_layers_keep_their_types(gold_project: Project, tmp_path: Path) -> None:  # noqa: F811
    store = gold_project.store()
    bare = make_doc("doc-bare")
    put_gold(store, bare, AnnotationSet(doc_id=bare.id, author=GOLD_AUTHOR, author_kind=AuthorKind.gold))
    v = release(gold_project)
    out = tmp_path / "e"
    export_release(release_path(gold_project.path, v), out)
    ds = load(out, "documents")
    features = next(iter(ds.values())).features  # type: ignore[attr-defined]
    assert features == export_mod.documents_features()
    import pyarrow.parquet as pq

    for f in (out / "documents").glob("*.parquet"):
        assert pq.read_schema(f).field("entities").type.value_type.num_fields == 6


def test_reexport_is_byte_identical_and_atomic(gold_project: Project, tmp_path: Path,  # noqa: F811
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    v = release(gold_project)
    rel = release_path(gold_project.path, v)
    a, b = tmp_path / "a", tmp_path / "b"
    export_release(rel, a)
    export_release(rel, b)
    assert digest(a) == digest(b) and len(digest(a)) > 5
    export_release(rel, a)  # over an existing export
    assert digest(a) == digest(b)

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(export_mod, "dataset_card", boom)
    with pytest.raises(RuntimeError):
        export_release(rel, tmp_path / "c")
    assert not (tmp_path / "c").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    with pytest.raises(RuntimeError):
        export_release(rel, a)
    assert digest(a) == digest(b)  # the earlier export is untouched


def test_export_refuses_a_tampered_release(gold_project: Project, tmp_path: Path) -> None:  # noqa: F811
    v = release(gold_project)
    rel = release_path(gold_project.path, v)
    victim = rel / "documents" / "doc-ar-1.json"
    victim.chmod(0o644)
    victim.write_bytes(victim.read_bytes().replace(b'"PER"', b'"ORG"'))
    with pytest.raises(ExportError, match=r"doc-ar-1\.json: sha256 does not match"):
        export_release(rel, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_card_header_is_what_the_hub_reads(gold_project: Project, tmp_path: Path) -> None:  # noqa: F811
    from huggingface_hub import DatasetCard

    v = release(gold_project)
    out = tmp_path / "e"
    export_release(release_path(gold_project.path, v), out, agreement={"entities F1": "0.912"})
    data = load_card_yaml(out)
    assert data["language"] == ["fa", "prs", "ar"]
    assert {c["config_name"] for c in data["configs"]} == set(CONFIGS)
    assert next(c for c in data["configs"] if c.get("default"))["config_name"] == "documents"
    assert {i["config_name"] for i in data["dataset_info"]} == set(CONFIGS)
    assert data["task_categories"] and data["task_ids"] == ["named-entity-recognition"]
    assert data["size_categories"] == ["n<1K"] and data["license"] == "cc-by-4.0"
    card = DatasetCard.load(out / "README.md")
    body = card.text
    assert "| entities F1 | 0.912 |" in body
    assert f"v{v}" in body and "@misc" in body
    from datasets.utils.metadata import MetadataConfigs

    configs = MetadataConfigs.from_dataset_card_data(card.data)
    assert set(configs) == set(CONFIGS)
    task = (out / "lm_eval" / "annotate_gold_dates.yaml").read_text(encoding="utf-8")
    assert "dates/" in task and f"dataset_version: {v}" in task


def test_card_says_when_no_agreement_was_computed(gold_project: Project, tmp_path: Path) -> None:  # noqa: F811
    v = release(gold_project)
    export_release(release_path(gold_project.path, v), tmp_path / "e", agreement=None, hub_repo="org/news")
    body = (tmp_path / "e" / "README.md").read_text(encoding="utf-8")
    assert "No inter-annotator agreement figures were computed" in body
    assert 'load_dataset("org/news"' in body
    task = (tmp_path / "e" / "lm_eval" / "annotate_gold_dates.yaml").read_text(encoding="utf-8")
    assert "dataset_path: org/news" in task and f"revision: v{v}" in task


@st.composite
def gold_sets(draw: st.DrawFn) -> list[tuple[Document, AnnotationSet]]:
    ids = draw(st.lists(st.from_regex(r"\Adoc-[a-z0-9]{1,8}\Z"), min_size=1, max_size=4, unique=True))
    out = []
    for doc_id in ids:
        doc = draw(documents(doc_id=doc_id))
        aset = draw(annotation_sets(doc, author=GOLD_AUTHOR))
        out.append((doc, aset.model_copy(update={"status": AnnotationStatus.gold, "author_kind": AuthorKind.gold})))
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=gold_sets())
def test_random_gold_round_trips(records: list[tuple[Document, AnnotationSet]], tmp_path_factory:
                                 pytest.TempPathFactory) -> None:
    root = tmp_path_factory.mktemp("rel")
    manifest, _ = write_release(root, records, bump="minor", message="h", guideline="2.0.0",
                                created_at=datetime(2026, 1, 1, tzinfo=UTC))
    out = root / "export"
    export_release(root / manifest["version"], out)
    want = {d.id: (d, canonical_set(g)) for d, g in records}
    got = {}
    ds = load(out, "documents", cache_dir=root / "cache")  # a fresh cache: the next example reuses the paths
    for split in ds.values():  # type: ignore[attr-defined]
        assert split.features == export_mod.documents_features()
        for row in split:
            doc, gold = from_document_row(row)
            got[doc.id] = (doc, canonical_set(gold))
            for _, s in gold.spans():
                assert doc.text[s.start : s.end] == s.text
    assert got == want
