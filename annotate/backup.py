"""The whole project in one archive: ``annotate backup`` and ``annotate restore-backup``.

A backup is a gzip-compressed tar file (created mode 0600, written under a temporary name and renamed) of::

    store.jsonl            the lossless dump of the store (:mod:`annotate.store.dump`), SQLite or PostgreSQL alike
    project/PATH           every file of the project directory: project.json, taxonomy.json, releases/ (every
                           version and CHANGELOG.md), exports/, .streamlit/ (secrets.toml: OIDC secrets), ...
    annotate-backup.json   the manifest, last: every member with its size, sha256, mode and, for a member that
                           holds secrets, why; every directory with its mode; what was left out and why

Left out, each named in the manifest: the SQLite database in force and its ``-wal``/``-shm`` files (the dump
holds the store), releases and exports still being written (their staging directories), the unused
``.annotate-session-key`` of earlier versions and a Label Studio ``api-key`` file (keys live in the environment).
Sign-in sessions and throttling counters are not in the dump: after a restore everyone signs in again. A symlink
or a special file in the project directory stops the backup, so that nothing is silently missing.

Restoring reads the whole archive and checks every member against the manifest (names, kinds, sizes, sha256)
before it writes anything; a member name that is absolute, goes up with ``..``, or a member that is a link or
device is refused, and so is an archive that unpacks to more than the free space. It restores only into a new
or empty directory, loads the store through the checks of ``annotate restore`` (all or nothing), and gives files
and directories their recorded modes (a release stays read-only). If anything fails, what it wrote is removed
again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import stat
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.engine import make_url

from . import __version__
from .auth import require_admin
from .canonical import utcnow
from .errors import InputError, pydantic_input
from .labelstudio.server import KEY_FILE as LS_KEY_FILE
from .paths import check_readable_file, relative_parts
from .project import CONFIG_FILE, Project, open_project, read_config, write_config
from .redact import has_password, redact_url
from .release.staging import is_staging_name, remove_tree
from .store.dump import dump, restore
from .store.schema import STORE_FORMAT

BACKUP_FORMAT: Final = "annotate-backup"
BACKUP_VERSION: Final = 1
MANIFEST_NAME = "annotate-backup.json"
STORE_MEMBER = "store.jsonl"
PROJECT_PREFIX = "project/"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
"""A manifest larger than this is not read (a hostile archive could name one of any size)."""
MAX_MEMBERS = 2_000_000
"""An archive with more members than this is refused (a project of 20,000 documents with 20 releases and their
exports holds under a million files; tiny members by the million would only fill memory)."""

SESSION_KEY_FILE = ".annotate-session-key"
"""The session signing key of earlier versions: unused since sessions live in the store."""

STORE_SECRET = "password hashes of the accounts (users rows) and the audit log with sign-in client addresses"
OIDC_SECRET = "OIDC client secret and cookie secret of the [auth] sign-in"

_CHUNK = 1 << 20
_Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


def _archive_parts(name: str, where: str) -> list[str]:
    """The components of an archive member's relative path; :class:`InputError` for anything that could
    leave the directory it is restored into (absolute, ``..``, NUL, backslashes) or names nothing."""
    parts = relative_parts(name, where=where, field="member", scope="a backup holds files of its project only",
                           allow_hidden=True)
    if not parts or "/".join(parts) != name:
        raise InputError(f"member {name!r} is not a plain relative path (a/b/c)", where=where)
    return parts


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    mode: int = Field(ge=0, le=0o777)
    """Permission bits (no set-id or sticky bits)."""


class BackupMember(_Entry):
    """One file of the archive: ``store.jsonl`` or ``project/PATH``."""

    size: int = Field(ge=0)
    sha256: _Sha256
    mtime: float = 0.0
    secret: str | None = None
    """Why the member must be kept private (None: it holds no secret)."""

    @field_validator("path")
    @classmethod
    def _path(cls, v: str) -> str:
        _archive_parts(v, MANIFEST_NAME)
        if v != STORE_MEMBER and not (v.startswith(PROJECT_PREFIX) and len(v) > len(PROJECT_PREFIX)):
            raise ValueError(f"must be {STORE_MEMBER!r} or start with {PROJECT_PREFIX!r}")
        return v

    @field_validator("mode")
    @classmethod
    def _readable(cls, v: int) -> int:
        if not v & stat.S_IRUSR:
            raise ValueError(f"mode {v:o}: a restored file must be readable by its owner")
        return v


class BackupDirectory(_Entry):
    """A directory of the project (``""`` is the project directory itself)."""

    @field_validator("path")
    @classmethod
    def _path(cls, v: str) -> str:
        if v:
            _archive_parts(v, MANIFEST_NAME)
        return v

    @field_validator("mode")
    @classmethod
    def _enterable(cls, v: int) -> int:
        if v & 0o500 != 0o500:
            raise ValueError(f"mode {v:o}: a restored directory must be readable and enterable by its owner")
        return v


class LeftOut(BaseModel):
    """A file of the project directory that is not in the archive, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    reason: str


