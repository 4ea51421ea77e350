"""Shared fixtures: a temporary project, stores on SQLite and on a real PostgreSQL server, the seed corpus.

The PostgreSQL server is Debian's, started once per session with ``initdb`` + ``pg_ctl`` in a temporary directory,
listening only on 127.0.0.1 on a free port (as the ``postgres`` OS user when the tests run as root), and stopped
at the end. Each test gets a database of its own. Without the binaries, ``postgres`` tests are skipped, except
under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from builders import make_doc, put_gold, sample_gold
from shared_data import SEEDS, require

from annotate.models import AuthorKind, Document
from annotate.project import Project, init_project
from annotate.serve import free_port
from annotate.store import Store


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's project or database from the environment."""
    for var in ("ANNOTATE_PROJECT", "ANNOTATE_DATABASE_URL", "ANNOTATE_USER"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """An initialised project on SQLite in a temporary directory."""
    p = init_project(tmp_path / "project")
    yield p
    p.close()


@pytest.fixture
def sqlite_store(project: Project) -> Store:
    """The store of :func:`project` (SQLite, WAL)."""
    return project.store()


@pytest.fixture
def seeds_dir() -> Path:
    """The shared seed corpus (skipped without it; a failure under CI=true)."""
    require(SEEDS / "manifest.jsonl", "the seed corpus")
    return SEEDS


# ---------------------------------------------------------------------------------------------- PostgreSQL


@dataclass
class PostgresServer:
    """A running throw-away server; :meth:`new_database` gives each test a fresh database URL."""

    host: str
    port: int
    user: str
    _names: itertools.count[int]

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    def new_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(self._names)}"
        with psycopg.connect(
            host=self.host, port=self.port, user=self.user, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None



def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL server on 127.0.0.1 for this test session."""
    bindir = _pg_bindir()
    if bindir is None:
        _unavailable("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
    assert bindir is not None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _unavailable("psycopg is not installed (pip install 'psycopg[binary]')")
    prefix: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="annotate-pg-"))
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            _unavailable("running as root but runuser is missing")
        shutil.chown(base, user="postgres", group="postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, log = base / "data", base / "server.log"
    port = free_port()

    def run(*args: str) -> None:
        proc = subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            detail = proc.stderr.strip() or proc.stdout.strip()
            if log.exists():
                detail += "\n" + log.read_text(errors="replace")[-2000:]
            pytest.fail(f"{' '.join(args[:2])} failed: {detail}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
    opts = (
        f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
    )
    run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "-t", "60", "start")
    try:
        yield PostgresServer("127.0.0.1", port, "postgres", itertools.count())
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """URL of a fresh, empty PostgreSQL database."""
    return postgres_server.new_database()


def _make_store(kind: str, request: pytest.FixtureRequest, tmp_path: Path, name: str) -> Store:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / (name + '.db')}"
    else:
        url = request.getfixturevalue("postgres_server").new_database()
    store = Store(url)
    store.create_schema()
    request.addfinalizer(store.close)
    return store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_kind(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgres``: tests using it run on both databases."""
    return str(request.param)


@pytest.fixture
def store(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """An empty store with the default taxonomy, on SQLite and on PostgreSQL."""
    return _make_store(db_kind, request, tmp_path, "store")


@pytest.fixture
def store_factory(db_kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """Make further empty stores of the same kind (for restore targets and concurrent clients)."""
    counter = itertools.count()

    def make() -> Store:
        return _make_store(db_kind, request, tmp_path, f"extra{next(counter)}")

    return make


@pytest.fixture
def doc() -> Document:
    """A short Persian document with ZWNJ, Persian digits and a date in apposition."""
    return Document.create(
        "تهران - قاسم سلیمانی روز ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) در بغداد کشته شد.\u200cمی‌گویند",
        lang="fa",
        id="doc-fa-1",
        reference_date="2020-02-02",
    )


# ---------------------------------------------------------------------------------------------- released demo corpus


def build_demo_gold(path: Path) -> Project:
    """A project with the demo corpus (16 documents: 5 fa, 5 prs, 6 ar) whose gold is the date engine's dates and
    links plus each dateline's place as a GPE entity, and one annotator set (``sara``, submitted) per Arabic
    document; the engine's sets stay as they are (the ``suggestions`` of an export)."""
    from annotate.demo import setup_demo
    from annotate.models import GOLD_AUTHOR, AuthorKind, EntityMention
    from annotate.text.tokens import tokenize

    project = setup_demo(path, actor="test").project
    store = project.store()
    for document in store.documents.list():
        engine = store.sets.get(document.id, "dates-engine")
        s, e = tokenize(document.text, words_only=True)[0]
        place = EntityMention(id="e1", type="GPE", start=s, end=e, text=document.text[s:e])
        gold = engine.model_copy(update={"author": GOLD_AUTHOR, "author_kind": AuthorKind.gold, "revision": 0,
                                         "entities": [place], "metadata": {"adjudicated": "test"}})
        store.sets.save(gold, base_revision=0, actor="test")
        store.sets.set_status(document.id, GOLD_AUTHOR, "gold", actor="test")
        if document.lang == "ar":
            mine = engine.model_copy(update={"author": "sara", "author_kind": AuthorKind.human, "revision": 0})
            store.sets.save(mine, base_revision=0, actor="test")
            store.sets.set_status(document.id, "sara", "submitted", actor="test")
    return project


@pytest.fixture(scope="module")
def demo_gold_release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    """:func:`build_demo_gold` released as 0.1.0 (module-scoped: build once, never change it)."""
    from annotate.release.versions import create_release

    project = build_demo_gold(tmp_path_factory.mktemp("demo-gold") / "project")
    info = create_release(project.path, project.store(), project.taxonomy(), bump="minor", message="demo gold",
                          actor="test")
    yield project, info.version
    project.close()


# ---------------------------------------------------------------------------------------------- gold to release


@pytest.fixture
def gold_project(project: Project) -> Project:
    """A project with two gold documents (fa, ar) and one non-gold set (:func:`builders.sample_gold`)."""
    store = project.store()
    fa = make_doc("doc-fa-1")
    put_gold(store, fa, sample_gold(fa))
    ar = make_doc("doc-ar-1", lang="ar")
    put_gold(store, ar, sample_gold(ar))
    other = make_doc("doc-fa-2")
    store.documents.put([other], actor="test")
    store.sets.save(sample_gold(other).model_copy(update={"author": "ali", "author_kind": AuthorKind.human}),
                    base_revision=0, actor="test")
    return project
