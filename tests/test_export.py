"""Export: load_dataset round trip, explicit features, byte-identical re-export, atomicity, card, tokenizer."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path

import pytest
from builders import make_doc, put_gold, release, sample_gold
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import annotation_sets, documents

from annotate.cli import cli
from annotate.demo import demo_corpus_path
from annotate.errors import ExportError, InputError
from annotate.models import (
    GOLD_AUTHOR,
    AnnotationSet,
    AnnotationStatus,
    AuthorKind,
    Document,
    Modality,
    Polarity,
    Tense,
)
from annotate.project import Project
from annotate.release import card as card_mod
from annotate.release import export as export_mod
from annotate.release.export import (
    CONFIGS,
    bio_labels,
    export_release,
    from_document_row,
    load_card_yaml,
)
from annotate.release.versions import canonical_set, iter_records, release_path, write_release
from annotate.taxonomy import default_taxonomy

DEMO_DOCS = sum(1 for line in demo_corpus_path().read_text(encoding="utf-8").splitlines() if line.strip())
"""Documents in the demo corpus (each gets one engine suggestion set)."""


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


def test_round_trip_through_load_dataset(gold_project: Project, tmp_path: Path) -> None:
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
    assert {r["gregorian_start"] for r in dates} == {date(2020, 1, 30)}  # date32 comes back as a date
    for r in dates:
        ctx = r["context"]
        assert ctx[r["start"] - r["context_start"] : r["end"] - r["context_start"]] == r["surface"]
        assert "[[" + r["surface"] + "]]" in r["marked_context"]
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


def test_event_attributes_reach_the_parquet_features_the_loaded_rows_and_the_card(
    gold_project: Project, tmp_path: Path
) -> None:
    """modality, polarity and tense are string fields of each event (derived from the model, not written by hand),
    read back by ``datasets`` offline and by the importer, and counted in the card."""
    store = gold_project.store()
    gold = store.sets.get("doc-ar-1", GOLD_AUTHOR)
    planned = gold.events[0].model_copy(
        update={"modality": Modality.other, "polarity": Polarity.negative, "tense": Tense.future})
    put_gold(store, make_doc("doc-ar-1", lang="ar"), gold.model_copy(update={"events": [planned]}))
    out = tmp_path / "export"
    export_release(release_path(gold_project.path, release(gold_project)), out, taxonomy=gold_project.taxonomy())
    import pyarrow.parquet as pq

    for f in (out / "documents").glob("*.parquet"):
        event = pq.read_schema(f).field("events").type.value_type
        fields = {event.field(i).name: str(event.field(i).type) for i in range(event.num_fields)}
        assert {k: fields[k] for k in ("modality", "polarity", "tense")} == dict.fromkeys(
            ("modality", "polarity", "tense"), "string")
    rows = {r["id"]: r for split in load(out, "documents").values() for r in split}  # type: ignore[attr-defined]
    (ar_event,) = rows["doc-ar-1"]["events"]
    (fa_event,) = rows["doc-fa-1"]["events"]
    assert (ar_event["modality"], ar_event["polarity"], ar_event["tense"]) == ("other", "negative", "future")
    assert (fa_event["modality"], fa_event["polarity"], fa_event["tense"]) == ("asserted", "positive", "unspecified")
    _, back = from_document_row(rows["doc-ar-1"])
    assert back.events[0].attributes() == {"modality": "other", "polarity": "negative", "tense": "future"}
    body = (out / "README.md").read_text(encoding="utf-8")
    assert "`modality` (`asserted` or `other`)" in body and "guidelines §4.3" in body
    assert "| modality | other | 1 |" in body and "| modality | asserted | 1 |" in body
    assert "| tense | future | 1 |" in body and "| tense | past | 0 |" in body


def test_empty_layers_keep_their_types(gold_project: Project, tmp_path: Path) -> None:
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
        fields = pq.read_schema(f).field("entities").type.value_type
        assert [fields.field(i).name for i in range(fields.num_fields)] == [
            "start", "end", "surface", "mention_id", "type", "canonical_id"]


def test_reexport_is_byte_identical_and_atomic(gold_project: Project, tmp_path: Path,
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

    monkeypatch.setattr(card_mod, "dataset_card", boom)
    with pytest.raises(RuntimeError):
        export_release(rel, tmp_path / "c")
    assert not (tmp_path / "c").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    with pytest.raises(RuntimeError):
        export_release(rel, a)
    assert digest(a) == digest(b)  # the earlier export is untouched


def test_export_refuses_a_tampered_release(gold_project: Project, tmp_path: Path) -> None:
    v = release(gold_project)
    rel = release_path(gold_project.path, v)
    victim = rel / "documents" / "doc-ar-1.json"
    victim.chmod(0o644)
    victim.write_bytes(victim.read_bytes().replace(b'"PER"', b'"ORG"'))
    with pytest.raises(ExportError, match=r"doc-ar-1\.json: sha256 does not match"):
        export_release(rel, tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_card_header_is_what_the_hub_reads(gold_project: Project, tmp_path: Path) -> None:
    from huggingface_hub import DatasetCard

    v = release(gold_project)
    out = tmp_path / "e"
    export_release(release_path(gold_project.path, v), out, agreement={"entities F1": "0.912"})
    data = load_card_yaml(out)
    assert data["language"] == ["fa", "ar"]  # the languages of the released documents
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
    assert "custom_dataset: !function dataset.load" in task and f"dataset_version: {v}" in task
    assert "dates/" in (out / "lm_eval" / "dataset.py").read_text(encoding="utf-8")


def test_card_says_when_no_agreement_was_computed(gold_project: Project, tmp_path: Path) -> None:
    v = release(gold_project)
    export_release(release_path(gold_project.path, v), tmp_path / "e", agreement=None, hub_repo="org/news")
    body = (tmp_path / "e" / "README.md").read_text(encoding="utf-8")
    assert "No inter-annotator agreement figures were computed" in body
    assert 'load_dataset("org/news"' in body
    task = (tmp_path / "e" / "lm_eval" / "annotate_gold_dates_hub.yaml").read_text(encoding="utf-8")
    assert "dataset_path: org/news" in task and f"revision: v{v}" in task
    assert (tmp_path / "e" / "lm_eval" / "annotate_gold_dates.yaml").is_file()  # the local task is still there


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
    export_release(root / manifest.version, out)
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


# ---------------------------------------------------------------------------------------------- for consumers

BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Z]{2}|-[0-9]{3})?$")


@pytest.fixture(scope="module")
def demo_export(demo_gold_release: tuple[Project, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo gold release exported with a Hub repository and both optional configs."""
    project, v = demo_gold_release
    out = tmp_path_factory.mktemp("demo-export") / "news-dates"
    export_release(release_path(project.path, v), out, hub_repo="my-org/news-dates", license="cc-by-sa-4.0",
                   include=("annotations", "suggestions"))
    return out