class BackupManifest(BaseModel):
    """``annotate-backup.json``: what the archive holds, so that a restore can check every byte first."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["annotate-backup"] = BACKUP_FORMAT
    backup_version: Literal[1] = BACKUP_VERSION
    created_at: str
    annotate_version: str
    project_title: str
    database: str
    """The source project's database URL, password hidden."""
    store_format: int
    members: list[BackupMember]
    directories: list[BackupDirectory]
    left_out: list[LeftOut] = []

    @field_validator("members")
    @classmethod
    def _members(cls, v: list[BackupMember]) -> list[BackupMember]:
        names = [m.path for m in v]
        if len(set(names)) != len(names):
            raise ValueError("a member is listed twice")
        if STORE_MEMBER not in names:
            raise ValueError(f"the store dump {STORE_MEMBER!r} is missing")
        if PROJECT_PREFIX + CONFIG_FILE not in names:
            raise ValueError(f"{PROJECT_PREFIX + CONFIG_FILE!r} is missing: not a project backup")
        return v

    def secrets(self) -> list[BackupMember]:
        """The members that hold secrets."""
        return [m for m in self.members if m.secret]


@dataclass
class BackupSummary:
    """What :func:`write_backup` wrote."""

    path: Path
    size: int
    sha256: str
    manifest: BackupManifest
    store_records: int


@dataclass
class RestoreSummary:
    """What :func:`restore_backup` restored."""

    project_dir: Path
    database: str
    manifest: BackupManifest
    store_counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- writing


class _HashingReader:
    """A binary file read through, counting its sha256 (for ``tarfile.addfile``)."""

    def __init__(self, fh: IO[bytes]) -> None:
        self._fh = fh
        self.hash = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self._fh.read(n)
        self.hash.update(data)
        return data


def _sqlite_files(project: Project) -> set[Path]:
    """The SQLite database in force and its companion files, resolved (empty for a server database)."""
    url = make_url(project.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return set()
    db = Path(url.database).resolve()
    return {db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))}


def _left_out_reason(path: Path, name: str, skip: dict[Path, str]) -> str | None:
    resolved = path.resolve()
    if resolved in skip:
        return skip[resolved]
    if is_staging_name(name) or name.endswith(".partial"):
        return "an unfinished write (a release, export, dump or backup being written, or left by a killed run)"
    if name == SESSION_KEY_FILE:
        return "no longer used: sessions live in the store (delete the file)"
    if name == LS_KEY_FILE:
        return "a Label Studio API key: keys live in the environment (LABEL_STUDIO_API_KEY), never in a backup"
    return None


def _refuse_special(path: Path, info: os.stat_result) -> None:
    kind = "a symlink" if stat.S_ISLNK(info.st_mode) else "not a regular file (a FIFO, socket or device)"
    raise InputError(
        f"{kind}; a backup holds regular files and directories only, so it would be missing",
        where=str(path), hint="replace it with a copy of the file, or move it out of the project directory",
    )


