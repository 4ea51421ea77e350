"""``annotate backup`` / ``restore-backup``: a whole project round trip (SQLite and PostgreSQL), secrets marked,
and archives that are damaged, cut short or hostile refused before anything is written."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import stat
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from builders import build_demo_gold
from click.testing import CliRunner, Result

from annotate.backup import (
    MANIFEST_NAME,
    OIDC_SECRET,
    STORE_MEMBER,
    STORE_SECRET,
    BackupManifest,
    backup_download,
    restore_backup,
    verify_backup,
    write_backup,
)
from annotate.cli import cli
from annotate.errors import AuthError, InputError
from annotate.models import GOLD_AUTHOR
from annotate.project import Project, init_project, open_project
from annotate.release.creation import create_release
from annotate.release.versions import list_versions

SECRETS_TOML = '[auth]\nredirect_uri = "https://annotate.example.org/oauth2callback"\ncookie_secret = "c00kie"\n' \
    'client_id = "annotate"\nclient_secret = "s3cret"\n' \
    'server_metadata_url = "https://id.example.org/.well-known/openid-configuration"\n'


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def fails(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 1, result.output
    return result.output


def rich_project(path: Path, database_url: str | None = None) -> Project:
    """The demo corpus with gold, releases 0.1.0 and 0.1.1 (with CHANGELOG), an export of 0.1.1, a taxonomy,
    OIDC secrets, a Label Studio section with a password in its URL, and files a backup must leave out."""
    if database_url is not None:
        init_project(path, database_url).close()
    project = build_demo_gold(path)
    store = project.store()
    create_release(project.path, store, project.taxonomy(), bump="minor", message="first", actor="test")
    doc = store.documents.list()[0]
    gold = store.sets.get(doc.id, GOLD_AUTHOR)
    store.sets.save(gold.model_copy(update={"entities": []}), base_revision=gold.revision, actor="test")
    store.sets.set_status(doc.id, GOLD_AUTHOR, "gold", actor="test")
    create_release(project.path, store, project.taxonomy(), bump="patch", message="dateline fix", actor="test")
    project.close()
    run("--project", str(path), "export", "0.1.1")
    shutil.copy(Path(__file__).parents[1] / "annotate" / "data" / "taxonomy.json", path / "taxonomy.json")
    config = json.loads((path / "project.json").read_text(encoding="utf-8"))
    config["labelstudio"] = {"url": "http://ann:pa55@ls.example.org:8080/", "users": {"sara@example.org": "sara"}}
    (path / "project.json").write_text(json.dumps(config), encoding="utf-8")
    (path / ".streamlit").mkdir()
    (path / ".streamlit" / "secrets.toml").write_text(SECRETS_TOML, encoding="utf-8")
    os.chmod(path / ".streamlit" / "secrets.toml", 0o600)
    (path / ".streamlit" / "config.toml").write_text("[theme]\nbase = \"dark\"\n", encoding="utf-8")
    # What a backup leaves out: an unused key, a Label Studio key, a release still being written.
    (path / ".annotate-session-key").write_bytes(b"k" * 32)
    (path / "ls-data").mkdir()
    (path / "ls-data" / "api-key").write_text("0123456789abcdef", encoding="utf-8")
    os.chmod(path / "releases", 0o755)
    (path / "releases" / ".0.2.0.partial-999999999-abcd").mkdir()
    (path / "releases" / ".0.2.0.partial-999999999-abcd" / "manifest.json").write_text("{}", encoding="utf-8")
    return open_project(path)


LEFT_OUT = {"annotate.db", ".annotate-session-key", "ls-data/api-key", "releases/.0.2.0.partial-999999999-abcd/"}


def tree(root: Path, *, skip: frozenset[str] = frozenset()) -> dict[str, tuple[int, str]]:
    """Every directory and file below ``root``: mode and content hash (database files and ``skip`` aside)."""
    out: dict[str, tuple[int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            skipped = rel in skip or any((rel + "/").startswith(s) for s in skip if s.endswith("/"))
            if name.startswith("annotate.db") or skipped:
                continue
            mode = stat.S_IMODE(p.lstat().st_mode)
            out[rel] = (mode, "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest())
    return out


def dump_of(project_dir: Path) -> str:
    return run("--project", str(project_dir), "dump").stdout


def backup_manifest(archive: Path) -> BackupManifest:
    with tarfile.open(archive, "r:gz") as tar:
        member = tar.extractfile(MANIFEST_NAME)
        assert member is not None
        return BackupManifest.model_validate_json(member.read())


def check_round_trip(source: Path, tmp_path: Path, *, restore_args: tuple[str, ...] = ()) -> Path:
    """Back up ``source``, delete it, restore it; every release verifies and the dump is byte-identical."""
    archive = tmp_path / "news.tar.gz"
    before_config = json.loads((source / "project.json").read_text(encoding="utf-8"))
    before_dump, before_tree = dump_of(source), tree(source, skip=frozenset(LEFT_OUT))
    versions = list_versions(source)
    assert versions == ["0.1.0", "0.1.1"]
    out = run("--project", str(source), "backup", "-o", str(archive)).stdout
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert "holds secrets: store.jsonl" in out and "holds secrets: project/.streamlit/secrets.toml" in out
    assert not [p for p in archive.parent.iterdir() if ".partial" in p.name]
    shutil.rmtree(source, onerror=lambda f, p, e: (os.chmod(Path(p).parent, 0o755), f(p)))
    assert not source.exists()

    target = tmp_path / "restored"
    out = run("restore-backup", str(archive), "--project", str(target), *restore_args).stdout
    assert "restored secrets: project/.streamlit/secrets.toml" in out
    for v in versions:
        assert f"release {v} verifies" in run("--project", str(target), "release", "verify", v).stdout
    assert dump_of(target) == before_dump
    after_tree, after_config = tree(target), json.loads((target / "project.json").read_text(encoding="utf-8"))
    if "--database-url" in restore_args:  # written into the restored project.json, the rest kept
        new_url = restore_args[restore_args.index("--database-url") + 1]
        assert after_config == {**before_config, "database_url": new_url}
        after_tree.pop("project.json"), before_tree.pop("project.json")
    assert after_tree == before_tree  # every file and directory, content and mode (releases read-only)
    assert stat.S_IMODE((target / "releases" / "0.1.0").stat().st_mode) == 0o555
    assert (target / "releases" / "CHANGELOG.md").read_text(encoding="utf-8").count("## ") >= 2
    return target


def test_round_trip_sqlite(tmp_path: Path) -> None:
    rich_project(tmp_path / "news").close()
    target = check_round_trip(tmp_path / "news", tmp_path)
    # The restored project works: the app's sign-in reads the same accounts, a new release can follow.
    project = open_project(target)
    try:
        assert project.store().users.verify("admin", "annotate-demo").role == "admin"
        assert project.database_url == f"sqlite:///{(target / 'annotate.db').resolve()}"
    finally:
        project.close()


@pytest.mark.postgres
def test_round_trip_postgres(tmp_path: Path, postgres_url: str, postgres_server: object) -> None:
    source = tmp_path / "news"
    rich_project(source, postgres_url).close()
    archive = tmp_path / "pg.tar.gz"
    run("--project", str(source), "backup", "-o", str(archive))
    manifest = backup_manifest(archive)
    assert manifest.database == postgres_url and not any(lo.path.startswith("annotate.db") for lo in manifest.left_out)
    # The source database still holds the store: restoring into it is refused, and nothing is left behind.
    out = fails("restore-backup", str(archive), "--project", str(tmp_path / "again"))
    assert "the project is not empty; restore only loads into a new, empty project" in out
    assert not (tmp_path / "again").exists()
    # Back up, delete, restore into a new database (named on the command line, written into project.json).
    archive.unlink()
    new_url = postgres_server.new_database()  # type: ignore[attr-defined]
    target = check_round_trip(source, tmp_path, restore_args=("--database-url", new_url))
    assert json.loads((target / "project.json").read_text(encoding="utf-8"))["database_url"] == new_url
    assert not (target / "annotate.db").exists()


# ---------------------------------------------------------------------------------------------- the archive


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo project with OIDC secrets, a release and the files a backup leaves out (module-scoped)."""
    path = tmp_path_factory.mktemp("small") / "news"
    project = build_demo_gold(path)
    create_release(project.path, project.store(), project.taxonomy(), bump="minor", message="m", actor="test")
    project.close()
    (path / ".streamlit").mkdir()
    (path / ".streamlit" / "secrets.toml").write_text(SECRETS_TOML, encoding="utf-8")
    (path / ".annotate-session-key").write_bytes(b"k" * 32)
    yield path


