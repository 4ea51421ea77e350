"""The store's commands end to end through click: init, import, docs list/show, dump, restore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from annotate.cli import cli

FA = "خبرگزاری تسنیم: قاسم سلیمانی روز ۱۰ بهمن کشته شد.\u200cمی‌گویند"
AR = "قال المتحدث باسم التحالف الدولي في ١٠ كانون الثاني"


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--project", str(project), *args], catch_exceptions=False)


@pytest.fixture
def proj(tmp_path: Path) -> Path:
    p = tmp_path / "proj"
    result = run(p, "init")
    assert result.exit_code == 0, result.output
    assert "initialised" in result.output and (p / "project.json").exists() and (p / "annotate.db").exists()
    return p


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    f = tmp_path / "docs.jsonl"
    rows = [{"id": "fa-1", "text": FA, "lang": "fa", "title": "تیتر"}, {"id": "ar-1", "text": AR, "lang": "ar"}]
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return f


@pytest.mark.parametrize("args", [
    ("docs", "list"),
    ("release", "list"),  # reads only the project's files, yet says "no releases yet" for no project at all
    ("release", "diff", "1.0.0", "1.1.0"),
    ("release", "verify", "1.0.0"),
])
def test_commands_need_an_initialised_project(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run(tmp_path / "none", *args)
    assert result.exit_code == 1
    assert "is not an annotate project" in result.output and "annotate init" in result.output


def test_init_twice_is_harmless_and_env_selects_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATE_PROJECT", str(tmp_path / "from-env"))
    first = CliRunner().invoke(cli, ["init"])
    second = CliRunner().invoke(cli, ["init"])
    assert first.exit_code == second.exit_code == 0
    assert "already initialised" in second.output and (tmp_path / "from-env" / "project.json").exists()


def test_init_with_an_unusable_database_url_leaves_nothing(tmp_path: Path) -> None:
    result = run(tmp_path / "bad", "init", "--database-url", "nosuchdb://x/y")
    assert result.exit_code == 1 and "cannot be used" in result.output
    assert not (tmp_path / "bad" / "project.json").exists()


def test_import_list_show(proj: Path, corpus: Path) -> None:
    result = run(proj, "import", str(corpus))
    assert result.exit_code == 0, result.output
    assert "added     fa-1  fa (given)" in result.output
    assert "2 documents: 2 added, 0 unchanged" in result.output
    again = run(proj, "import", str(corpus))
    assert "0 added, 2 unchanged" in again.output and again.exit_code == 0

    listed = run(proj, "docs", "list")
    assert [line.split("\t")[:2] for line in listed.stdout.splitlines()] == [["ar-1", "ar"], ["fa-1", "fa"]]
    as_json = [json.loads(line) for line in run(proj, "docs", "list", "--lang", "fa", "--json").output.splitlines()]
    assert [(d["id"], d["chars"], d["title"]) for d in as_json] == [("fa-1", len(FA), "تیتر")]

    shown = run(proj, "docs", "show", "fa-1")
    assert "lang: fa" in shown.output and shown.output.rstrip("\n").endswith(FA)
    assert json.loads(run(proj, "docs", "show", "fa-1", "--json").output)["text"] == FA
    missing = run(proj, "docs", "show", "nope")
    assert missing.exit_code == 1 and "no document 'nope'" in missing.output


def test_import_reports_bad_input_and_exits_1(proj: Path, tmp_path: Path, corpus: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xd8\xb3\xff")
    result = run(proj, "import", str(bad), str(corpus))
    assert result.exit_code == 1
    assert f"{bad}: invalid UTF-8 at byte offset 2" in result.stderr
    assert "2 added" in result.stdout and "1 error" in result.stdout
    changed = tmp_path / "changed.jsonl"
    changed.write_text(json.dumps({"id": "fa-1", "text": FA + "!", "lang": "fa"}) + "\n", encoding="utf-8")
    refused = run(proj, "import", str(changed))
    assert refused.exit_code == 1 and "refused" in refused.output and "--replace" in refused.output
    replaced = run(proj, "import", str(changed), "--replace")
    assert replaced.exit_code == 0 and "replaced" in replaced.output
    assert "version: 2" in run(proj, "docs", "show", "fa-1").output


def test_import_overrides(proj: Path, corpus: Path) -> None:
    result = run(proj, "import", str(corpus), "--lang", "prs", "--reference-date", "2024-01-27")
    assert result.exit_code == 0 and "prs (--lang)" in result.output
    docs = [json.loads(line) for line in run(proj, "docs", "list", "--json").output.splitlines()]
    assert {(d["lang"], d["reference_date"]) for d in docs} == {("prs", "2024-01-27")}
    bad = run(proj, "import", str(corpus), "--reference-date", "27/01/2024")
    assert bad.exit_code == 1 and "--reference-date: '27/01/2024' is not a date in the form YYYY-MM-DD" in bad.output


def test_dump_restore_round_trip(proj: Path, corpus: Path, tmp_path: Path) -> None:
    run(proj, "import", str(corpus))
    out = tmp_path / "backup.jsonl"
    assert run(proj, "dump", "-o", str(out)).exit_code == 0
    to_stdout = run(proj, "dump")
    assert to_stdout.stdout == out.read_text(encoding="utf-8")
    other = tmp_path / "other"
    run(other, "init")
    restored = run(other, "restore", str(out))
    assert restored.exit_code == 0 and "2 document" in restored.output
    assert run(other, "dump").stdout == out.read_text(encoding="utf-8")
    again = run(other, "restore", str(out))
    assert again.exit_code == 1 and "not empty" in again.output


def test_seeds_import_through_the_manifest(proj: Path, seeds_dir: Path) -> None:
    result = run(proj, "import", str(seeds_dir / "manifest.jsonl"))
    assert result.exit_code == 0, result.output
    assert result.output.count("(given)") == 5 and "5 added" in result.output
    langs = sorted(json.loads(line)["lang"] for line in run(proj, "docs", "list", "--json").output.splitlines())
    assert langs == ["ar", "ar", "fa", "fa", "prs"]


def test_database_url_from_env_overrides_project(
    proj: Path, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("ANNOTATE_DATABASE_URL", f"sqlite:///{elsewhere}")
    assert run(proj, "import", str(corpus)).exit_code == 0
    assert elsewhere.exists()
    monkeypatch.delenv("ANNOTATE_DATABASE_URL")
    assert run(proj, "docs", "list").stdout == ""


@pytest.mark.postgres
def test_project_on_postgres(tmp_path: Path, postgres_url: str, corpus: Path) -> None:
    p = tmp_path / "pg"
    result = run(p, "init", "--database-url", postgres_url)
    assert result.exit_code == 0 and "postgresql+psycopg" in result.output
    assert not (p / "annotate.db").exists()
    assert run(p, "import", str(corpus)).exit_code == 0
    assert len(run(p, "docs", "list").stdout.splitlines()) == 2
    again = run(p, "init", "--database-url", "sqlite:///other.db")
    assert again.exit_code == 1 and "already a project" in again.output


def test_docs_show_json_has_the_marks_of_every_set(proj: Path, corpus: Path) -> None:
    """``docs show --json`` says it is the whole document: each set comes with its marks, as stored."""
    from annotate.models import AnnotationSet, EntityMention
    from annotate.project import open_project

    assert run(proj, "import", str(corpus)).exit_code == 0
    assert run(proj, "prelabel").exit_code == 0
    project = open_project(proj)
    try:
        store = project.store()
        start = FA.index("قاسم سلیمانی")
        per = EntityMention(id="e1", start=start, end=start + 12, text="قاسم سلیمانی", type="PER", canonical_id="Q1")
        store.sets.save(AnnotationSet(doc_id="fa-1", author="ali", entities=[per]), base_revision=0,
                                  actor="ali")
        stored = {a.author: a for a in store.sets.list("fa-1")}
    finally:
        project.close()
    shown = json.loads(run(proj, "docs", "show", "fa-1", "--json").output)
    sets = {s["author"]: s for s in shown["annotation_sets"]}
    assert sorted(sets) == ["ali", "dates-engine"]
    assert sets["ali"]["entities"] == [per.model_dump(mode="json")]
    assert sets["dates-engine"]["dates"] and sets["dates-engine"]["dates"][0]["text"] == "۱۰ بهمن"
    for author, a in stored.items():
        for layer in ("entities", "dates", "events", "links", "metadata"):
            assert sets[author][layer] == a.content()[layer], (author, layer)
        assert sets[author]["revision"] == a.revision
    assert shown["version"] == 1