def _walk_project(root: Path, skip: dict[Path, str]) -> tuple[list[tuple[str, Path, os.stat_result]],
                                                              list[BackupDirectory], list[LeftOut]]:
    """The project's files (relative path, path, stat), its directories and what is left out, sorted."""
    files: list[tuple[str, Path, os.stat_result]] = []
    dirs = [BackupDirectory(path="", mode=stat.S_IMODE(root.stat().st_mode))]
    left: list[LeftOut] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            p = here / name
            rel = p.relative_to(root).as_posix()
            info = os.lstat(p)
            if not stat.S_ISDIR(info.st_mode):
                _refuse_special(p, info)
            reason = _left_out_reason(p, name, skip)
            if reason is not None:
                left.append(LeftOut(path=rel + "/", reason=reason))
                continue
            _archive_parts(PROJECT_PREFIX + rel, str(p))
            dirs.append(BackupDirectory(path=rel, mode=stat.S_IMODE(info.st_mode)))
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            p = here / name
            rel = p.relative_to(root).as_posix()
            info = os.lstat(p)
            reason = _left_out_reason(p, name, skip) if not stat.S_ISLNK(info.st_mode) else None
            if reason is not None:
                left.append(LeftOut(path=rel, reason=reason))
                continue
            if not stat.S_ISREG(info.st_mode):
                _refuse_special(p, info)
            _archive_parts(PROJECT_PREFIX + rel, str(p))
            files.append((rel, p, info))
    return files, dirs, left


def _file_secret(rel: str, path: Path) -> str | None:
    """Why a project file holds a secret, or None."""
    if rel == ".streamlit/secrets.toml":
        return OIDC_SECRET
    if rel == CONFIG_FILE:
        try:
            config = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None  # open_project has read it already; an unreadable copy holds nothing we can name
        if not isinstance(config, dict):
            return None
        ls = config.get("labelstudio")
        urls = {"database_url": config.get("database_url"),
                "labelstudio.url": ls.get("url") if isinstance(ls, dict) else None}
        found = [k for k, u in urls.items() if isinstance(u, str) and has_password(u)]
        return f"a password in {' and '.join(found)}" if found else None
    return None


