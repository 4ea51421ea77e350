"""Corpus import: file kinds, manifests, overrides, idempotence, replace, and per-file/line errors."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from builders import snapshot

from annotate.corpus.importer import import_paths, parse_reference_date
from annotate.errors import InputError
from annotate.models import freeze_text
from annotate.store import Store

FA = "سلام، این یک خبر است.\u200cمی‌گویند ۱۴۰۰/۰۴/۲۲"
AR = "قال المتحدث في ١٠ كانون الثاني ٢٠٢٠"


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_txt_file_is_one_frozen_document(sqlite_store: Store, tmp_path: Path) -> None:
    raw = "\ufeff" + FA.replace(" ", "\r\n", 1) + "\r"
    (tmp_path / "a.txt").write_bytes(raw.encode("utf-8"))
    summary = import_paths(sqlite_store, [tmp_path / "a.txt"], actor="t", lang="fa")
    assert summary.ok and summary.counts()["added"] == 1
    doc = sqlite_store.documents.get(summary.results[0].doc_id)
    assert doc.text == freeze_text(raw) and "\u200c" in doc.text and "۱۴۰۰" in doc.text
    assert doc.metadata == {"source_file": "a.txt"}


def test_jsonl_fields_extra_keys_and_overrides(sqlite_store: Store, tmp_path: Path) -> None:
    f = write_jsonl(
        tmp_path / "docs.jsonl",
        [
            {
                "id": "n1",
                "text": FA,
                "lang": "fa",
                "title": "عنوان",
                "publisher": "P",
                "url": "https://x.test/1",
                "reference_date": "2021-07-13",
                "metadata": {"k": 1},
                "region": "IR",
            },
            {"id": "n2", "text": AR, "lang": "ar"},
        ],
    )
    summary = import_paths(sqlite_store, [f], actor="t")
    assert [(r.doc_id, r.language.lang, r.language.how) for r in summary.results] == [
        ("n1", "fa", "given"),
        ("n2", "ar", "given"),
    ]
    n1 = sqlite_store.documents.get("n1")
    assert (n1.title, n1.url, n1.reference_date) == ("عنوان", "https://x.test/1", date(2021, 7, 13))
    assert n1.metadata == {"k": 1, "region": "IR"}
    over = import_paths(sqlite_store, [f], actor="t", lang="prs", reference_date="2024-01-27", replace=True)
    assert [r.language.describe() for r in over.results] == ["prs (--lang)", "prs (--lang)"]
    # Same texts: re-import is a no-op even though --lang differs (idempotent by text).
    assert [r.outcome for r in over.results] == ["unchanged", "unchanged"]


def test_manifest_and_directory(sqlite_store: Store, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "one.txt").write_text(FA, encoding="utf-8")
    (corpus / "sub" / "two.txt").write_text(AR, encoding="utf-8")
    (corpus / "notes.md").write_text("ignored", encoding="utf-8")
    write_jsonl(
        corpus / "manifest.jsonl",
        [{"file": "one.txt", "lang": "fa", "reference_date": "2020-02-02", "publisher": "Tasnim", "region": "IR"}],
    )
    write_jsonl(corpus / "sub" / "more.jsonl", [{"text": "نص ثالث", "lang": "ar"}])
    summary = import_paths(sqlite_store, [corpus], actor="t", lang=None)
    # one.txt is read through the manifest only; two.txt has no language and no manifest.
    sources = [r.source for r in summary.results]
    assert any("manifest.jsonl:1" in s for s in sources) and not any(s.endswith("one.txt") for s in sources)
    by_text = {sqlite_store.documents.get(r.doc_id).text: r for r in summary.results}
    one = sqlite_store.documents.get(by_text[FA].doc_id)
    assert (one.publisher, one.reference_date, one.metadata) == (
        "Tasnim",
        date(2020, 2, 2),
        {"source_file": "one.txt", "region": "IR"},
    )
    assert "نص ثالث" in by_text


def test_reimport_is_idempotent_and_replace_keeps_history(sqlite_store: Store, tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "d.jsonl", [{"id": "x1", "text": FA, "lang": "fa"}])
    assert import_paths(sqlite_store, [f], actor="t").counts()["added"] == 1
    before = snapshot(sqlite_store)
    assert import_paths(sqlite_store, [f], actor="t").counts()["unchanged"] == 1
    assert snapshot(sqlite_store) == before
    write_jsonl(f, [{"id": "x1", "text": FA + " تغییر", "lang": "fa"}])
    refused = import_paths(sqlite_store, [f], actor="t")
    assert not refused.ok and refused.results[0].outcome == "refused"
    assert "--replace" in (refused.results[0].reason or "")
    assert snapshot(sqlite_store) == before
    replaced = import_paths(sqlite_store, [f], actor="t", replace=True)
    assert replaced.results[0].outcome == "replaced"
    assert sqlite_store.documents.get("x1").text.endswith("تغییر")
    assert [v.document.text for v in sqlite_store.documents.history("x1")] == [FA]


@pytest.mark.parametrize(
    ("name", "content", "where", "message"),
    [
        ("bad.txt", b"\xd8\xb3\xd9\x84\xff\xfe", "bad.txt", "invalid UTF-8 at byte offset 4"),
        ("empty.txt", b"", "empty.txt", "empty"),
        ("blank.txt", b" \n\t\n", "blank.txt", "empty"),
        ("bin.txt", b"PK\x03\x04\x00\x00", "bin.txt", "binary"),
        (
            "lines.jsonl",
            b'{"text": "ok", "lang": "fa"}\n{"text": "\xff"}\n',
            "lines.jsonl:2",
            "invalid UTF-8 at byte offset 39",
        ),
        ("arr.jsonl", b"[1, 2]\n", "arr.jsonl:1", "expected a JSON object per line, got an array"),
        ("syntax.jsonl", b'{"text": \n', "syntax.jsonl:1", "not valid JSON"),
        ("notext.jsonl", b'{"lang": "fa"}\n', "notext.jsonl:1", "field 'text' is missing"),
        ("type.jsonl", b'{"text": 5, "lang": "fa"}\n', "type.jsonl:1", "field 'text': expected a string, got a number"),
        (
            "title.jsonl",
            b'{"text": "x", "lang": "fa", "title": ["a"]}\n',
            "title.jsonl:1",
            "field 'title': expected a string, got an array",
        ),
        (
            "meta.jsonl",
            b'{"text": "x", "lang": "fa", "metadata": 3}\n',
            "meta.jsonl:1",
            "field 'metadata': expected an object",
        ),
        (
            "date.jsonl",
            b'{"text": "x", "lang": "fa", "reference_date": "2020-02-30"}\n',
            "date.jsonl:1",
            "field 'reference_date': '2020-02-30' is not a valid date",
        ),
        (
            "datefmt.jsonl",
            b'{"text": "x", "lang": "fa", "reference_date": "02/02/2020"}\n',
            "datefmt.jsonl:1",
            "YYYY-MM-DD",
        ),
        ("lang.jsonl", b'{"text": "x", "lang": "f a"}\n', "lang.jsonl:1", "lang"),
        ("id.jsonl", b'{"text": "x", "lang": "fa", "id": "has space"}\n', "id.jsonl:1", "id"),
        ("man.jsonl", b'{"file": "missing.txt", "lang": "fa"}\n', "man.jsonl:1", "'missing.txt' not found"),
        ("doc.md", b"# hi", "doc.md", "unsupported file type '.md'"),
    ],
)
def test_bad_input_is_reported_and_the_rest_imports(
    sqlite_store: Store, tmp_path: Path, name: str, content: bytes, where: str, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    good = write_jsonl(tmp_path / "good.jsonl", [{"id": "good-1", "text": AR, "lang": "ar"}])
    summary = import_paths(sqlite_store, [tmp_path / name, good], actor="t")
    problems = [p for p in summary.problems if Path(p.where.split(":")[0]).name == Path(where.split(":")[0]).name]
    assert len(problems) == 1, summary.problems
    assert problems[0].where.endswith(where) and message in problems[0].message, str(problems[0])
    assert not summary.ok
    assert sqlite_store.documents.get("good-1").text == AR
    ids = {r.doc_id for r in summary.results}
    assert {d.id for d in sqlite_store.documents.list()} == ids


def test_missing_path_and_bad_override(sqlite_store: Store, tmp_path: Path) -> None:
    summary = import_paths(sqlite_store, [tmp_path / "nope.txt"], actor="t")
    assert [str(p) for p in summary.problems] == [f"{tmp_path / 'nope.txt'}: no such file or directory"]
    with pytest.raises(InputError, match="--reference-date: '2020-1-1' is not a date in the form YYYY-MM-DD"):
        import_paths(sqlite_store, [], actor="t", reference_date="2020-1-1")
    assert parse_reference_date("2024-02-29") == date(2024, 2, 29)


def test_seed_manifest_imports_with_given_languages(sqlite_store: Store, seeds_dir: Path) -> None:
    manifest = [json.loads(line) for line in (seeds_dir / "manifest.jsonl").read_text().splitlines() if line]
    summary = import_paths(sqlite_store, [seeds_dir], actor="t")
    assert summary.ok and summary.counts()["added"] == len(manifest)
    langs = {sqlite_store.documents.get(r.doc_id).metadata["source_file"]: r.language.lang for r in summary.results}
    assert langs == {m["file"]: m["lang"] for m in manifest}
    again = import_paths(sqlite_store, [seeds_dir / "manifest.jsonl"], actor="t")
    assert again.counts()["unchanged"] == len(manifest)


def test_seed_languages_are_detected_without_manifest(sqlite_store: Store, seeds_dir: Path) -> None:
    """Each seed .txt imported on its own gets the manifest's language (annotate.corpus.langid)."""
    manifest = [json.loads(line) for line in (seeds_dir / "manifest.jsonl").read_text().splitlines() if line]
    files = [seeds_dir / m["file"] for m in manifest]
    summary = import_paths(sqlite_store, files, actor="t")
    assert [(r.language.how, r.language.lang) for r in summary.results] == [("detected", m["lang"]) for m in manifest]
    assert all(r.language.reason for r in summary.results)


def test_progress_bar_goes_to_the_given_stream(sqlite_store: Store, tmp_path: Path) -> None:
    import io

    f = write_jsonl(tmp_path / "many.jsonl", [{"text": f"{FA} {i}", "lang": "fa"} for i in range(450)])
    err = io.StringIO()
    summary = import_paths(sqlite_store, [f], actor="t", progress=True, progress_file=err)
    assert summary.counts()["added"] == 450 and sqlite_store.documents.count() == 450
    assert "importing" in err.getvalue() and "200/450" in err.getvalue()