def test_card_validates_and_says_what_consumers_need(demo_export: Path, demo_gold_release: tuple[Project, str],
                                                     tmp_path: Path) -> None:
    from datasets.utils.metadata import MetadataConfigs
    from huggingface_hub import DatasetCard, DatasetCardData

    _, v = demo_gold_release
    card = DatasetCard.load(demo_export / "README.md")
    assert isinstance(card.data, DatasetCardData)
    data = card.data.to_dict()
    assert data["language"] == ["fa", "prs", "ar"]
    assert data["language_details"] == ["fa-IR", "prs-AF", "ar"]
    assert all(BCP47.match(t) for t in data["language_details"])
    assert data["pretty_name"] == "news-dates" and data["license"] == "cc-by-sa-4.0"
    assert data["guideline_version"] == json.loads((demo_export / "release.json").read_text())["guideline_version"]
    for info in data["dataset_info"]:
        assert info["dataset_size"] == sum(s["num_bytes"] for s in info["splits"]) > 0
        assert all(s["num_bytes"] > 0 and s["num_examples"] > 0 for s in info["splits"])
        files = sorted((demo_export / info["config_name"]).glob("*.parquet"))
        assert info["download_size"] == sum(f.stat().st_size for f in files)
    assert set(MetadataConfigs.from_dataset_card_data(card.data)) == {*CONFIGS, "annotations", "suggestions"}
    body = card.text
    assert "cc-by-sa-4.0" in body and "does not cover the news texts" in body and "publishers" in body
    assert "both inclusive" in body and "date32" in body
    for config in ("documents", "dates", "entities"):
        ds = load(demo_export, config, cache_dir=tmp_path / config)
        for split in ds.values():  # type: ignore[attr-defined]
            assert split.info.version is not None and str(split.info.version) == v