def _add(tar: tarfile.TarFile, name: str, fh: IO[bytes], size: int, mode: int, mtime: float) -> str:
    """Add one regular file to ``tar``; its sha256."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, mode, int(mtime)
    reader = _HashingReader(fh)
    tar.addfile(info, reader)
    return reader.hash.hexdigest()


def write_backup(project: Project, output: Path, *, force: bool = False) -> BackupSummary:
    """Write the whole project into the archive ``output`` (mode 0600, temp file then rename).

    :class:`InputError` when ``output`` exists (unless ``force``) or is a directory, when its folder is missing,
    and when the project directory holds a symlink or special file; nothing is left behind then.
    """
    if output.is_dir():
        raise InputError("is a directory", where=str(output), hint="name the archive file, e.g. -o backup.tar.gz")
    if (output.exists() or output.is_symlink()) and not force:
        raise InputError("exists already", where=str(output), hint="pass --force to replace it, or choose another name")
    if not output.parent.is_dir():
        raise InputError("the folder for the archive does not exist", where=str(output.parent))
    root = project.path
    skip = {p: "the store's database: the store is in store.jsonl" for p in _sqlite_files(project)}
    skip[output.resolve()] = "the backup archive itself"
    files, dirs, left = _walk_project(root, skip)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.partial-{os.getpid()}-", dir=output.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as raw:
            members: list[BackupMember] = []
            with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                with tempfile.TemporaryFile(dir=output.parent) as dumped:  # anonymous, owner only
                    text = io.TextIOWrapper(dumped, encoding="utf-8", newline="\n")
                    records = dump(project.store(), text)
                    text.flush()
                    text.detach()
                    size = dumped.tell()
                    dumped.seek(0)
                    now = utcnow()
                    sha = _add(tar, STORE_MEMBER, dumped, size, 0o600, now.timestamp())
                    members.append(BackupMember(path=STORE_MEMBER, mode=0o600, size=size, sha256=sha,
                                                mtime=now.timestamp(), secret=STORE_SECRET))
                for rel, path, info in files:
                    with path.open("rb") as fh:
                        mode = stat.S_IMODE(info.st_mode)
                        sha = _add(tar, PROJECT_PREFIX + rel, fh, info.st_size, mode, info.st_mtime)
                    members.append(BackupMember(path=PROJECT_PREFIX + rel, mode=mode, size=info.st_size, sha256=sha,
                                                mtime=info.st_mtime, secret=_file_secret(rel, path)))
                manifest = BackupManifest(
                    created_at=now.isoformat(timespec="seconds"), annotate_version=__version__,
                    project_title=project.title, database=redact_url(project.database_url),
                    store_format=STORE_FORMAT, members=members, directories=dirs, left_out=left,
                )
                data = (manifest.model_dump_json(indent=2) + "\n").encode("utf-8")
                _add(tar, MANIFEST_NAME, io.BytesIO(data), len(data), 0o600, now.timestamp())
            raw.flush()
            os.fsync(raw.fileno())
            raw.seek(0)
            archive_sha, archive_size = _sha256_of(raw)
        if output.exists() and not force:
            raise InputError("was created while the backup was being written", where=str(output),
                             hint="pass --force to replace it, or choose another name")
        tmp.replace(output)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupSummary(path=output, size=archive_size, sha256=archive_sha, manifest=manifest, store_records=records)


def _sha256_of(fh: IO[bytes] | _MemberReader) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    while chunk := fh.read(_CHUNK):
        h.update(chunk)
        n += len(chunk)
    return h.hexdigest(), n


def backup_download(project: Project, actor: str) -> tuple[str, bytes]:
    """An admin's whole-project backup for the app to hand to the browser: its file name and its bytes.

    ``actor`` must be an enabled admin, read afresh (:func:`annotate.auth.require_admin`): the archive holds
    every password hash. It is written by :func:`write_backup` into a private temporary folder, read, and removed.
    """
    require_admin(project.store(), actor, doing="downloads a backup")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", project.title).strip("-.") or "annotate"
    name = f"{slug}-backup-{utcnow():%Y%m%d-%H%M%S}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="annotate-backup-") as tmp:
        return name, write_backup(project, Path(tmp) / name).path.read_bytes()


# ---------------------------------------------------------------------------------------------- reading


def _damaged(archive: Path, exc: BaseException) -> InputError:
    return InputError(f"the archive is damaged or truncated ({type(exc).__name__}: {exc})", where=str(archive),
                      hint="use another copy of the backup; nothing was restored")


_DAMAGE = (tarfile.TarError, EOFError, zlib.error, OSError)
"""What reading a damaged or cut-short gzip tar raises (an OSError with an errno is the disk's, not the archive's)."""


class _MemberReader:
    """A member's content, read with damage turned into one :class:`InputError` naming the archive."""

    def __init__(self, fh: IO[bytes], archive: Path) -> None:
        self._fh, self._archive = fh, archive

    def read(self, n: int = -1) -> bytes:
        try:
            return self._fh.read(n)
        except _DAMAGE as exc:
            raise _damaged_or_disk(self._archive, exc) from None


def _damaged_or_disk(archive: Path, exc: BaseException) -> BaseException:
    if isinstance(exc, OSError) and exc.errno is not None:
        return exc  # the disk, not the archive (gzip's BadGzipFile has no errno): the CLI names it
    return _damaged(archive, exc)