@pytest.fixture(scope="module")
def good_archive(small_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = tmp_path_factory.mktemp("archive") / "good.tar.gz"
    project = open_project(small_project)
    try:
        write_backup(project, archive)
    finally:
        project.close()
    return archive


def test_manifest_lists_every_member_with_its_hash_and_secrets(good_archive: Path, small_project: Path) -> None:
    manifest = backup_manifest(good_archive)
    with tarfile.open(good_archive, "r:gz") as tar:
        names = tar.getnames()
        hashes = {m.name: hashlib.sha256(tar.extractfile(m).read()).hexdigest()  # type: ignore[union-attr]
                  for m in tar.getmembers() if m.name != MANIFEST_NAME}
    assert names[0] == STORE_MEMBER and names[-1] == MANIFEST_NAME
    assert {m.path: m.sha256 for m in manifest.members} == hashes
    assert {m.path: m.secret for m in manifest.secrets()} == {
        STORE_MEMBER: STORE_SECRET, "project/.streamlit/secrets.toml": OIDC_SECRET}
    files = {p.relative_to(small_project).as_posix() for p in small_project.rglob("*") if p.is_file()}
    listed = {m.path.removeprefix("project/") for m in manifest.members} | {lo.path for lo in manifest.left_out}
    assert files <= listed | {"annotate.db-wal", "annotate.db-shm"}
    assert {lo.path for lo in manifest.left_out} >= {"annotate.db", ".annotate-session-key"}
    assert "project/releases/CHANGELOG.md" in hashes and "project/releases/0.1.0/manifest.json" in hashes
    assert next(d.mode for d in manifest.directories if d.path == "releases/0.1.0") == 0o555
    # The dump member is the store's dump, byte for byte; no Label Studio key anywhere.
    with tarfile.open(good_archive, "r:gz") as tar:
        dumped = tar.extractfile(STORE_MEMBER).read().decode("utf-8")  # type: ignore[union-attr]
    assert dumped == dump_of(small_project)
    assert "LABEL_STUDIO_API_KEY" not in os.environ or os.environ["LABEL_STUDIO_API_KEY"] not in dumped


def test_backup_refuses_to_overwrite_without_force(small_project: Path, tmp_path: Path) -> None:
    archive = tmp_path / "b.tar.gz"
    archive.write_text("keep me", encoding="utf-8")
    out = fails("--project", str(small_project), "backup", "-o", str(archive))
    assert "exists already" in out and "--force" in out
    assert archive.read_text(encoding="utf-8") == "keep me"
    os.chmod(archive, 0o644)
    run("--project", str(small_project), "backup", "-o", str(archive), "--force")
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600 and verify_backup(archive).project_title == "news"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.tar.gz"]


def test_backup_is_private_whatever_the_umask(small_project: Path, tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        run("--project", str(small_project), "backup", "-o", str(tmp_path / "b.tgz"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "b.tgz").stat().st_mode) == 0o600


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: (p / "link.txt").symlink_to("/etc/hostname"), id="symlink-out"),
    pytest.param(lambda p: (p / "inside").symlink_to(p / "project.json"), id="symlink-inside"),
    pytest.param(lambda p: os.mkfifo(p / "pipe"), id="fifo"),
])
def test_backup_refuses_links_and_special_files(tmp_path: Path, make: Callable[[Path], None]) -> None:
    project = init_project(tmp_path / "p")
    project.close()
    make(tmp_path / "p")
    out = fails("--project", str(tmp_path / "p"), "backup", "-o", str(tmp_path / "b.tar.gz"))
    assert "a backup holds regular files and directories only" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]  # no archive, no temporary file


