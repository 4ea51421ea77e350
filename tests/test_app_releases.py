"""The Releases page in AppTest: preview the next release, the bump in words, create, compare, verify, download
the dataset zip (opened and read back by ``datasets`` offline), the CHANGELOG; and ``annotate release pending``."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from apptest_helpers import make_app, ok, texts
from builders import make_doc, put_gold, release, sample_gold
from click.testing import CliRunner

from annotate.cli import cli
from annotate.models import AuthorKind
from annotate.project import Project
from annotate.release.versions import list_versions, release_path

PASSWORD = "password123"


@pytest.fixture
def gold_project(project: Project) -> Project:
    """Two gold documents (fa, ar), a third with an annotator's set only, and a curator."""
    store = project.store()
    for doc_id, lang in (("doc-fa-1", "fa"), ("doc-ar-1", "ar")):
        doc = make_doc(doc_id, lang=lang)
        put_gold(store, doc, sample_gold(doc))
    other = make_doc("doc-fa-2")
    store.documents.put([other], actor="test")
    store.sets.save(sample_gold(other).model_copy(update={"author": "ali", "author_kind": AuthorKind.human}),
                    base_revision=0, actor="test")
    store.users.add("cura", "curator", PASSWORD, actor="test")
    return project




def test_preview_then_create_with_the_bump_in_words(gold_project: Project) -> None:
    at = ok(make_app(gold_project.path, "cura", "views/releases.py"))
    assert any("No release yet" in i.value for i in at.info)
    ok(at.button(key="release_preview_btn").click().run())
    assert "the start → unreleased: requires a minor bump" in texts(at)
    assert "documents: 2 added, 0 removed, 0 changed" in texts(at)
    radio = at.radio(key="release_bump")
    # Only the bumps these changes allow, in words; the smallest one is chosen.
    assert radio.options == [
        "Breaking: documents or labels removed, schema or offsets changed (major)",
        "Additions: new documents or new labels (minor)",
    ]
    assert radio.value == "minor"
    assert at.button(key="release_create_submit").label == "Create release 0.1.0"
    at.text_input(key="release_message").input("first release")
    ok(at.button(key="release_create_submit").click().run())
    assert list_versions(gold_project.path) == ["0.1.0"]
    assert any("Released 0.1.0: 2 documents" in s.value for s in at.success)
    # Nothing changed since: the preview says so and offers no button.
    ok(at.button(key="release_preview_btn").click().run())
    assert any("Nothing changed since release 0.1.0" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "release_create_submit"]
    assert "0.1.0 → unreleased: nothing changed" in texts(at)
    # One release: nothing to compare it with yet (no 0.1.0 → 0.1.0); the splits in their order, the time in UTC.
    assert "Only one release so far (0.1.0)" in texts(at)
    assert not any(w.key == "release_diff_a" for w in at.selectbox)
    listed = at.dataframe[0].value
    assert list(listed.columns)[4:7] == ["train", "validation", "test"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", listed["created"][0])


def test_a_fix_is_a_patch_and_the_preview_is_checked_again_before_creating(gold_project: Project) -> None:
    at = ok(make_app(gold_project.path, "cura", "views/releases.py"))
    ok(at.button(key="release_preview_btn").click().run())
    at.text_input(key="release_message").input("first")
    ok(at.button(key="release_create_submit").click().run())
    store = gold_project.store()
    fa = store.documents.get("doc-fa-1")
    fixed = sample_gold(fa)
    fixed.entities[0].canonical_id = "Q-soleimani"  # a fix, not an addition
    put_gold(store, fa, fixed)
    ok(at.button(key="release_preview_btn").click().run())
    assert "requires a patch bump" in texts(at) and "entities: 0 added, 0 removed, 1 changed" in texts(at)
    assert at.radio(key="release_bump").value == "patch"
    assert at.button(key="release_create_submit").label == "Create release 0.1.1"
    # Gold changes again after the preview: creating shows the new diff instead of releasing unseen changes.
    ar = store.documents.get("doc-ar-1")
    more = sample_gold(ar)
    more.entities[0].canonical_id = "Q-soleimani"
    put_gold(store, ar, more)
    at.text_input(key="release_message").input("fixes")
    ok(at.button(key="release_create_submit").click().run())
    assert list_versions(gold_project.path) == ["0.1.0"]
    assert "documents: 0 added, 0 removed, 2 changed" in texts(at)
    ok(at.button(key="release_create_submit").click().run())
    assert list_versions(gold_project.path) == ["0.1.0", "0.1.1"]


def test_compare_verify_and_changelog(gold_project: Project) -> None:
    release(gold_project, "minor", "first")
    fa = gold_project.store().documents.get("doc-fa-1")
    put_gold(gold_project.store(), fa, sample_gold(fa).model_copy(update={"links": []}))
    release(gold_project, "patch", "removed a link")
    at = ok(make_app(gold_project.path, "cura", "views/releases.py"))
    assert at.dataframe[0].value["version"].tolist() == ["0.1.1", "0.1.0"]
    assert "0.1.0 → 0.1.1: requires a patch bump" in texts(at)
    ok(at.button(key="release_verify").click().run())
    assert any("0.1.1 verifies" in s.value for s in at.success)
    # The CHANGELOG under the page's heading: its own title dropped, each release a small heading.
    changelog = next(m.value for m in at.markdown if "removed a link" in m.value)
    assert changelog.startswith("Written by") and "##### 0.1.1" in changelog and "\n# " not in changelog
    # A tampered release: the error names the file inside the project, never the server's path to it.
    path = release_path(gold_project.path, "0.1.1")
    victim = path / "documents" / "doc-fa-1.json"
    os.chmod(path / "documents", 0o755)
    os.chmod(victim, 0o644)
    victim.write_bytes(victim.read_bytes().replace(b"GPE", b"LOC"))
    at.button(key="release_verify").click().run()
    assert at.error and "releases/0.1.1/documents/doc-fa-1.json: sha256 does not match" in at.error[0].value
    assert str(gold_project.path) not in at.error[0].value and "/tmp" not in at.error[0].value


def test_download_zip_is_a_dataset_that_datasets_reads_offline(
    gold_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    at = ok(make_app(gold_project.path, "cura", "views/releases.py"))
    ok(at.button(key="release_preview_btn").click().run())
    at.text_input(key="release_message").input("first")
    ok(at.button(key="release_create_submit").click().run())
    ok(at.button(key="release_zip").click().run())
    assert at.get("download_button")[0].proto.label.startswith("Download annotate-gold-0.1.0.zip")
    assert 'load_dataset("annotate-gold-0.1.0")' in texts(at)
    assert not (gold_project.path / "exports").exists()  # made in a temporary folder, not in the project
    data = at.session_state["release_download"]["0.1.0"].data  # what the button serves (the browser test downloads)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        assert all(n.startswith("annotate-gold-0.1.0/") for n in names)
        assert "annotate-gold-0.1.0/README.md" in names and "annotate-gold-0.1.0/release.json" in names
        zf.extractall(tmp_path / "unzipped")
    root = tmp_path / "unzipped" / "annotate-gold-0.1.0"
    docs = datasets.load_dataset(str(root))
    assert sum(len(split) for split in docs.values()) == 2
    dates = datasets.load_dataset(str(root), "dates")
    rows = [r for split in dates.values() for r in split]
    assert {r["surface"] for r in rows} == {"۱۰ بهمن ۱۳۹۸", "30 ژانویه 2020"}
    assert json.loads((root / "release.json").read_text(encoding="utf-8"))["version"] == "0.1.0"


def test_cli_release_pending(gold_project: Project) -> None:
    gold_project.close()
    runner = CliRunner()
    base = ["--project", str(gold_project.path)]
    r = runner.invoke(cli, [*base, "release", "pending"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[:2] == ["the start → unreleased: requires a minor bump",
                                         "documents: 2 added, 0 removed, 0 changed"]
    r = runner.invoke(cli, [*base, "release", "create", "--bump", "minor", "-m", "first"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, [*base, "release", "pending", "--json"])
    data = json.loads(r.output)
    assert (data["from"], data["to"], data["required_bump"]) == ("0.1.0", "unreleased", None)