def test_taxonomy_guidelines_and_schema_metadata_ship(demo_export: Path,
                                                      demo_gold_release: tuple[Project, str]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from annotate.taxonomy import load_taxonomy

    project, _ = demo_gold_release
    assert load_taxonomy(demo_export / "taxonomy.json") == project.taxonomy()
    release_info = json.loads((demo_export / "release.json").read_text(encoding="utf-8"))
    assert release_info["guideline_version"] and "inclusive" in release_info["date_ranges"]
    ents = pq.read_schema(next((demo_export / "entities").glob("*.parquet")))
    meta = json.loads(ents.metadata[b"annotate"])
    hf = json.loads(ents.metadata[b"huggingface"])
    assert meta["ner_tags"] == hf["info"]["features"]["ner_tags"]["feature"]["names"] == bio_labels(project.taxonomy())
    assert meta["guideline_version"] == release_info["guideline_version"]
    dates = pq.read_schema(next((demo_export / "dates").glob("*.parquet")))
    for col in ("gregorian_start", "gregorian_end", "reference_date"):
        assert dates.field(col).type == pa.date32()
    docs = pq.read_schema(next((demo_export / "documents").glob("*.parquet")))
    assert docs.field("dates").type.value_type.field("gregorian_end").type == pa.date32()


def _names(feature: object, out: set[str]) -> set[str]:
    if isinstance(feature, dict):
        for k, v in feature.items():
            out.add(k)
            _names(v, out)
    elif hasattr(feature, "feature"):
        _names(feature.feature, out)
    return out


@pytest.mark.parametrize("config", [*CONFIGS, "annotations", "suggestions"])
def test_nested_field_names_never_repeat_a_top_level_name(config: str) -> None:
    features = export_mod.all_features(default_taxonomy())[config]
    nested: set[str] = set()
    for v in features.values():
        _names(v, nested)
    assert not nested & set(features), sorted(nested & set(features))


def test_sentence_rows_have_document_offsets(demo_export: Path, demo_gold_release: tuple[Project, str],
                                             tmp_path: Path) -> None:
    project, _ = demo_gold_release
    store = project.store()
    ds = load(demo_export, "entities", cache_dir=tmp_path)
    rows = [r for split in ds.values() for r in split]  # type: ignore[attr-defined]
    by_doc: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    assert all(len(v) > 1 for v in by_doc.values())  # every demo article has several sentences
    for doc_id, sentences in by_doc.items():
        text = store.documents.get(doc_id).text
        gold = store.sets.get(doc_id, "gold")
        assert [r["sentence_index"] for r in sentences] == list(range(len(sentences)))
        for r in sentences:
            assert text[r["start"] : r["end"]] == r["text"]
            for tok, s, e in zip(r["tokens"], r["token_starts"], r["token_ends"], strict=True):
                assert text[s:e] == tok and r["start"] <= s < e <= r["end"]
        for d in gold.dates:  # a date is never cut by a sentence boundary
            assert any(r["start"] <= d.start and d.end <= r["end"] for r in sentences), d.text


def test_optional_configs_carry_every_annotator_and_the_engine(demo_export: Path, tmp_path: Path) -> None:
    ann = [r for s in load(demo_export, "annotations", cache_dir=tmp_path / "a").values() for r in s]  # type: ignore[attr-defined]
    assert {r["author"] for r in ann} == {"sara"} and {r["status"] for r in ann} == {"submitted"}
    assert all(r["lang"] == "ar" and r["created_at"] is not None and r["updated_at"] is not None for r in ann)
    assert all(r["dates"] and r["revision"] >= 1 for r in ann)
    sug = [r for s in load(demo_export, "suggestions", cache_dir=tmp_path / "s").values() for r in s]  # type: ignore[attr-defined]
    assert len(sug) == DEMO_DOCS and {r["author_kind"] for r in sug} == {"engine"}


def test_optional_configs_need_a_release_that_kept_the_sets(gold_project: Project, tmp_path: Path) -> None:
    store = gold_project.store()
    fa = store.documents.get("doc-fa-1")
    store.sets.save(sample_gold(fa).model_copy(update={"author": "ali", "author_kind": AuthorKind.human}),
                              base_revision=0, actor="test")
    v = release(gold_project)
    rel = release_path(gold_project.path, v)
    out = tmp_path / "e"
    export_release(rel, out)
    assert not (out / "annotations").exists() and not (out / "suggestions").exists()
    export_release(rel, out, include=("annotations",))
    assert [r["author"] for s in load(out, "annotations").values() for r in s] == ["ali"]  # type: ignore[attr-defined]
    with pytest.raises(ExportError, match="unknown optional config"):
        export_release(rel, tmp_path / "x", include=("everything",))
    # a release made before releases kept the sets (no taxonomy, no sets in its manifest) says so
    old = tmp_path / "old"
    manifest, _ = write_release(old, iter((d, g) for d, g, _ in iter_records(rel)), bump="minor", message="old",
                                guideline="1.0.0")
    with pytest.raises(ExportError, match="keeps no annotator or engine sets"):
        export_release(old / manifest.version, tmp_path / "y", include=("suggestions",))


def test_features_follow_the_models() -> None:
    from pydantic import BaseModel

    from annotate.release.features import decode, encode, model_features

    class Mood(StrEnum):
        realis = "realis"
        irrealis = "irrealis"

    class Part(BaseModel):
        id: str
        text: str
        when: date | None = None

    class Thing(BaseModel):
        id: str
        mood: Mood = Mood.realis
        parts: list[Part] = []
        extra: dict[str, object] = {}
        score: float | None = None

    feats = model_features(Thing)
    assert list(feats) == ["id", "mood", "parts", "extra", "score"]
    assert list(feats["parts"].feature) == ["id", "surface", "when"]
    assert feats["parts"].feature["when"].dtype == "date32"
    thing = Thing(id="x", mood=Mood.irrealis, parts=[Part(id="p", text="۱۰ بهمن", when=date(2020, 1, 30))],
                  extra={"k": [1]}, score=0.5)
    row = encode(thing, nested=False)
    assert row["mood"] == "irrealis" and row["parts"][0]["surface"] == "۱۰ بهمن" and row["extra"] == '{"k":[1]}'
    assert Thing.model_validate(decode(Thing, row, nested=False)) == thing


# ---------------------------------------------------------------------------------------------- import


def _tables(path: Path) -> dict[str, object]:
    import pyarrow.parquet as pq

    return {f.relative_to(path).as_posix(): pq.read_table(f) for f in sorted(path.glob("*/*.parquet"))}


def _statistics(path: Path) -> str:
    body = (path / "README.md").read_text(encoding="utf-8")
    section = body[body.index("## Statistics") : body.index("## Agreement")]
    return "\n".join(x for x in section.splitlines() if not x.startswith(("| annotations", "| suggestions")))


def test_export_import_release_export_round_trip(demo_export: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    copy = tmp_path / "copy"
    assert runner.invoke(cli, ["--project", str(copy), "init"]).exit_code == 0
    r = runner.invoke(cli, ["--project", str(copy), "import", str(demo_export)])
    assert r.exit_code == 0, r.output
    assert f"{DEMO_DOCS} document(s) with gold added" in r.output
    r = runner.invoke(cli, ["--project", str(copy), "release", "create", "--bump", "minor", "-m", "copy"])
    assert r.exit_code == 0, r.output
    again = tmp_path / "again"
    r = runner.invoke(cli, ["--project", str(copy), "export", "0.1.0", "--out", str(again),
                            "--repo", "my-org/news-dates"])
    assert r.exit_code == 0, r.output
    first, second = _tables(demo_export), _tables(again)
    shared = {k: v for k, v in first.items() if not k.startswith(("annotations/", "suggestions/"))}
    assert set(shared) == set(second)
    for name, table in shared.items():
        assert table.equals(second[name]), name  # type: ignore[attr-defined]
    assert _statistics(demo_export) == _statistics(again)
    # byte-exact texts and metadata, and importing the same export again changes nothing
    r = runner.invoke(cli, ["--project", str(copy), "import", str(demo_export)])
    assert r.exit_code == 0 and f"0 document(s) with gold added, {DEMO_DOCS} already there" in r.output


def test_import_refuses_a_conflict_and_stores_nothing(demo_export: Path, tmp_path: Path) -> None:
    from annotate.cli.importing import import_export_dir
    from annotate.project import init_project

    target = init_project(tmp_path / "p")
    store = target.store()
    row_doc = next(d for d, _, _ in export_mod.iter_export_documents(demo_export))
    store.documents.put([Document.create(row_doc.text + " (ویرایش)", lang=row_doc.lang, id=row_doc.id)], actor="t")
    with pytest.raises(InputError, match=f"document {row_doc.id} is in the project with another text"):
        import_export_dir(target, demo_export, actor="t")
    assert [d.id for d in store.documents.list()] == [row_doc.id]
    assert store.sets.list() == []
    (target.path / "taxonomy.json").write_text('{"name": "x", "version": "1", "entity_types": [], '
                                               '"event_types": []}', encoding="utf-8")
    target.reload()
    with pytest.raises(InputError, match=r"taxonomy\.json differs from the export's taxonomy\.json"):
        import_export_dir(target, demo_export, actor="t")
    target.close()


def test_import_cli_rejects_options_meant_for_texts(demo_export: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["--project", str(tmp_path / "p"), "init"])
    r = runner.invoke(cli, ["--project", str(tmp_path / "p"), "import", str(demo_export), "--lang", "fa"])
    assert r.exit_code != 0 and "--lang does not apply to an export directory" in r.output