def test_backup_inside_the_project_leaves_itself_out(tmp_path: Path) -> None:
    init_project(tmp_path / "p").close()
    run("--project", str(tmp_path / "p"), "backup", "-o", str(tmp_path / "p" / "b.tar.gz"))
    run("--project", str(tmp_path / "p"), "backup", "-o", str(tmp_path / "p" / "b.tar.gz"), "--force")
    manifest = verify_backup(tmp_path / "p" / "b.tar.gz")
    assert [m.path for m in manifest.members] == [STORE_MEMBER, "project/project.json"]
    assert {lo.path: lo.reason for lo in manifest.left_out}["b.tar.gz"] == "the backup archive itself"


def test_restore_only_into_a_new_or_empty_directory(good_archive: Path, tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine", encoding="utf-8")
    out = fails("restore-backup", str(good_archive), "--project", str(tmp_path / "full"))
    assert "is not empty; a backup is restored only into a new or empty directory" in out
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]
    (tmp_path / "empty").mkdir()
    run("--project", str(tmp_path / "empty"), "restore-backup", str(good_archive))  # --project before the command
    assert (tmp_path / "empty" / ".streamlit" / "secrets.toml").read_text(encoding="utf-8") == SECRETS_TOML
    assert not (tmp_path / "empty" / ".annotate-session-key").exists()


