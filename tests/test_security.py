"""Security probes (issue 11): each test attacks one hole the way a user of this machine could, and is judged by
what reaches the store (or the disk), not by what a page says.

Sections: the attack chain end to end; hostile imports (paths, JSON, encodings, fuzzing); restore; release and
export directories; network and disk failures; secrets (file modes, redaction). Access control, sessions and
sign-in throttling follow in their own section; the browser probes are in ``browser/test_security_e2e.py``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import multiprocessing
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apptest_helpers import make_app
from builders import person_set, put_gold, release, sample_gold
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.annotation.actions import LabelerAction
from annotate.annotation.workspace import Workspace, apply, discard_draft, open_workspace, save, submit
from annotate.auth import (
    DELAY_AFTER,
    LOCK_AFTER,
    LOCK_FOR,
    MAX_DELAY,
    SESSION_IDLE,
    disable_account,
    resolve_user,
    sign_in,
    sign_out_everywhere,
)
from annotate.canonical import canonical_json
from annotate.cli import cli
from annotate.corpus.importer import import_paths
from annotate.errors import AnnotateError, AuthError, ConflictError, InputError
from annotate.models import Document
from annotate.project import Project, init_project
from annotate.release.export import export_release
from annotate.release.versions import release_path
from annotate.serve import free_port
from annotate.store import Store
from annotate.store.dump import dump, restore
from annotate.store.schema import (
    STORE_FORMAT,
    assignments_table,
    audit_table,
    conflicts_table,
    documents_table,
    drafts_table,
    external_ids_table,
    sessions_table,
    sets_table,
    sign_in_throttle_table,
    users_table,
)
from annotate.store.sessions import KEEP_ENDED

FA = "خبرگزاری ایسنا گزارش داد که نشست شورای شهر روز ۱۲ اسفند ۱۴۰۲ برگزار شد."
PRS = "به گزارش پژواک، کابل روز ۵ دلو ۱۴۰۲ شاهد بارش برف بود و راه سالنگ بسته شد."
AR = "ذكرت وكالة الأنباء أن الاجتماع عُقد يوم ٣ آذار/مارس ٢٠٢٤ في العاصمة."
SECRET = "deadbeef" * 8  # what a session key file looks like: 64 hex digits
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(project: Path, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    """The CLI in-process; exceptions are caught so that a traceback shows up as ``result.exception``."""
    return CliRunner().invoke(cli, ["--project", str(project), *args], input=input, env=env)


def clean_failure(result: Result) -> str:
    """Assert the command failed with a one-line ``Error:`` (plus hint) and no traceback; return its output."""
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result.output


def texts_in(store: Store) -> list[str]:
    """Every document text the store holds, earlier versions included."""
    return [d.text for d in store.documents.list()]


def jsonl_line(row: Any) -> str:
    return json.dumps(row, ensure_ascii=False) + "\n"


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(jsonl_line(r) for r in rows), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------ imports: paths


@pytest.fixture
def victim(project: Project) -> Project:
    """A project whose session key exists (as in a served project) and a secret file beside the project."""
    (project.path / ".annotate-session-key").write_text(SECRET + "\n", encoding="ascii")
    (project.path.parent / "outside.txt").write_text(f"secret {SECRET}", encoding="utf-8")
    return project


def _inbox(project: Project) -> Path:
    """A corpus folder two levels down in the project, with one good article."""
    inbox = project.path / "inbox" / "batch"
    inbox.mkdir(parents=True)
    (inbox / "good.txt").write_text(FA, encoding="utf-8")
    return inbox


MANIFEST_ESCAPES: list[tuple[str, Callable[[Path, Project], str], str]] = [
    ("dotdot-session-key", lambda inbox, p: "../../.annotate-session-key", "goes up with '..'"),
    ("dotdot-outside", lambda inbox, p: "../../../outside.txt", "goes up with '..'"),
    ("dotdot-inside-a-subfolder", lambda inbox, p: "sub/../../../outside.txt", "goes up with '..'"),
    ("backslash-dotdot", lambda inbox, p: "..\\..\\.annotate-session-key", "goes up with '..'"),
    ("absolute", lambda inbox, p: str((p.path / ".annotate-session-key").resolve()), "is an absolute path"),
    ("absolute-etc", lambda inbox, p: "/etc/hostname", "is an absolute path"),
    ("home", lambda inbox, p: "~/.bash_history", "is an absolute path"),
    ("hidden", lambda inbox, p: _hidden_copy(inbox), "hidden file"),
    ("symlinked-file", lambda inbox, p: _link(inbox / "notes.txt", p.path / ".annotate-session-key"),
     "symlink that leads out"),
    ("symlinked-folder", lambda inbox, p: _link(inbox / "more", p.path.parent) + "/outside.txt",
     "symlink that leads out"),
]


def _link(link: Path, target: Path) -> str:
    link.symlink_to(target)
    return link.name


def _hidden_copy(inbox: Path) -> str:
    (inbox / ".annotate-session-key").write_text(SECRET, encoding="ascii")
    return ".annotate-session-key"


@pytest.mark.parametrize(("escape", "message"), [(m, x) for _, m, x in MANIFEST_ESCAPES],
                         ids=[i for i, _, _ in MANIFEST_ESCAPES])
def test_a_manifest_line_may_only_name_files_inside_its_folder(
    victim: Project, escape: Callable[[Path, Project], str], message: str
) -> None:
    inbox = _inbox(victim)
    name = escape(inbox, victim)
    manifest = write_jsonl(inbox / "manifest.jsonl", [{"file": "good.txt", "lang": "fa"}, {"file": name, "lang": "fa"}])
    store = victim.store()
    summary = import_paths(store, [manifest], actor="curator")
    assert [p.where for p in summary.problems] == [f"{manifest}:2"]
    assert message in summary.problems[0].message
    assert texts_in(store) == [FA]  # the good line, and nothing of the secret
    # The same folder imported as a directory: the manifest is read the same way, nothing else leaks.
    again = import_paths(store, [inbox], actor="curator")
    assert not any(SECRET in t for t in texts_in(store)) and again.problems


def test_a_directory_import_does_not_follow_symlinks_out(victim: Project, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "dari").mkdir(parents=True)
    (corpus / "dari" / "kabul.txt").write_text(PRS, encoding="utf-8")
    (corpus / "key.txt").symlink_to(victim.path / ".annotate-session-key")
    (corpus / "elsewhere").symlink_to(victim.path.parent)  # a folder link: never entered
    (corpus / "inside.txt").symlink_to(corpus / "dari" / "kabul.txt")  # stays inside: fine
    store = victim.store()
    summary = import_paths(store, [corpus], actor="curator")
    assert texts_in(store) == [PRS]
    assert [p.where for p in summary.problems] == [str(corpus / "key.txt")]
    assert "symlink that leads out" in summary.problems[0].message


def test_a_file_named_on_the_command_line_may_not_be_a_symlink_out_or_a_fifo(victim: Project,
                                                                            tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "article.txt").symlink_to(victim.path / ".annotate-session-key")
    os.mkfifo(shared / "pipe.jsonl")  # reading it would wait forever
    result = run(victim.path, "import", str(shared / "article.txt"), str(shared / "pipe.jsonl"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "symlink that leads out of its folder" in result.output and "not a regular file" in result.output
    assert victim.store().documents.count() == 0


@pytest.mark.parametrize("command", ["restore", "eval"])
def test_restore_and_eval_read_no_symlink_out_and_no_fifo(victim: Project, tmp_path: Path, command: str) -> None:
    (tmp_path / "drop").mkdir()
    link, fifo = tmp_path / "drop" / "backup.jsonl", tmp_path / "drop" / "fifo.jsonl"
    link.symlink_to(victim.path / ".annotate-session-key")
    os.mkfifo(fifo)
    target = init_project(tmp_path / "target")
    target.close()
    for path in (link, fifo):
        args = ["restore", str(path)] if command == "restore" else ["eval", "--gold", "0.1.0", "--pred", str(path)]
        out = clean_failure(run(target.path, *args))
        assert ("symlink that leads out" if path == link else "not a regular file") in out
        assert SECRET not in out
    assert target.store().backup.is_empty()


def test_a_release_manifest_cannot_point_outside_its_directory(
    gold_project: Project, tmp_path: Path
) -> None:
    from annotate.release.versions import MANIFEST, iter_records

    v = release(gold_project)
    copy = tmp_path / "sent-to-me"
    src = release_path(gold_project.path, v)
    copy.mkdir()
    manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    doc_id = sorted(manifest["documents"])[0]
    manifest["documents"][doc_id]["path"] = "../../.annotate-session-key"
    (copy / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match=r"goes up with '\.\.'"):
        list(iter_records(copy))


# ------------------------------------------------------------------------------------------------ imports: JSON


DEEP = "[" * 5000 + "]" * 5000
HOSTILE_LINES = [
    ("deep-array", '{"text": "' + FA + '", "metadata": {"x": ' + DEEP + "}}", "nested deeper than 100 levels"),
    ("just-past-the-limit", '{"text": "' + FA + '", "metadata": {"x": ' + "[" * 100 + "]" * 100 + "}}",
     "nested deeper than 100 levels"),
    ("deep-object", '{"text": "' + FA + '", "metadata": ' + '{"a":' * 3000 + "1" + "}" * 3000 + "}",
     "nested deeper than 100 levels"),
    ("huge-integer", '{"text": "' + FA + '", "metadata": {"n": ' + "9" * 5000 + "}}", "not usable JSON"),
    ("nan", '{"text": "' + FA + '", "metadata": {"n": NaN}}', "NaN is not a JSON number"),
    ("infinite-float", '{"text": "' + FA + '", "metadata": {"n": 1e999}}', "too large for a float"),
    ("lone-surrogate", '{"text": "' + FA + ' \\ud800"}', "lone UTF-16 surrogate"),
    ("surrogate-in-key", '{"text": "' + FA + '", "metadata": {"\\udfff": 1}}', "lone UTF-16 surrogate"),
]


@pytest.mark.parametrize(("line", "message"), [(x, m) for _, x, m in HOSTILE_LINES],
                         ids=[i for i, _, _ in HOSTILE_LINES])
def test_a_hostile_json_line_is_one_named_error_and_the_others_import(
    project: Project, tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "news.jsonl"
    path.write_text(jsonl_line({"id": "fa-1", "text": FA}) + line + "\n" + jsonl_line({"id": "ar-1", "text": AR}),
                    encoding="utf-8")
    result = run(project.path, "import", str(path))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"error     {path}:2: " in result.output and message in result.output
    assert "2 documents: 2 added, 0 unchanged, 0 replaced, 0 refused; 1 error" in result.output
    assert sorted(d.id for d in project.store().documents.list()) == ["ar-1", "fa-1"]


def test_a_hostile_first_line_does_not_break_manifest_detection(project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.jsonl").write_text(DEEP + "\n" + jsonl_line({"text": AR}), encoding="utf-8")
    summary = import_paths(project.store(), [folder], actor="t")
    assert [p.where for p in summary.problems] == [f"{folder / 'a.jsonl'}:1"]
    assert texts_in(project.store()) == [AR]


@pytest.mark.parametrize(
    ("encoding", "bom", "name"),
    [("utf-16-le", b"\xff\xfe", "UTF-16 (little-endian)"), ("utf-16-be", b"\xfe\xff", "UTF-16 (big-endian)"),
     ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 (little-endian)")],
)
@pytest.mark.parametrize("suffix", [".txt", ".jsonl"])
def test_utf16_with_a_bom_is_named_as_such(project: Project, tmp_path: Path, encoding: str, bom: bytes,
                                           name: str, suffix: str) -> None:
    body = FA if suffix == ".txt" else jsonl_line({"text": FA})
    path = tmp_path / f"windows-notepad{suffix}"
    path.write_bytes(bom + body.encode(encoding))
    summary = import_paths(project.store(), [path], actor="t")
    [problem] = summary.problems
    assert problem.where == str(path)
    assert f"is {name} text" in problem.message and "binary" not in problem.message
    assert "save it as UTF-8" in problem.message
    assert project.store().documents.count() == 0


# ------------------------------------------------------------------------------------------------ fuzzing


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                         st.text(max_size=30))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=12)
hostile_fragments = st.sampled_from([line for _, line, _ in HOSTILE_LINES] + [
    DEEP, "\ufeff" + jsonl_line({"text": FA}).strip(), '{"text": "\\udc80"}', "-" + "1" * 4400, "Infinity",
])
"""Whole lines that broke the parser or the database before: spliced into the random ones."""
document_like = st.fixed_dictionaries({}, optional={
    "text": st.one_of(st.sampled_from([FA, PRS, AR, "", " \n"]), st.text(max_size=60), json_values),
    "id": st.one_of(st.text(max_size=20), json_values),
    "lang": st.one_of(st.sampled_from(["fa", "prs", "ar", "f a", ""]), json_values),
    "reference_date": st.one_of(st.sampled_from(["2024-02-30", "2024-01-27", "27/01/2024"]), json_values),
    "metadata": json_values,
    "file": st.one_of(st.sampled_from(["good.txt", "../outside.txt", "/etc/passwd", ".hidden", "missing.txt",
                                       "../corpus/good.txt", "sub/../good.txt"]), st.text(max_size=20)),
    "title": json_values,
})
jsonl_text = st.lists(st.one_of(document_like.map(lambda d: json.dumps(d, ensure_ascii=False)),
                                json_values.map(json.dumps), st.text(max_size=40), hostile_fragments),
                      max_size=6).map(lambda lines: "\n".join(lines))
random_bytes = st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00\x00\xfe\xff", b""]),
              st.binary(max_size=200), hostile_fragments.map(lambda x: x.encode("utf-8", "surrogatepass")))
    .map(lambda t: t[0] + t[1] + b"\n" + t[2]),
)


@pytest.fixture
def fuzz_dir(tmp_path: Path) -> Path:
    """A corpus folder with one good article and a secret beside it that must never be imported."""
    folder = tmp_path / "fuzz" / "corpus"
    folder.mkdir(parents=True)
    (folder / "good.txt").write_text(PRS, encoding="utf-8")
    (folder.parent / "outside.txt").write_text(f"secret {SECRET}", encoding="utf-8")
    (folder / ".hidden").write_text(f"secret {SECRET}", encoding="utf-8")
    return folder


def _check_import_accounting(store: Store, path: Path, before: set[str]) -> None:
    """Import ``path``: nothing escapes, every stored document is whole and reported, no secret gets in."""
    summary = import_paths(store, [path], actor="fuzz")
    stored = {d.id for d in store.documents.list()}
    added = {r.doc_id for r in summary.results if r.outcome == "added"}
    assert stored - before == added
    for doc_id in added:
        doc = store.documents.get(doc_id)  # loads and validates: stored whole
        assert SECRET not in doc.text
    assert summary.stopped is None


@SETTINGS
@given(data=random_bytes, suffix=st.sampled_from([".txt", ".jsonl"]))
def test_fuzz_import_random_bytes(sqlite_store: Store, fuzz_dir: Path, data: bytes, suffix: str) -> None:
    path = fuzz_dir / f"random{suffix}"
    path.write_bytes(data)
    _check_import_accounting(sqlite_store, path, {d.id for d in sqlite_store.documents.list()})


@SETTINGS
@given(text=jsonl_text)
def test_fuzz_import_random_json_lines(sqlite_store: Store, fuzz_dir: Path, text: str) -> None:
    path = fuzz_dir / "random.jsonl"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _check_import_accounting(sqlite_store, path, {d.id for d in sqlite_store.documents.list()})


# ------------------------------------------------------------------------------------------------ restore


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Empty SQLite stores, a new one per call (a fuzzed restore must find an empty project each time)."""
    made: list[Store] = []

    def make() -> Store:
        s = Store(f"sqlite:///{tmp_path / f'fuzz{len(made)}.db'}")
        s.create_schema()
        made.append(s)
        return s

    yield make
    for s in made:
        s.close()


