"""The project directory: ``project.json`` (:class:`ProjectConfig`), optional ``taxonomy.json``, the SQLite file.

The directory comes from ``--project DIR``, else ``ANNOTATE_PROJECT``, else ``./annotate-project``. The
database is ``annotate.db`` inside it unless ``project.json`` names another URL; ``ANNOTATE_DATABASE_URL``
overrides both. :func:`read_config` is the one reader of ``project.json``, :func:`write_config` the one writer.
"""

from __future__ import annotations

import getpass
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .errors import ConfigError, pydantic_problems
from .redact import redact_url
from .store import Store
from .taxonomy import Taxonomy, default_taxonomy, load_taxonomy

CONFIG_FILE = "project.json"
TAXONOMY_FILE = "taxonomy.json"
DEFAULT_DB_FILE = "annotate.db"
DEFAULT_PROJECT_DIR = "annotate-project"
ENV_PROJECT = "ANNOTATE_PROJECT"
ENV_DATABASE_URL = "ANNOTATE_DATABASE_URL"
INIT_HINT = "run `annotate init` (or pass --project DIR for another project)"


class LabelStudioSettings(BaseModel):
    """The ``labelstudio`` section of ``project.json``. The API key is never kept here (only in the environment)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str | None = Field(default=None, description="Label Studio URL when neither --url nor LABEL_STUDIO_URL")
    project_title: str | None = Field(default=None, description="Title of the Label Studio project")
    users: dict[str, str] = Field(
        default_factory=dict,
        description='Label Studio e-mail -> annotator name, e.g. {"ali@example.org": "ali"} (e-mails compared '
        "case-insensitively)",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_api_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and "api_key" in data:
            raise ValueError("the API key is never kept in project.json; remove it and export LABEL_STUDIO_API_KEY")
        return data

    @field_validator("users")
    @classmethod
    def _emails_lower(cls, users: dict[str, str]) -> dict[str, str]:
        return {email.strip().lower(): name for email, name in users.items()}


class ProjectConfig(BaseModel):
    """``project.json``: the project's title, its database URL (else ``annotate.db``) and Label Studio settings."""

    model_config = ConfigDict(extra="allow")

    title: str | None = None
    database_url: str | None = None
    labelstudio: LabelStudioSettings = Field(default_factory=LabelStudioSettings)


def read_config(project_dir: str | Path) -> ProjectConfig:
    """Read ``project_dir/project.json``; :class:`ConfigError` naming the file and the field when it is bad."""
    import pydantic

    path = Path(project_dir) / CONFIG_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read project config: {exc}", hint="fix or delete the file") from None
    try:
        return ProjectConfig.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ConfigError(f"{path}: " + "; ".join(pydantic_problems(exc)), hint="fix the file") from None


def write_config(project_dir: str | Path, config: ProjectConfig) -> None:
    """Write ``project_dir/project.json``: the fields ``config`` was given (a field read from the file, or set, is
    kept even at its default; other tools' fields too), through a temporary file, keeping the file's mode."""
    path = Path(project_dir) / CONFIG_FILE
    text = json.dumps(config.model_dump(mode="json", exclude_unset=True), ensure_ascii=False, indent=2) + "\n"
    tmp = path.with_name(CONFIG_FILE + ".partial")
    tmp.write_text(text, encoding="utf-8")
    if path.exists():
        os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
    tmp.replace(path)


def resolve_project_dir(explicit: str | Path | None = None) -> Path:
    """The project directory: ``explicit``, else ``$ANNOTATE_PROJECT``, else ``./annotate-project``."""
    if explicit is not None:
        return Path(explicit)
    return Path(os.environ.get(ENV_PROJECT) or DEFAULT_PROJECT_DIR)


def default_actor() -> str:
    """Who is acting from the command line: ``$ANNOTATE_USER``, else the OS user name."""
    name = os.environ.get("ANNOTATE_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@dataclass
class Project:
    """An initialised project directory with its configuration."""

    path: Path
    title: str
    config_database_url: str | None
    _store: Store | None = field(default=None, repr=False)
    _taxonomy: Taxonomy | None = field(default=None, repr=False)

    @property
    def database_url(self) -> str:
        """The URL in force: ``$ANNOTATE_DATABASE_URL``, else ``project.json``, else ``annotate.db``."""
        env = os.environ.get(ENV_DATABASE_URL)
        if env:
            return env
        if self.config_database_url:
            return self.config_database_url
        return f"sqlite:///{(self.path / DEFAULT_DB_FILE).resolve()}"

    def taxonomy(self) -> Taxonomy:
        """The project's ``taxonomy.json`` if there is one, else the default news taxonomy."""
        if self._taxonomy is None:
            path = self.path / TAXONOMY_FILE
            self._taxonomy = load_taxonomy(path) if path.exists() else default_taxonomy()
        return self._taxonomy

    def store(self) -> Store:
        """The project store (opened once, tables created if missing)."""
        if self._store is None:
            store = Store(self.database_url, self.taxonomy())
            store.create_schema()
            self._store = store
        return self._store

    def close(self) -> None:
        """Close the store's connections."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def reload(self) -> None:
        """Close the store and forget the taxonomy read, e.g. after ``taxonomy.json`` was written."""
        self.close()
        self._taxonomy = None

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def is_initialised(path: str | Path) -> bool:
    """Whether ``path`` holds a ``project.json``."""
    return (Path(path) / CONFIG_FILE).is_file()


def require_project(path: str | Path) -> Path:
    """``path`` when it is an initialised project; :class:`ConfigError` with a hint to run ``annotate init``
    otherwise (for commands that read a project's files without opening its store)."""
    p = Path(path)
    if not is_initialised(p):
        raise ConfigError(f"{p} is not an annotate project (no {CONFIG_FILE})", hint=INIT_HINT)
    return p


def open_project(path: str | Path) -> Project:
    """Open an initialised project; :class:`ConfigError` with a hint to run ``annotate init`` otherwise."""
    p = require_project(path)
    cfg = read_config(p)
    return Project(path=p, title=cfg.title or p.resolve().name, config_database_url=cfg.database_url)


def init_project(path: str | Path, database_url: str | None = None, *, title: str | None = None) -> Project:
    """Create the project directory, ``project.json`` and the database tables; return the project.

    Initialising an existing project is a no-op that returns it, unless ``database_url`` names a different
    database than its ``project.json`` (then :class:`ConfigError`). The store is created and checked before
    ``project.json`` is written, so a bad URL leaves no half-made project behind.
    """
    p = Path(path)
    if is_initialised(p):
        project = open_project(p)
        if database_url is not None and database_url != project.config_database_url:
            raise ConfigError(
                f"{p} is already a project using {redact_url(project.database_url)}",
                hint=f"edit {p / CONFIG_FILE} to change its database, or choose another --project directory",
            )
        project.store()
        return project
    if p.exists() and not p.is_dir():
        raise ConfigError(f"{p} exists and is not a directory", hint="choose another --project directory")
    created_dir = not p.exists()
    p.mkdir(parents=True, exist_ok=True)
    project = Project(path=p, title=title or p.resolve().name, config_database_url=database_url)
    try:
        project.store()
    except Exception:
        project.close()
        if created_dir and not any(p.iterdir()):
            p.rmdir()
        raise
    given = {"title": project.title} if database_url is None else {"title": project.title, "database_url": database_url}
    write_config(p, ProjectConfig.model_validate(given))
    return project