# ---------------------------------------------------------------------------------------------- bad archives


def rebuilt(good: Path, out: Path, change: Callable[[list[tuple[tarfile.TarInfo, bytes]]], None],
            manifest_change: Callable[[dict[str, object]], None] | None = None) -> Path:
    """``good`` rewritten with its members changed by ``change`` (the manifest, last, by ``manifest_change``)."""
    with tarfile.open(good, "r:gz") as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]  # type: ignore[union-attr]
    manifest = json.loads(members.pop()[1])
    change(members)
    if manifest_change is not None:
        manifest_change(manifest)
    data = json.dumps(manifest).encode("utf-8")
    members.append((tarfile.TarInfo(MANIFEST_NAME), data))
    with tarfile.open(out, "w:gz") as tar:
        for info, content in members:
            if info.isreg():
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
            else:
                tar.addfile(info)
    return out


def _member(name: str, content: bytes = b"x", kind: bytes = tarfile.REGTYPE, link: str = "") -> tuple[
        tarfile.TarInfo, bytes]:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.mode = kind, link, 0o644
    return info, content


def _listed(name: str, content: bytes = b"x") -> Callable[[dict[str, object]], None]:
    def change(manifest: dict[str, object]) -> None:
        manifest["members"].append({"path": name, "mode": 0o644, "size": len(content),  # type: ignore[attr-defined]
                                    "sha256": hashlib.sha256(content).hexdigest()})
    return change