def _members(archive: Path) -> Iterator[tuple[tarfile.TarInfo, _MemberReader]]:
    """Each member of ``archive`` with a reader, after checking its name and kind; damage is one InputError.

    After the last member the rest of the gzip stream is read, so that an archive cut short after its tar end
    marker (its gzip checksum missing) is refused too.
    """
    seen: set[str] = set()
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for info in tar:
                where = f"{archive}: {info.name!r}"
                _archive_parts(info.name, str(archive))
                if not info.isreg():
                    kind = ("a symlink" if info.issym() else "a hard link" if info.islnk()
                            else "a directory" if info.isdir() else "a device or FIFO")
                    raise InputError(f"the member is {kind}; a backup holds regular files only", where=where)
                if info.name in seen:
                    raise InputError("the member is in the archive twice", where=where)
                seen.add(info.name)
                fh = tar.extractfile(info)
                assert fh is not None  # a regular file always has one
                yield info, _MemberReader(fh, archive)
            assert tar.fileobj is not None
            while tar.fileobj.read(_CHUNK):
                pass
    except _DAMAGE as exc:
        raise _damaged_or_disk(archive, exc) from None


def _parse_manifest(data: bytes, archive: Path) -> BackupManifest:
    with pydantic_input(f"{archive}: {MANIFEST_NAME}", what="not a manifest this version can read",
                        hint="is this a backup made by `annotate backup`?"):
        return BackupManifest.model_validate_json(data)


def verify_backup(archive: Path, *, max_bytes: int | None = None) -> BackupManifest:
    """Read all of ``archive`` and check every member against its manifest; write nothing.

    :class:`InputError` naming the archive and member for: damage or truncation, a member name that could
    leave the restore directory, a link, directory or device member, a duplicate, a member missing from the
    archive or from the manifest, a size or sha256 that differs, and members that together unpack to more than
    ``max_bytes`` (checked on each member's header, before its content is read: a member claiming a petabyte
    is refused at once).
    """
    check_readable_file(archive, what="backup")
    found: dict[str, tuple[int, str]] = {}
    manifest_data: bytes | None = None
    total = 0
    for count, (info, fh) in enumerate(_members(archive), start=1):
        if count > MAX_MEMBERS:
            raise InputError(f"the archive holds more than {MAX_MEMBERS} members, more than any backup needs",
                             where=f"{archive}: {info.name!r}", hint="nothing was restored")
        total += info.size
        if max_bytes is not None and total > max_bytes:
            raise InputError(f"the archive unpacks to more than {max_bytes} bytes, the free space where it would "
                             f"be restored (this member alone is {info.size} bytes)", where=f"{archive}: {info.name!r}",
                             hint="free some space or restore elsewhere; nothing was restored")
        if info.name == MANIFEST_NAME:
            if info.size > MAX_MANIFEST_BYTES:
                raise InputError(f"the manifest is {info.size} bytes, more than any backup needs",
                                 where=f"{archive}: {MANIFEST_NAME}")
            manifest_data = fh.read()
        else:
            sha, size = _sha256_of(fh)
            found[info.name] = (size, sha)
    if manifest_data is None:
        raise InputError(f"no {MANIFEST_NAME} in the archive: not a backup made by `annotate backup`, "
                         "or cut short", where=str(archive))
    manifest = _parse_manifest(manifest_data, archive)
    listed = {m.path: m for m in manifest.members}
    unlisted, missing = sorted(found.keys() - listed.keys()), sorted(listed.keys() - found.keys())
    if unlisted:
        raise InputError("the member is not listed in the manifest", where=f"{archive}: {unlisted[0]!r}")
    if missing:
        raise InputError("the manifest lists this member but the archive does not hold it",
                         where=f"{archive}: {missing[0]!r}", hint="the archive was cut short or changed")
    for name, member in sorted(listed.items()):
        size, sha = found[name]
        if (size, sha) != (member.size, member.sha256):
            raise InputError(f"the member's content differs from the manifest (sha256 {sha}, "
                             f"{size} bytes; expected {member.sha256}, {member.size} bytes)",
                             where=f"{archive}: {name!r}", hint="the archive was changed or damaged")
    return manifest


# ---------------------------------------------------------------------------------------------- restoring