HEADER = '{"dump_version":1,"format":"annotate-dump","kind":"header","model_schema":"1","store_format":1}'


def _restore_refused_or_whole(store: Store, data: bytes) -> None:
    try:
        restore(store, io.BytesIO(data), name="fuzz.jsonl")
    except InputError as exc:
        assert str(exc).startswith("fuzz.jsonl")
        assert store.backup.is_empty()
    else:  # it was a dump after all: what is there came whole
        out = io.StringIO()
        dump(store, out)


@SETTINGS
@given(data=random_bytes)
def test_fuzz_restore_random_bytes(fresh_store: Callable[[], Store], data: bytes) -> None:
    _restore_refused_or_whole(fresh_store(), data)


_KINDS = {"meta": None, "document": documents_table, "user": users_table, "annotation_set": sets_table,
          "conflict": conflicts_table, "draft": drafts_table, "assignment": assignments_table,
          "external_id": external_ids_table, "audit": audit_table}


def _record(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    """A dump record of ``kind`` with every column of its table present, each holding any JSON value."""
    table = _KINDS[kind]
    if table is None:
        return st.fixed_dictionaries({"kind": st.just(kind), "key": json_values, "value": json_values})
    columns = {c.name: json_values for c in table.columns}
    return st.fixed_dictionaries({"kind": st.just(kind), "row": st.fixed_dictionaries(columns)},
                                 optional={"versions": json_values, "revisions": json_values})


record_like = st.sampled_from(sorted(_KINDS)).flatmap(_record)


@SETTINGS
@given(records=st.lists(st.one_of(record_like, json_values), max_size=5))
def test_fuzz_restore_random_records_after_a_valid_header(fresh_store: Callable[[], Store],
                                                          records: list[Any]) -> None:
    body = HEADER + "\n" + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    _restore_refused_or_whole(fresh_store(), body.encode("utf-8", errors="surrogatepass"))


def test_restore_names_the_line_of_a_record_the_database_refuses(sqlite_store: Store, tmp_path: Path) -> None:
    source = init_project(tmp_path / "source")
    text = io.StringIO()
    dump(source.store(), text)
    source.close()
    line = json.dumps({"kind": "assignment", "row": {"doc_id": "no-such-doc", "annotator": "sara",
                                                     "assigned_by": "x", "assigned_at": "2024-01-01T00:00:00+00:00"}})
    data = (text.getvalue() + line + "\n").encode()
    lineno = data.decode().count("\n")
    with pytest.raises(InputError, match=rf"^backup\.jsonl:{lineno}: "):
        restore(sqlite_store, io.BytesIO(data), name="backup.jsonl")
    assert sqlite_store.backup.is_empty()


def test_restore_of_bytes_that_are_not_utf8_names_the_line(sqlite_store: Store) -> None:
    data = (HEADER + "\n").encode() + b'{"kind": "meta", "key": "\xff\xfe", "value": "x"}\n'
    with pytest.raises(InputError, match=r"^dump:2: invalid UTF-8"):
        restore(sqlite_store, io.BytesIO(data), name="dump")
    assert sqlite_store.backup.is_empty()


# ------------------------------------------------------------------------------------------------ export directories


@pytest.fixture
def exported(gold_project: Project, tmp_path: Path) -> tuple[Path, str, Project]:
    v = release(gold_project)
    out = tmp_path / "exports" / "news"
    export_release(release_path(gold_project.path, v), out)
    return out, v, gold_project


def test_export_out_replaces_only_a_directory_wholly_its_own(exported: tuple[Path, str, Project],
                                                            tmp_path: Path) -> None:
    out, v, project = exported
    files = json.loads((out / "release.json").read_text(encoding="utf-8"))["files"]
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(
        [*files, "release.json"])
    again = run(project.path, "export", v, "--out", str(out))  # its own export: replaced
    assert again.exit_code == 0, again.output

    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    fake = tmp_path / "fake-export"
    fake.mkdir()
    (fake / "release.json").write_text('{"files": []}', encoding="utf-8")
    (fake / "data.bin").write_bytes(b"precious")
    link = tmp_path / "link-to-home"
    link.symlink_to(home)
    empty_dir_added = tmp_path / "with-folder"
    export_release(release_path(project.path, v), empty_dir_added)
    (empty_dir_added / "mine").mkdir()
    for target, what in [(home, "no release.json listing its files"), (out, "notes.txt"), (fake, "data.bin"),
                         (link, "a symlink"), (empty_dir_added, "mine")]:
        before = sorted((p.relative_to(target).as_posix(), p.is_file() and p.read_bytes()) for p in target.rglob("*"))
        output = clean_failure(run(project.path, "export", v, "--out", str(target)))
        assert "is not wholly an export written by `annotate export`" in output and what in output, output
        assert sorted((p.relative_to(target).as_posix(), p.is_file() and p.read_bytes())
                      for p in target.rglob("*")) == before
    assert (home / "thesis.tex").read_text(encoding="utf-8") == "years of work"


def test_leftovers_of_killed_releases_and_exports_are_cleaned_at_the_next_run(
    exported: tuple[Path, str, Project],
) -> None:
    out, v, project = exported
    releases = release_path(project.path, v).parent
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = 2**22 + 12345  # above pid_max on this kind of machine: no such process
        stale = [releases / f".0.2.0.partial-{dead}-abcdefgh", releases / ".0.2.0.partial-k2j3h4g5",
                 out.parent / f".news.partial-{dead}-zzzzzzzz", out.parent / f".news.old-{dead}"]
        live = [releases / f".0.2.0.partial-{sleeper.pid}-abcdefgh", out.parent / f".news.partial-{sleeper.pid}-x"]
        for d in stale + live:
            (d / "docs").mkdir(parents=True)
            (d / "docs" / "a.json").write_text("{}", encoding="utf-8")
        os.chmod(stale[0] / "docs", 0o555)  # a killed release had already made itself read-only
        store = project.store()
        doc = store.documents.list()[0]
        new = doc.model_copy(update={"id": "doc-fa-9"})
        put_gold(store, new, sample_gold(new))
        assert run(project.path, "release", "create", "--bump", "minor", "-m", "more").exit_code == 0
        assert run(project.path, "export", v, "--out", str(out)).exit_code == 0
        assert [d for d in stale if d.exists()] == []
        assert all(d.exists() for d in live)  # another run, still writing: left alone
    finally:
        sleeper.kill()
        sleeper.wait()


# ------------------------------------------------------------------------------------------------ network and disk


def test_publish_against_an_unreachable_hub_is_one_clean_error(exported: tuple[Path, str, Project]) -> None:
    out, v, project = exported
    port = free_port()  # nothing listens there
    result = run(project.path, "publish", v, "--repo", "org/news", "--dir", str(out),
                 env={"HF_ENDPOINT": f"http://user:hub-secret@127.0.0.1:{port}", "HF_TOKEN": "hf_x",
                      "HF_HUB_DISABLE_TELEMETRY": "1"})
    output = clean_failure(result)
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines[0].startswith("Error: cannot reach the Hub at http://user:***@127.0.0.1:") and len(lines) == 2
    assert lines[1].strip().startswith("hint: ") and "hub-secret" not in output


def _import_with_file_size_limit(project: Path, corpus: Path, limit: int) -> subprocess.CompletedProcess[str]:
    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    exe = Path(sys.executable).parent / "annotate"
    return subprocess.run([str(exe), "--project", str(project), "import", str(corpus)], capture_output=True,
                          text=True, timeout=120, preexec_fn=limit_writes)


def test_a_full_disk_during_import_is_one_clean_error_and_nothing_half_stored(tmp_path: Path) -> None:
    project = init_project(tmp_path / "p")
    project.close()
    corpus = tmp_path / "big.jsonl"
    rows = [{"id": f"doc-{i:04d}", "lang": "fa", "text": f"{FA} شماره {i} " + "متن " * 400} for i in range(300)]
    corpus.write_text("".join(jsonl_line(r) for r in rows), encoding="utf-8")
    db_size = (project.path / "annotate.db").stat().st_size
    done = _import_with_file_size_limit(project.path, corpus, db_size + 600_000)
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    error = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "disk" in error[0].lower(), done.stderr
    assert "hint:" in done.stderr
    assert "stopped," in done.stdout and "not stored" in done.stdout  # the summary is printed all the same
    reopened = init_project(project.path)
    stored = reopened.store().documents.list()
    by_id = {r["id"]: r["text"] for r in rows}
    assert 0 < len(stored) < len(rows)
    assert all(d.text == by_id[d.id] for d in stored)  # every stored document is whole
    added = [line.split()[1] for line in done.stdout.splitlines() if line.startswith("added")]
    assert sorted(added) == sorted(d.id for d in stored)
    reopened.close()


# ------------------------------------------------------------------------------------------------ secrets


def test_label_studio_url_password_is_never_shown(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from annotate.labelstudio.client import Connection, LabelStudioClient
    from annotate.labelstudio.sync import PROJECT_KEY, SYSTEM, status

    url = f"http://ann:ls-s3cret@127.0.0.1:{free_port()}"
    client = LabelStudioClient(Connection(url, "key-123"))
    with pytest.raises(AnnotateError) as failed:
        client.check()
    assert "ls-s3cret" not in str(failed.value) and "http://ann:***@127.0.0.1" in str(failed.value)
    # A link stored by an earlier version (password in clear) is shown redacted, by the CLI too.
    project.store().external_ids.put(SYSTEM, "project", PROJECT_KEY, "7", {"url": url, "title": "t"}, actor="t")
    assert status(project.store()).url == url.replace("ls-s3cret", "***")
    out = run(project.path, "ls", "status").output
    assert "ls-s3cret" not in out and "ann:***@" in out
    monkeypatch.setenv("LABEL_STUDIO_URL", url)
    result = run(project.path, "ls", "pull", "--api-key", "k")
    assert "ls-s3cret" not in result.output and "ann:***@" in result.output


def test_dump_file_holding_password_hashes_is_private(project: Project, tmp_path: Path) -> None:
    project.store().users.add("sara", "annotator", "a long password", actor="t")
    os.umask(0o022)
    out = tmp_path / "backup.jsonl"
    assert run(project.path, "dump", "-o", str(out)).exit_code == 0
    assert "scrypt$" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# ------------------------------------------------------------------------------------------------ file modes


def test_the_database_and_its_wal_and_shm_are_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        project = init_project(tmp_path / "p")
        store = project.store()
        store.users.add("sara", "annotator", "a long password", actor="t")  # a write: -wal and -shm exist now
        db = project.path / "annotate.db"
        files = [db, db.with_name("annotate.db-wal"), db.with_name("annotate.db-shm")]
        assert all(f.exists() for f in files)
        assert {f.name: stat.S_IMODE(f.stat().st_mode) for f in files} == {f.name: 0o600 for f in files}
        project.close()
        os.chmod(db, 0o644)  # made by an earlier version: tightened when the project is opened
        init_project(project.path).close()
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
    finally:
        os.umask(old)


# ------------------------------------------------------------------------------------------------ the attack chain


PASSWORD = "a long password"


@pytest.fixture
def team(victim: Project) -> Store:
    """Users of every role and two documents, each assigned to one annotator (so the project assigns)."""
    store = victim.store()
    for name, role in (("admin", "admin"), ("cora", "curator"), ("sara", "annotator"), ("omid", "annotator")):
        store.users.add(name, role, PASSWORD, actor="setup")
    store.documents.put([Document.create(FA, lang="fa", id="doc-sara"),
                         Document.create(AR, lang="ar", id="doc-omid")], actor="setup")
    store.assignments.add(["doc-sara"], ["sara"], actor="cora")
    store.assignments.add(["doc-omid"], ["omid"], actor="cora")
    return store


def _forge_pre_issue_11_cookie(key_hex: str, name: str) -> str:
    """What the session cookie was before issue 11: ``name.issued.expires.hmac`` signed with the key file."""
    issued = int(time.time() * 1000)
    b64 = base64.urlsafe_b64encode(name.encode()).decode().rstrip("=")
    payload = f"{b64}.{issued}.{issued + 3_600_000}"
    return f"{payload}.{hmac.new(bytes.fromhex(key_hex), payload.encode(), hashlib.sha256).hexdigest()}"


def test_the_attack_chain_of_issue_11_is_broken_at_every_link(victim: Project, team: Store) -> None:
    """manifest names ../../.annotate-session-key -> document -> an annotator opens it by URL -> admin cookie."""
    sara = team.users.get("sara")
    # 1. The manifest line is refused; nothing of the key reaches the store.
    inbox = _inbox(victim)
    manifest = write_jsonl(inbox / "manifest.jsonl", [{"file": "../../.annotate-session-key", "id": "leak"}])
    summary = import_paths(team, [manifest], actor="cora")
    assert [p.where for p in summary.problems] == [f"{manifest}:1"]
    assert not any(SECRET in t for t in texts_in(team)) and "leak" not in {d.id for d in team.documents.list()}
    # 2. Had it got in some other way, an annotator could not open it (nor anyone's document but hers), by URL
    #    or otherwise: the workspace asks the store who may open what.
    team.documents.put([Document.create(f"{SECRET} {FA}", lang="fa", id="leak")], actor="setup")
    for doc_id in ("leak", "doc-omid"):
        with pytest.raises(AuthError, match="not in your queue"):
            open_workspace(team, team.taxonomy, doc_id, sara)
    assert open_workspace(team, team.taxonomy, "doc-sara", sara).document.id == "doc-sara"
    # 3. Had she read the key, a cookie signed with it names nobody: sessions live in the store, by hash.
    forged = _forge_pre_issue_11_cookie(SECRET, "admin")
    assert resolve_user(team, token=forged) is None
    real = sign_in(team, "admin", PASSWORD, client="10.1.1.1").token
    with team.engine.connect() as conn:
        stored_ids = [r.id for r in conn.execute(sessions_table.select())]
    assert all(resolve_user(team, token=sid) is None for sid in stored_ids)  # a database reader gains nothing
    assert resolve_user(team, token=real) == team.users.get("admin")
    assert not team.sets.list(author="sara") and team.drafts.find("leak", "sara") is None


# ------------------------------------------------------------------------------------------------ access control


def _edit(store: Store, ws: Workspace) -> Workspace:
    word = ws.document.text.split()[0]
    action = LabelerAction(type="create", seq=1, kind="entity", label="ORG", start=0, end=len(word))
    return apply(store, ws, action)[0]


@pytest.mark.parametrize(("who", "doc_id", "allowed"), [
    ("sara", "doc-sara", True), ("sara", "doc-omid", False), ("omid", "doc-sara", False),
    ("cora", "doc-sara", True), ("cora", "doc-omid", True), ("admin", "doc-omid", True),
])
def test_with_assignments_annotators_open_and_save_only_their_documents(
    team: Store, who: str, doc_id: str, allowed: bool
) -> None:
    user = team.users.get(who)
    if not allowed:
        with pytest.raises(AuthError, match="not in your queue"):
            open_workspace(team, team.taxonomy, doc_id, user)
        return
    ws = save(team, _edit(team, open_workspace(team, team.taxonomy, doc_id, user)))
    assert team.sets.get(doc_id, who).revision == 1 and ws.conflict is None


def test_a_workspace_kept_in_the_session_cannot_write_after_the_document_is_taken_away(team: Store) -> None:
    sara = team.users.get("sara")
    ws = _edit(team, open_workspace(team, team.taxonomy, "doc-sara", sara))  # a draft exists
    before = team.drafts.find("doc-sara", "sara")
    team.assignments.delete("doc-sara", "sara", actor="cora")
    for write in (lambda: save(team, ws), lambda: _edit(team, ws), lambda: submit(team, ws),
                  lambda: discard_draft(team, ws)):
        with pytest.raises(AuthError, match="not in your queue"):
            write()
    assert not team.sets.list(author="sara") and team.drafts.find("doc-sara", "sara") == before


def test_without_assignments_every_annotator_opens_every_document(project: Project) -> None:
    store = project.store()
    sara = store.users.add("sara", "annotator", PASSWORD, actor="t")
    store.documents.put([Document.create(PRS, lang="prs", id="doc-1")], actor="t")
    save(store, _edit(store, open_workspace(store, store.taxonomy, "doc-1", sara)))
    assert store.sets.get("doc-1", "sara").revision == 1


def test_a_disabled_account_writes_nothing_and_its_sessions_end(team: Store) -> None:
    sara = team.users.get("sara")
    tokens = [sign_in(team, "sara", PASSWORD, client=f"10.0.0.{i}").token for i in range(2)]
    ws = _edit(team, open_workspace(team, team.taxonomy, "doc-sara", sara))
    assert team.users.disable("sara", actor="admin") == 2
    assert [resolve_user(team, token=t) for t in tokens] == [None, None]
    with pytest.raises(AuthError, match="disabled"):
        save(team, ws)
    with pytest.raises(AuthError, match="disabled"):
        sign_in(team, "sara", PASSWORD, client="10.0.0.9")
    assert not team.sets.list(author="sara")
    team.users.enable("sara", actor="admin")
    assert sign_in(team, "sara", PASSWORD, client="10.0.0.9").user.name == "sara"


@pytest.mark.parametrize("end", ["sign-out", "passwd", "disable"])
def test_every_session_ends_at_its_next_interaction(team: Store, end: str) -> None:
    browsers = [sign_in(team, "sara", PASSWORD, client=f"10.0.0.{i}").token for i in range(3)]
    others = sign_in(team, "omid", PASSWORD, client="10.0.0.5").token
    if end == "sign-out":
        sign_out_everywhere(team, browsers[0])
    elif end == "passwd":
        team.users.set_password("sara", "another long password", actor="admin")
    else:
        team.users.disable("sara", actor="admin")
    assert [resolve_user(team, token=t) for t in browsers] == [None, None, None]
    assert resolve_user(team, token=others) == team.users.get("omid")


def test_users_passwd_and_disable_from_the_command_line(victim: Project, team: Store) -> None:
    token = sign_in(team, "sara", PASSWORD, client="c").token
    out = run(victim.path, "users", "passwd", "sara", "--password-stdin", input="brand new password\n")
    assert out.exit_code == 0 and "1 session(s) ended" in out.output
    assert resolve_user(team, token=token) is None
    with pytest.raises(AuthError):
        sign_in(team, "sara", PASSWORD, client="c")
    token = sign_in(team, "sara", "brand new password", client="c").token
    out = run(victim.path, "users", "disable", "sara")
    assert out.exit_code == 0 and "disabled sara; 1 session(s) ended" in out.output
    assert resolve_user(team, token=token) is None
    assert "\tdisabled" in run(victim.path, "users", "list").output
    assert "no user 'nobody'" in clean_failure(run(victim.path, "users", "disable", "nobody"))
    actions = [e.action for e in team.audit.list() if e.action.startswith("user.")]
    assert actions[-2:] == ["user.passwd", "user.disable"]


@pytest.mark.parametrize("name", ["gold", "Gold", "GOLD", "dates-engine", "Dates-Engine", " sara", "sara\u202e",
                                  "sa\u2066ra", "x\u0000y", "", "a" * 201])
def test_reserved_and_invisible_names_cannot_be_users(victim: Project, name: str) -> None:
    store = victim.store()
    with pytest.raises(InputError):
        store.users.add(name, "admin", PASSWORD, actor="t")
    if "\x00" not in name:
        clean_failure(run(victim.path, "users", "add", name, "--role", "admin", "--password-stdin",
                          input=PASSWORD + "\n"))
    assert store.users.list() == []


def test_a_persian_name_with_zwnj_is_a_user_name(project: Project) -> None:
    assert project.store().users.add("مریم\u200cسادات", "annotator", PASSWORD, actor="t").name == "مریم\u200cسادات"


# ------------------------------------------------------------------------------------------------ sign-in throttling


T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _attempt(store: Store, name: str, password: str, at: datetime, client: str = "10.9.9.9") -> str:
    try:
        sign_in(store, name, password, client=client, now=at)
    except AuthError as exc:
        return exc.message
    return "ok"


@pytest.mark.parametrize("name", ["sara", "no-such-user"])
def test_sign_in_slows_then_locks_and_never_tells_whether_the_name_exists(team: Store, name: str) -> None:
    at, messages = T0, []
    for _ in range(LOCK_AFTER):
        messages.append(_attempt(team, name, "wrong password", at))
        at += MAX_DELAY  # always long enough to be let in to try
    assert messages[:-1] == ["unknown user or wrong password"] * (LOCK_AFTER - 1)
    assert messages[-1].startswith("Too many failed sign-ins") and "locked" in messages[-1]
    locked = _attempt(team, name, PASSWORD, at)  # even the right password, while locked
    assert locked == messages[-1].replace("15 minutes", locked.split("about ")[1].split(".")[0])
    assert "exist" not in locked and name not in locked
    assert _attempt(team, name, PASSWORD, at + LOCK_FOR + timedelta(seconds=1)) == ("ok" if name == "sara" else
                                                                                   "unknown user or wrong password")
    failures = [e for e in team.audit.list(action="auth.failure") if e.target == f"user {name}"]
    refused = [e for e in team.audit.list(action="auth.refused") if e.target == f"user {name}"]
    assert len(failures) == LOCK_AFTER + (0 if name == "sara" else 1) and len(refused) == 1
    assert {e.details["client"] for e in failures} == {"10.9.9.9"}


def test_repeated_failures_need_a_growing_wait(team: Store) -> None:
    at = T0
    for _ in range(DELAY_AFTER):
        assert _attempt(team, "sara", "wrong password", at) == "unknown user or wrong password"
    waits = []
    for _ in range(3):
        too_soon = _attempt(team, "sara", PASSWORD, at + timedelta(milliseconds=500))
        assert too_soon.startswith("Too many failed sign-ins: wait")
        waits.append(int(too_soon.split("wait ")[1].split(" ")[0]))
        at += timedelta(seconds=waits[-1])
        assert _attempt(team, "sara", "wrong password", at) == "unknown user or wrong password"
    assert waits == sorted(waits) and waits[0] < waits[-1]
    assert not team.sets.list()  # and the right password after the wait signs in, clearing the count
    at += MAX_DELAY
    assert _attempt(team, "sara", PASSWORD, at) == "ok"
    assert _attempt(team, "sara", "wrong password", at) == "unknown user or wrong password"
    assert _attempt(team, "sara", PASSWORD, at) == "ok"


def test_one_client_trying_many_names_is_locked_too(team: Store) -> None:
    at = T0
    for i in range(LOCK_AFTER):
        _attempt(team, f"guess-{i}", "wrong password", at, client="203.0.113.7")
        at += MAX_DELAY
    assert "locked" in _attempt(team, "omid", PASSWORD, at, client="203.0.113.7")
    assert _attempt(team, "omid", PASSWORD, at, client="198.51.100.1") == "ok"  # from elsewhere: fine


# ------------------------------------------------------------------------------------------------ restore rules


def _good_dump(store: Store) -> list[str]:
    store.users.add("sara", "annotator", PASSWORD, actor="t")
    store.documents.put([Document.create(FA, lang="fa", id="doc-1")], actor="t")
    store.assignments.add(["doc-1"], ["sara"], actor="t")
    text = io.StringIO()
    dump(store, text)
    return text.getvalue().splitlines()


def _edit_record(kind: str, change: Callable[[dict[str, Any]], None]) -> Callable[[list[str]], list[str]]:
    def mutate(lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            record = json.loads(line)
            if record["kind"] == kind:
                change(record)
            out.append(canonical_json(record))
        return out
    return mutate


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        target = record
        *parents, last = path.split(".")
        for p in parents:
            target = target[p]
        target[last] = value
    return change


def _hash(n: int = 2**14, r: int = 8, p: int = 1) -> str:
    return f"scrypt${n}${r}${p}${'ab' * 16}${'cd' * 64}"


BAD_ROWS: list[tuple[str, Callable[[list[str]], list[str]], str]] = [
    ("unknown-role", _edit_record("user", _set("row.role", "superuser")), "role"),
    ("user-called-gold", _edit_record("user", _set("row.name", "gold")), "reserved"),
    ("user-called-GOLD", _edit_record("user", _set("row.name", "GOLD")), "reserved"),
    ("bidi-override-name", _edit_record("user", _set("row.name", "sara\u202e")), "invisible character"),
    ("scrypt-n-too-large", _edit_record("user", _set("row.password_hash", _hash(n=2**24))), "outside the safe"),
    ("scrypt-p-too-large", _edit_record("user", _set("row.password_hash", _hash(p=10**6))), "outside the safe"),
    ("scrypt-too-cheap", _edit_record("user", _set("row.password_hash", _hash(n=2))), "outside the safe"),
    ("not-scrypt", _edit_record("user", _set("row.password_hash", "md5$5f4dcc3b5aa765d61d8327deb882cf99")),
     "scrypt$n$r$p"),
    ("bad-time", _edit_record("user", _set("row.created_at", "yesterday")), "ISO 8601"),
    ("disabled-not-a-time", _edit_record("user", _set("row.disabled_at", 5)), "disabled_at"),
    ("assigned-to-gold", _edit_record("assignment", _set("row.annotator", "gold")), "reserved"),
    ("audit-id-too-large", _edit_record("audit", _set("row.id", 2**40)), "less than or equal"),
    ("unknown-meta", lambda lines: [*lines[:1], '{"key":"auth.backdoor","kind":"meta","value":"1"}', *lines[1:]],
     "unknown meta key"),
    ("deep-meta-json", lambda lines: [*lines[:1], json.dumps({"key": "labelstudio.pull_errors", "kind": "meta",
                                                              "value": DEEP}), *lines[1:]], "nested deeper"),
    ("bad-release-meta", lambda lines: [*lines[:1], '{"key":"release.latest","kind":"meta","value":"../x"}',
                                        *lines[1:]], "not a version"),
]


@pytest.mark.parametrize(("mutate", "message"), [(m, x) for _, m, x in BAD_ROWS], ids=[i for i, _, _ in BAD_ROWS])
def test_restore_holds_every_row_to_the_live_rules(
    store: Store, store_factory: Callable[[], Store], mutate: Callable[[list[str]], list[str]], message: str
) -> None:
    lines = mutate(_good_dump(store))
    bad = next(i for i, (a, b) in enumerate(zip(lines, _original_lines(lines, store), strict=False), 1) if a != b)
    target = store_factory()
    with pytest.raises(InputError, match=rf"^backup\.jsonl:{bad}\b") as refused:
        restore(target, io.StringIO("\n".join(lines) + "\n"), name="backup.jsonl")
    assert message in str(refused.value)
    assert target.backup.is_empty() and target.users.list() == []


def _original_lines(lines: list[str], store: Store) -> list[str]:
    text = io.StringIO()
    dump(store, text)
    original = text.getvalue().splitlines()
    return original + [""] * (len(lines) - len(original))


def test_a_dump_of_the_first_store_format_still_restores(store: Store, store_factory: Callable[[], Store]) -> None:
    lines = _good_dump(store)
    old = []
    for line in lines:
        record = json.loads(line)
        if record["kind"] == "header":
            record["store_format"] = 1
        elif record["kind"] == "user":
            del record["row"]["disabled_at"]
        elif record["kind"] == "meta" and record["key"] == "store_format":
            record["value"] = "1"
        old.append(json.dumps(record))
    target = store_factory()
    restore(target, io.StringIO("\n".join(old) + "\n"))
    assert target.users.get("sara").disabled_at is None and target.meta.find("store_format") == str(STORE_FORMAT)


# ------------------------------------------------------------------------------------------------ concurrency


def _save_from_base_one(url: str, doc_id: str, i: int, barrier: Any, results: Any) -> None:
    store = Store(url)
    try:
        doc = store.documents.get(doc_id)
        aset = person_set(doc, metadata={"process": i})
        barrier.wait(60)
        try:
            store.sets.save(aset, base_revision=1, actor=f"p{i}")
            results.put((i, "won", 0))
        except ConflictError as exc:
            results.put((i, "conflict", exc.conflict_id))
    finally:
        store.close()


def test_eight_processes_saving_from_one_base_one_wins_seven_conflicts_kept(store: Store, doc: Document) -> None:
    store.documents.put([doc], actor="t")
    store.sets.save(person_set(doc), base_revision=0, actor="ali")
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(8), ctx.Queue()
    procs = [ctx.Process(target=_save_from_base_one, args=(store.url, doc.id, i, barrier, results)) for i in range(8)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    won = [o for o in outcomes if o[1] == "won"]
    lost = [o for o in outcomes if o[1] == "conflict"]
    assert len(won) == 1 and len(lost) == 7
    head = store.sets.get(doc.id, "ali")
    assert head.revision == 2 and head.metadata == {"process": won[0][0]}
    kept = {store.sets.get_conflict(cid).annotation_set.metadata["process"] for _, _, cid in lost}
    assert kept == {i for i, _, _ in lost}  # every loser's content is kept, none lost


def test_four_overlapping_imports_at_once_store_each_document_once(store: Store, tmp_path: Path) -> None:
    project = tmp_path / "shared"
    project.mkdir()
    (project / "project.json").write_text(json.dumps({"title": "shared", "database_url": store.url}),
                                          encoding="utf-8")
    texts = {f"doc-{i:03d}": f"{(FA, PRS, AR)[i % 3]} ({i})" for i in range(60)}
    files = []
    for k in range(4):  # windows 0-29, 10-39, 20-49, 30-59: every document in two or three files
        rows = [{"id": d, "text": t} for d, t in list(texts.items())[10 * k: 10 * k + 30]]
        files.append(write_jsonl(tmp_path / f"part{k}.jsonl", rows))
    exe = Path(sys.executable).parent / "annotate"
    procs = [subprocess.Popen([str(exe), "--project", str(project), "import", str(f)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in files]
    outs = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outs
    added = sum(out.count("\nadded ") + out.startswith("added ") for out, _ in outs)
    unchanged = sum(out.count("\nunchanged ") + out.startswith("unchanged ") for out, _ in outs)
    assert added == len(texts) and unchanged == 4 * 30 - len(texts)
    assert {d.id: d.text for d in store.documents.list()} == texts
    assert {store.documents.version(d) for d in texts} == {1}  # nobody's copy replaced another's
    assert len(store.audit.list(action="document.add")) == len(texts)


def test_an_export_directory_with_a_symlink_out_is_not_read(exported: tuple[Path, str, Project],
                                                           tmp_path: Path) -> None:
    out = exported[0]
    sent = tmp_path / "sent-export"
    shutil.copytree(out, sent)
    parquet = next((sent / "documents").glob("*.parquet"))
    outside = tmp_path / "elsewhere.parquet"
    parquet.rename(outside)
    parquet.symlink_to(outside)
    target = init_project(tmp_path / "copy")
    target.close()
    output = clean_failure(run(target.path, "import", str(sent)))
    assert "symlink that leads out of the export directory" in output
    assert target.store().documents.count() == 0
    pred = write_jsonl(tmp_path / "pred.jsonl", [])
    assert "symlink that leads out" in clean_failure(run(target.path, "eval", "--gold", str(sent), "--pred",
                                                         str(pred)))


# ------------------------------------------------------------------------------------------------ the Account page


def _click(at: Any, label: str) -> Any:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def test_changing_your_password_in_the_app_ends_every_session_of_yours(victim: Project, team: Store) -> None:
    other_browser = sign_in(team, "sara", PASSWORD, client="10.0.0.2").token
    at = make_app(victim.path, "sara", "views/account.py")
    at.text_input(key="account_current").input("not my password")
    at.text_input(key="account_new").input("a brand new password")
    at.text_input(key="account_again").input("a brand new password")
    _click(at, "Change password")
    assert "unknown user or wrong password" in at.error[0].value
    assert resolve_user(team, token=other_browser) is not None
    at.text_input(key="account_current").input(PASSWORD)
    at.text_input(key="account_new").input("a brand new password")
    at.text_input(key="account_again").input("a brand new password")
    _click(at, "Change password")
    assert not at.exception and at.text_input(key="sign_in_name") is not None  # this session ended too
    assert resolve_user(team, token=other_browser) is None
    assert sign_in(team, "sara", "a brand new password", client="c").user.name == "sara"


def test_an_admin_disables_an_account_in_the_app_and_others_cannot(victim: Project, team: Store) -> None:
    sara_browser = sign_in(team, "sara", PASSWORD, client="10.0.0.2").token
    at = make_app(victim.path, "sara", "views/account.py")
    assert "Accounts" not in [h.value for h in at.subheader]
    with pytest.raises(AuthError, match="only an administrator"):
        disable_account(team, "cora", "sara")
    at = make_app(victim.path, "admin", "views/account.py")
    at.selectbox(key="account_pick").select("sara").run()
    _click(at, "Disable (ends their sessions)")
    assert not at.exception and team.users.get("sara").disabled
    assert resolve_user(team, token=sara_browser) is None
    with pytest.raises(InputError, match="your own account"):
        disable_account(team, "admin", "admin")


def test_a_workspace_opened_in_a_session_writes_nothing_once_it_ended(team: Store) -> None:
    """What the app's annotation page keeps in its session state: the core checks the session on every write,
    so a page part that reruns without the router's check (a fragment) still cannot save."""
    signed = sign_in(team, "sara", PASSWORD, client="c")
    ws = open_workspace(team, team.taxonomy, "doc-sara", signed.user, session=signed.token)
    ws = _edit(team, ws)
    draft = team.drafts.find("doc-sara", "sara")
    sign_out_everywhere(team, sign_in(team, "sara", PASSWORD, client="elsewhere").token)
    for write in (lambda: _edit(team, ws), lambda: save(team, ws), lambda: submit(team, ws)):
        with pytest.raises(AuthError, match="session has ended"):
            write()
    assert team.drafts.find("doc-sara", "sara") == draft and not team.sets.list(author="sara")
    with pytest.raises(AuthError, match="session has ended"):
        open_workspace(team, team.taxonomy, "doc-sara", signed.user, session=signed.token)


def test_old_sign_in_state_is_pruned(team: Store) -> None:
    long_ago = T0 - KEEP_ENDED - timedelta(days=1)
    team.sessions.start("sara", client="c", idle=SESSION_IDLE, now=long_ago)
    _attempt(team, "made-up-name-1", "wrong password", long_ago)
    team.sessions.start("sara", client="c", idle=SESSION_IDLE, now=T0)
    _attempt(team, "made-up-name-2", "wrong password", T0)
    with team.engine.connect() as conn:
        sessions = conn.execute(sessions_table.select()).all()
        keys = {r.key for r in conn.execute(sign_in_throttle_table.select())}
    assert len(sessions) == 1 and keys == {"account:made-up-name-2", "client:10.9.9.9"}


def test_a_store_of_the_first_format_is_brought_up_to_date_when_opened(store: Store) -> None:
    store.users.add("sara", "annotator", PASSWORD, actor="t")
    with store.engine.begin() as conn:  # what a project made before this version holds
        conn.exec_driver_sql("ALTER TABLE users DROP COLUMN disabled_at")
        conn.exec_driver_sql("UPDATE meta SET value = '1' WHERE key = 'store_format'")
    reopened = Store(store.url)
    reopened.create_schema()
    assert reopened.meta.find("store_format") == str(STORE_FORMAT)
    assert reopened.users.disable("sara", actor="admin") == 0 and reopened.users.get("sara").disabled
    reopened.close()