def _flip_byte(members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    i = next(i for i, (m, _) in enumerate(members) if m.name == "project/project.json")
    info, data = members[i]
    members[i] = (info, data.replace(b"{", b"[", 1))


HOSTILE = [
    # (id, member change, manifest change, message)
    ("dotdot", lambda ms: ms.append(_member("project/../../escaped.txt")), _listed("project/../../escaped.txt"),
     "goes up with '..'"),
    ("absolute", lambda ms: ms.append(_member("/tmp/escaped.txt")), None, "is an absolute path"),
    ("symlink", lambda ms: ms.append(_member("project/evil", b"", tarfile.SYMTYPE, "/etc/passwd")), None,
     "the member is a symlink"),
    ("hardlink", lambda ms: ms.append(_member("project/evil", b"", tarfile.LNKTYPE, "/etc/passwd")), None,
     "the member is a hard link"),
    ("device", lambda ms: ms.append(_member("project/null", b"", tarfile.CHRTYPE)), None, "a device or FIFO"),
    ("backslash", lambda ms: ms.append(_member("project\\..\\..\\x")), None, "goes up with '..'"),
    ("duplicate", lambda ms: ms.append(ms[1]), None, "the member is in the archive twice"),
    ("unlisted", lambda ms: ms.append(_member("project/extra.txt")), None, "not listed in the manifest"),
    ("missing", lambda ms: ms.pop(1), None, "the manifest lists this member but the archive does not hold it"),
    ("changed", _flip_byte, None, "the member's content differs from the manifest"),
    ("manifest-dotdot", lambda ms: None, lambda m: m["members"][1].update(path="project/../x"),  # type: ignore[index]
     "goes up with '..'"),
    ("setuid-mode", lambda ms: None, lambda m: m["members"][1].update(mode=0o4755),  # type: ignore[index]
     "less than or equal to 511"),
    ("not-a-manifest", lambda ms: None, lambda m: m.update(format="zip"), "not a manifest this version can read"),
]


@pytest.mark.parametrize(("change", "manifest_change", "message"), [h[1:] for h in HOSTILE],
                         ids=[h[0] for h in HOSTILE])
def test_hostile_archives_are_refused_before_anything_is_written(
    good_archive: Path, tmp_path: Path, change: Callable[[list[tuple[tarfile.TarInfo, bytes]]], None],
    manifest_change: Callable[[dict[str, object]], None] | None, message: str,
) -> None:
    bad = rebuilt(good_archive, tmp_path / "bad.tar.gz", change, manifest_change)
    target = tmp_path / "work" / "restored"
    out = fails("restore-backup", str(bad), "--project", str(target))
    assert message in out
    assert not (tmp_path / "work").exists() and not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/escaped.txt").exists()


def test_a_rebuilt_archive_without_changes_restores(good_archive: Path, tmp_path: Path) -> None:
    """The control for the table above: the rebuilding itself keeps a backup restorable."""
    bad = rebuilt(good_archive, tmp_path / "same.tar.gz", lambda ms: None)
    restore_backup(bad, tmp_path / "restored")
    assert (tmp_path / "restored" / "releases" / "0.1.0" / "manifest.json").is_file()


@pytest.mark.parametrize("damage", [
    pytest.param(lambda data: data[: len(data) // 2], id="truncated-half"),
    pytest.param(lambda data: data[:-9], id="truncated-end"),
    pytest.param(lambda data: data[:40] + bytes(b ^ 0xFF for b in data[40:60]) + data[60:], id="corrupted"),
    pytest.param(lambda data: b"PK\x03\x04" + data[4:], id="not-gzip"),
    pytest.param(lambda data: b"", id="empty"),
])
def test_damaged_archives_are_refused(good_archive: Path, tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(damage(good_archive.read_bytes()))
    with pytest.raises(InputError, match="the archive is damaged or truncated") as info:
        restore_backup(bad, tmp_path / "restored")
    assert str(bad) in str(info.value)
    assert not (tmp_path / "restored").exists()


def test_a_failing_store_restore_removes_what_was_written(good_archive: Path, tmp_path: Path) -> None:
    """The files are written before the store is loaded; a store the database refuses takes them away again."""
    (tmp_path / "empty").mkdir()
    occupied = init_project(tmp_path / "occupied")
    occupied.store().users.add("someone", "admin", "a long password", actor="test")
    occupied.close()
    url = f"sqlite:///{tmp_path / 'occupied' / 'annotate.db'}"
    with pytest.raises(InputError, match="the project is not empty"):
        restore_backup(good_archive, tmp_path / "empty", database_url=url)
    assert list((tmp_path / "empty").iterdir()) == []


def test_a_member_larger_than_the_free_space_is_refused_at_its_header(tmp_path: Path) -> None:
    """A header claiming a petabyte (a gzip bomb announces itself the same way) is refused before its content is
    read or anything is written."""
    info = tarfile.TarInfo(STORE_MEMBER)
    info.size = 10**15
    bad = tmp_path / "huge.tar.gz"
    with gzip.open(bad, "wb") as out:
        out.write(info.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape") + b"{}\n".ljust(512, b"\0"))
    out_text = fails("restore-backup", str(bad), "--project", str(tmp_path / "restored"))
    assert "the archive unpacks to more than" in out_text and "the free space where it would be restored" in out_text
    assert "this member alone is 1000000000000000 bytes" in out_text and STORE_MEMBER in out_text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.tar.gz"]


def test_honest_members_beyond_the_limit_are_refused(good_archive: Path) -> None:
    with tarfile.open(good_archive, "r:gz") as tar:
        total = sum(m.size for m in tar.getmembers())  # the members and the manifest
    verify_backup(good_archive, max_bytes=total)  # fits exactly
    with pytest.raises(InputError, match="the archive unpacks to more than 1000 bytes"):
        verify_backup(good_archive, max_bytes=1000)


# ---------------------------------------------------------------------------------------------- from the app


@pytest.fixture(scope="module")
def local_sign_in(good_archive: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project without its OIDC settings, so that the app signs people in locally."""
    path = tmp_path_factory.mktemp("local") / "news"
    restore_backup(good_archive, path)
    shutil.rmtree(path / ".streamlit")
    return path


def test_an_admin_downloads_a_backup_from_the_account_page(local_sign_in: Path, tmp_path: Path) -> None:
    """The Account page makes the archive through the core and offers it; it restores like the CLI's."""
    from apptest_helpers import make_app

    at = make_app(local_sign_in, "admin", "views/account.py")
    assert not at.exception
    assert "Backup" in [h.value for h in at.subheader]
    at.button(key="account_backup").click().run()
    assert not at.exception and not at.error
    name, data = at.session_state["account_backup_made"]  # the page's BACKUP_KEY (a page runs when imported)
    assert name.startswith("news-backup-") and name.endswith(".tar.gz")
    assert [e for e in at.get("download_button") if e.proto.label.startswith(f"Download {name}")]
    (tmp_path / name).write_bytes(data)
    restore_backup(tmp_path / name, tmp_path / "restored")
    assert dump_of(tmp_path / "restored") == dump_of(local_sign_in)
    assert not list(tmp_path.glob("annotate-backup-*"))


@pytest.mark.parametrize("who", ["curator", "sara"])
def test_only_admins_get_a_backup(local_sign_in: Path, who: str) -> None:
    from apptest_helpers import make_app

    at = make_app(local_sign_in, who, "views/account.py")
    assert not at.exception
    assert "Backup" not in [h.value for h in at.subheader] and not at.get("download_button")
    project = open_project(local_sign_in)
    try:
        with pytest.raises(AuthError, match="only an administrator downloads a backup"):
            backup_download(project, who)
    finally:
        project.close()


def test_an_archive_with_too_many_members_is_refused(good_archive: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import annotate.backup

    with tarfile.open(good_archive, "r:gz") as tar:
        count = len(tar.getmembers())
    monkeypatch.setattr(annotate.backup, "MAX_MEMBERS", count)
    verify_backup(good_archive)  # exactly at the limit
    monkeypatch.setattr(annotate.backup, "MAX_MEMBERS", count - 1)
    with pytest.raises(InputError, match=f"the archive holds more than {count - 1} members"):
        verify_backup(good_archive)
