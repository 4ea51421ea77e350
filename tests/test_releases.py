"""Releases: freezing gold, hashes, the bump rule, diffs, the changelog, verify and the CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from builders import TEXT, make_doc, put_gold, release, sample_gold, span
from click.testing import CliRunner

from annotate.cli import cli
from annotate.errors import ExportError, InputError, NotFound
from annotate.models import (
    GOLD_AUTHOR,
    SCHEMA_VERSION,
    AuthorKind,
    Document,
    EntityMention,
)
from annotate.project import Project
from annotate.release.manifest import ReleaseManifest
from annotate.release.versions import (
    OFFSET_CONVENTION,
    assign_splits,
    bump_version,
    diff_releases,
    list_releases,
    list_versions,
    release_path,
    required_bump,
    verify_release,
    write_changelog,
)


@pytest.mark.parametrize(
    ("previous", "bump", "expected"),
    [(None, "major", "1.0.0"), (None, "minor", "0.1.0"), (None, "patch", "0.0.1"), ("1.2.3", "patch", "1.2.4"),
     ("1.2.3", "minor", "1.3.0"), ("1.2.3", "major", "2.0.0"), ("v0.9.9", "minor", "0.10.0")],
)
def test_bump_version(previous: str | None, bump: str, expected: str) -> None:
    assert bump_version(previous, bump) == expected  # type: ignore[arg-type]


def test_create_freezes_only_gold_and_hashes_every_file(gold_project: Project) -> None:
    v = release(gold_project)
    assert v == "0.1.0"
    path = release_path(gold_project.path, v)
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["documents"]) == ["doc-ar-1", "doc-fa-1"]  # doc-fa-2 has no gold
    assert manifest["schema_version"] == SCHEMA_VERSION and manifest["bump"] == "minor" and manifest["message"] == "m"
    assert manifest["guideline_version"] not in ("", None)
    for entry in manifest["documents"].values():
        data = (path / entry["path"]).read_bytes()
        record = json.loads(data)
        text = record["document"]["text"]
        for e in record["gold"]["entities"] + record["gold"]["dates"]:
            assert text[e["start"] : e["end"]] == e["text"]
        assert data == json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"
    assert verify_release(gold_project.path, v).version == v
    audit = gold_project.store().audit.list(action="meta.set")
    assert any(a.target == "release.latest" and a.details.get("value") == v for a in audit)


def test_release_is_immutable_and_nothing_unchanged_is_released(gold_project: Project) -> None:
    release(gold_project)
    with pytest.raises(InputError, match=r"nothing changed since release 0\.1\.0"):
        release(gold_project, "patch")
    assert list_versions(gold_project.path) == ["0.1.0"]
    assert not [p for p in (gold_project.path / "releases").iterdir() if p.name.startswith(".")]


def test_no_gold_is_refused(project: Project) -> None:
    with pytest.raises(ExportError, match="no gold to release"):
        release(project)
    assert list_versions(project.path) == []


@pytest.mark.parametrize(
    ("change", "needed"),
    [("fix_span", "patch"), ("new_document", "minor"), ("new_label", "minor"), ("remove_document", "major")],
)
def test_bump_rule_refuses_smaller_bumps(gold_project: Project, change: str, needed: str) -> None:
    store = gold_project.store()
    release(gold_project)
    fa = store.documents.get("doc-fa-1")
    aset = sample_gold(fa)
    if change == "fix_span":
        aset.entities[0] = aset.entities[0].model_copy(update=span(fa.text, "قاسم"))
        put_gold(store, fa, aset)
    elif change == "new_document":
        new = make_doc("doc-prs-1", lang="prs")
        put_gold(store, new, sample_gold(new))
    elif change == "new_label":
        aset.entities.append(EntityMention(id="e3", type="LOC", **span(fa.text, "تهران")))  # type: ignore[arg-type]
        put_gold(store, fa, aset)
    else:
        store.sets.set_status("doc-ar-1", GOLD_AUTHOR, "submitted", actor="test")
    order = ["patch", "minor", "major"]
    for smaller in order[: order.index(needed)]:
        with pytest.raises(InputError, match=f"requires? a {needed} bump"):
            release(gold_project, smaller)
    v = release(gold_project, needed)
    assert v == bump_version("0.1.0", needed)  # type: ignore[arg-type]
    assert list_versions(gold_project.path) == ["0.1.0", v]


def test_diff_by_stable_ids_and_text_change_flag(gold_project: Project) -> None:
    store = gold_project.store()
    v1 = release(gold_project)
    fa = store.documents.get("doc-fa-1")
    aset = sample_gold(fa)
    aset.entities[1] = aset.entities[1].model_copy(update={"type": "LOC"})  # changed
    aset.dates = aset.dates[:1]  # d2 removed, so is the link
    aset.links = []
    aset.entities.append(EntityMention(id="e9", type="GPE", **span(fa.text, "تهران")))  # type: ignore[arg-type]
    put_gold(store, fa, aset)
    # the Arabic document gets a new text and its gold is redone on it
    new_text = TEXT.replace("تهران", "طهران")
    ar = Document.create(new_text, lang="ar", id="doc-ar-1", reference_date="2020-02-02")
    store.documents.put([ar], replace=True, actor="test")
    put_gold(store, ar, sample_gold(ar))
    new = make_doc("doc-prs-1", lang="prs")
    put_gold(store, new, sample_gold(new))
    v2 = release(gold_project, "minor")
    d = diff_releases(gold_project.path, v1, v2)
    assert d.added_documents == ["doc-prs-1"] and d.removed_documents == []
    changed = {c.doc_id: c for c in d.changed_documents}
    assert changed["doc-ar-1"].text_changed and d.text_changed == ["doc-ar-1"]
    fa_diff = changed["doc-fa-1"]
    assert not fa_diff.text_changed
    assert fa_diff.added == {"entities": ["e9"]}
    assert fa_diff.removed == {"dates": ["d2"], "links": ["l1"]}
    assert fa_diff.changed == {"entities": ["e2"]}
    assert "entity:LOC" in d.added_labels
    assert d.to_json()["required_bump"] == "minor"
    changelog = (gold_project.path / "releases" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index(f"## {v2}") < changelog.index(f"## {v1}")
    assert "text changed" in changelog and "doc-ar-1" in changelog
    assert [i.version for i in list_releases(gold_project.path)] == [v1, v2]


def test_diff_of_hand_made_versions(tmp_path: Path) -> None:
    """Release directories written by hand: the diff reads the records and the manifest, nothing else."""
    root = tmp_path / "p"

    def write(version: str, docs: dict[str, dict[str, object]], schema: str = "1.0.0") -> None:
        d = root / "releases" / version
        (d / "documents").mkdir(parents=True)
        entries = {}
        for doc_id, gold in docs.items():
            rec = {"document": {"text_sha256": "x" if doc_id != "b" or version == "1.0.0" else "y"},
                   "gold": {"entities": [], "dates": [], "events": [], "links": [], **gold}}
            (d / "documents" / f"{doc_id}.json").write_text(json.dumps(rec))
            entries[doc_id] = {"path": f"documents/{doc_id}.json", "sha256": json.dumps(rec), "split": "train",
                               "lang": "fa"}
        manifest = ReleaseManifest.model_validate({
            "format": 1, "version": version, "previous": None, "bump": "major", "message": "by hand",
            "created_at": "2026-01-01T00:00:00+00:00", "schema_version": schema, "guideline_version": "1.0.0",
            "engine_version": "0", "offsets": OFFSET_CONVENTION, "documents": entries, "labels": [], "splits": {},
            "changes": {"documents": {"added": 0, "removed": 0, "changed": 0, "text_changed": []}, "layers": {}},
        })
        (d / "manifest.json").write_text(manifest.model_dump_json())

    ent = {"id": "e1", "start": 0, "end": 2, "text": "ab", "type": "PER"}
    write("1.0.0", {"a": {"entities": [ent]}, "b": {}, "c": {}})
    write("1.1.0", {"a": {"entities": [ent | {"end": 3, "text": "abc"}]}, "b": {}, "d": {}})
    write("2.0.0", {"a": {}}, schema="2.0.0")
    d = diff_releases(root, "1.0.0", "1.1.0")
    assert (d.added_documents, d.removed_documents) == (["d"], ["c"])
    assert {c.doc_id: c.changed for c in d.changed_documents} == {"a": {"entities": ["e1"]}, "b": {}}
    assert d.text_changed == ["b"]
    assert required_bump(d) == "major" and d.to_json()["required_bump"] == "major"
    assert diff_releases(root, "1.1.0", "2.0.0").schema_changed
    with pytest.raises(NotFound, match=r"no release 9\.9\.9.*released: 1\.0\.0, 1\.1\.0, 2\.0\.0"):
        diff_releases(root, "1.0.0", "9.9.9")


@pytest.mark.parametrize("target", ["document", "manifest", "extra", "missing"])
def test_verify_names_the_tampered_file(gold_project: Project, target: str) -> None:
    v = release(gold_project)
    path = release_path(gold_project.path, v)
    for p in [path, *path.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    victim = path / "documents" / "doc-fa-1.json"
    if target == "document":
        data = bytearray(victim.read_bytes())
        i = data.index("قاسم".encode())
        data[i + 1] ^= 0x01  # one changed byte inside a letter
        victim.write_bytes(bytes(data))
        expected = "doc-fa-1.json"
    elif target == "manifest":
        m = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        m["message"] = "edited"
        (path / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
        expected = "version_sha256 does not match"
    elif target == "extra":
        (path / "documents" / "doc-x.json").write_text("{}")
        expected = "doc-x.json: not listed"
    else:
        victim.unlink()
        expected = "doc-fa-1.json: missing"
    with pytest.raises(ExportError, match=expected):
        verify_release(gold_project.path, v)


def test_splits_are_stable_and_stratified() -> None:
    langs = {f"doc-{lang}-{i}": lang for lang in ("fa", "prs", "ar") for i in range(50)}
    first = assign_splits(langs, {})
    for lang in ("fa", "prs", "ar"):
        counts = {s: sum(1 for d, x in first.items() if x == s and langs[d] == lang) for s in
                  ("train", "validation", "test")}
        assert counts == {"train": 40, "validation": 5, "test": 5}
    more = dict(langs) | {f"doc-fa-new{i}": "fa" for i in range(10)}
    second = assign_splits(more, first)
    assert all(second[d] == first[d] for d in first)
    assert assign_splits(more, first) == second
    # a pinned earlier split is kept even when it overfills its share
    assert assign_splits({"x": "fa"}, {"x": "test"}) == {"x": "test"}


@pytest.mark.parametrize(
    ("sizes", "kept", "tested"),
    [  # documents per language, earlier splits, languages expected to have a test document
        ({"fa": 2, "ar": 1}, {}, set()),
        ({"fa": 3, "prs": 4, "ar": 5}, {}, {"fa", "prs", "ar"}),
        ({"fa": 4}, {"fa-0": "train", "fa-1": "train", "fa-2": "train"}, {"fa"}),  # the new document goes to test
        ({"fa": 3}, {"fa-0": "train", "fa-1": "train", "fa-2": "train"}, set()),  # released documents never move
    ],
)
def test_every_language_with_three_documents_gets_a_test_document(
        sizes: dict[str, int], kept: dict[str, str], tested: set[str]) -> None:
    langs = {f"{lang}-{i}": lang for lang, n in sizes.items() for i in range(n)}
    splits = assign_splits(langs, kept)
    assert all(splits[d] == s for d, s in kept.items())
    assert {langs[d] for d, s in splits.items() if s == "test"} == tested
    assert sum(1 for s in splits.values() if s == "test") == len(tested)


def test_release_freezes_taxonomy_and_other_sets(gold_project: Project) -> None:
    from annotate.release.versions import iter_sets, release_taxonomy

    store = gold_project.store()
    fa = store.documents.get("doc-fa-1")
    store.sets.save(sample_gold(fa).model_copy(update={"author": "ali", "author_kind": AuthorKind.human}),
                              base_revision=0, actor="test")
    v = release(gold_project)
    path = release_path(gold_project.path, v)
    assert release_taxonomy(path) == gold_project.taxonomy()
    sets = {(d.id, a.author, a.status.value) for d, found, _ in iter_sets(path) for a in found}
    assert sets == {("doc-fa-1", "ali", "in_progress")}
    verify_release(gold_project.path, v)
    victim = path / "sets" / "doc-fa-1.json"
    victim.chmod(0o644)
    victim.write_bytes(victim.read_bytes().replace(b'"ali"', b'"bob"'))
    with pytest.raises(ExportError, match=r"sets/doc-fa-1\.json: sha256 does not match"):
        verify_release(gold_project.path, v)


def test_changelog_is_rewritten_from_diffs(gold_project: Project) -> None:
    release(gold_project, "major", "first")
    path = gold_project.path / "releases" / "CHANGELOG.md"
    path.write_text("garbage", encoding="utf-8")
    write_changelog(gold_project.path)
    text = path.read_text(encoding="utf-8")
    assert "## 1.0.0 (2026-01-02, major)" in text and "first" in text and "2 added" in text


def test_cli_release_commands(gold_project: Project) -> None:
    gold_project.close()
    runner = CliRunner()
    base = ["--project", str(gold_project.path)]
    r = runner.invoke(cli, [*base, "release", "create", "--bump", "minor", "-m", "first"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(cli, [*base, "release", "create", "--bump", "patch", "-m", "again"])
    assert r.exit_code == 1 and "nothing changed" in r.output
    r = runner.invoke(cli, [*base, "release", "list", "--json"])
    assert [x["version"] for x in json.loads(r.output)] == ["0.1.0"]
    r = runner.invoke(cli, [*base, "release", "verify", "0.1.0"])
    assert r.exit_code == 0 and "verifies" in r.output
    r = runner.invoke(cli, [*base, "release", "diff", "0.1.0", "0.1.0", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["required_bump"] is None
    r = runner.invoke(cli, [*base, "release", "verify", "3.0"])
    assert r.exit_code == 1 and "not a semantic version" in r.output


def test_app_page_creates_verifies_and_exports(gold_project: Project, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    from apptest_helpers import make_app

    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    store = gold_project.store()
    store.users.add("cura", "curator", "password123", actor="test")
    at = make_app(gold_project.path, "cura", "views/releases.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any("No release yet" in i.value for i in at.info)
    at.text_input(key="release_message").input("first release")
    at.button(key="release_create_submit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list_versions(gold_project.path) == ["0.1.0"]
    at.button(key="release_verify").click().run()
    assert any("0.1.0 verifies" in s.value for s in at.success)
    at.button(key="release_export").click().run()
    assert not at.error, [e.value for e in at.error]
    assert (gold_project.path / "exports" / "annotate-gold" / "0.1.0" / "README.md").is_file()
    # a smaller bump than the changes need is shown as an error, nothing is released
    at.radio(key="release_bump").set_value("patch")
    at.text_input(key="release_message").input("again")
    at.button(key="release_create_submit").click().run()
    assert any("nothing changed" in e.value for e in at.error)
    assert list_versions(gold_project.path) == ["0.1.0"]


def test_app_page_is_for_curators_only() -> None:
    from annotate.app.navigation import pages_for

    assert "views/releases.py" in [p.path for p in pages_for("curator")]
    assert "views/releases.py" in [p.path for p in pages_for("admin")]
    assert "views/releases.py" not in [p.path for p in pages_for("annotator")]