def _check_target(target: Path) -> bool:
    """Refuse a target that is not new or an empty directory; whether it must be created."""
    if not target.exists() and not target.is_symlink():
        return True
    if not target.is_dir():
        raise InputError("exists and is not a directory", where=str(target),
                         hint="restore into a new directory: --project NEW_DIR")
    if any(target.iterdir()):
        raise InputError("is not empty; a backup is restored only into a new or empty directory",
                         where=str(target), hint="choose a new directory: --project NEW_DIR")
    return False


def _copy_checked(src: _MemberReader, dst: IO[bytes], member: BackupMember, where: str) -> None:
    h = hashlib.sha256()
    while chunk := src.read(_CHUNK):
        h.update(chunk)
        dst.write(chunk)
    if h.hexdigest() != member.sha256:
        raise InputError("the member changed since it was checked", where=where,
                         hint="the archive was modified during the restore; run it again on a copy")


def _write_member(target: Path, member: BackupMember, fh: _MemberReader, where: str) -> Path:
    parts = _archive_parts(member.path, where)[1:]
    dest = target.joinpath(*parts)
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "wb") as out:
        _copy_checked(fh, out, member, where)
    return dest


def _undo(target: Path, created: bool) -> None:
    """Remove what a failed restore wrote (the directory too, when the restore made it)."""
    if created:
        remove_tree(target, best_effort=True)
        return
    for child in list(target.iterdir()):
        if child.is_dir() and not child.is_symlink():
            remove_tree(child, best_effort=True)
        else:
            child.unlink(missing_ok=True)


def free_space(target: Path) -> int:
    """The bytes a restore into ``target`` may unpack: the free space of its file system, or of the temporary
    folder the store dump goes through if that is smaller."""
    existing = target.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    return min(shutil.disk_usage(existing).free, shutil.disk_usage(tempfile.gettempdir()).free)


def restore_backup(archive: Path, target: Path, *, database_url: str | None = None) -> RestoreSummary:
    """Bring the project in ``archive`` back into ``target`` (new, or an empty directory).

    Every member is checked (:func:`verify_backup`, at most :func:`free_space` bytes) before anything is
    written; the store is loaded through :func:`annotate.store.dump.restore` (all or nothing; its database must
    be empty) into ``database_url`` if given (written into the restored ``project.json``), else the database
    the backed-up ``project.json`` names (by default ``annotate.db`` in ``target``).
    On any failure what was written is removed again.
    """
    manifest = verify_backup(archive, max_bytes=free_space(target))
    created = _check_target(target)
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    listed = {m.path: m for m in manifest.members}
    try:
        with tempfile.TemporaryFile() as dumped:
            for d in manifest.directories:
                if d.path:
                    target.joinpath(*_archive_parts(d.path, str(archive))).mkdir(parents=True, exist_ok=True,
                                                                                 mode=0o700)
            written: list[tuple[Path, BackupMember]] = []
            for info, fh in _members(archive):
                member = listed.get(info.name)
                where = f"{archive}: {info.name!r}"
                if info.name == MANIFEST_NAME:
                    continue
                if member is None:
                    raise InputError("the member changed since it was checked", where=where)
                if member.path == STORE_MEMBER:
                    _copy_checked(fh, dumped, member, where)
                else:
                    written.append((_write_member(target, member, fh, where), member))
            if database_url is not None:
                write_config(target, read_config(target).model_copy(update={"database_url": database_url}))
            project = open_project(target)
            try:
                dumped.seek(0)
                counts = restore(project.store(), dumped, name=f"{archive}: {STORE_MEMBER}")
                database = redact_url(project.database_url)
            finally:
                project.close()
        for path, member in written:
            os.utime(path, (member.mtime, member.mtime))
            os.chmod(path, member.mode)
        for d in sorted(manifest.directories, key=lambda d: d.path.count("/") + bool(d.path), reverse=True):
            if d.path or created:
                os.chmod(target.joinpath(*d.path.split("/")) if d.path else target, d.mode)
    except BaseException:
        _undo(target, created)
        raise
    return RestoreSummary(project_dir=target, database=database, manifest=manifest, store_counts=counts)
