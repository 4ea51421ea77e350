"""The label taxonomy: entity types, event types and the roles each event type allows.

A project carries its own taxonomy (``taxonomy.json`` in the project directory); without one it uses the default
for news in ``annotate/data/taxonomy.json``, which ``schemas/taxonomy.json`` mirrors.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import ConfigError, pydantic_problems

RoleTarget = Literal["entity", "date"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntityType(_Model):
    """A kind of named entity."""

    name: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    label: str
    description: str
    hotkey: str | None = Field(default=None, max_length=1)
    color: str = Field(default="#ffe08a", pattern=r"^#[0-9a-fA-F]{6}$")
    examples: list[str] = Field(default_factory=list)


class Role(_Model):
    """An event argument role and what it may point at."""

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    description: str
    targets: list[RoleTarget] = Field(min_length=1)
    entity_types: list[str] = Field(
        default_factory=list, description="Allowed entity types when targets has 'entity'; empty means any"
    )
    required: bool = Field(
        default=False,
        description="Core role of its event type: an event without it is listed as unfinished before submit "
        "(the annotator confirms when the text does not name it)",
    )

    def accepts(self, kind: str, entity_type: str | None = None) -> bool:
        """Whether a mention of ``kind`` (and, for entities, ``entity_type``) may fill this role."""
        if kind not in self.targets:
            return False
        return kind != "entity" or not self.entity_types or entity_type in self.entity_types

    def describe(self) -> str:
        """Human wording of the allowed targets, e.g. ``an entity (PER, ORG) or a date``."""
        parts = []
        if "entity" in self.targets:
            parts.append("an entity" + (f" ({', '.join(self.entity_types)})" if self.entity_types else ""))
        if "date" in self.targets:
            parts.append("a date")
        return " or ".join(parts)


class EventType(_Model):
    """A kind of event with its roles."""

    name: str = Field(pattern=r"^[A-Z][A-Za-z0-9_.]*$")
    label: str
    description: str
    hotkey: str | None = Field(default=None, max_length=1)
    color: str | None = Field(
        default=None, pattern=r"^#[0-9a-fA-F]{6}$",
        description="Colour of its triggers on a light page (the dark one is derived); none: a palette colour",
    )
    roles: list[Role]

    def role(self, name: str) -> Role | None:
        """The role called ``name``, or None."""
        return next((r for r in self.roles if r.name == name), None)

    def required_roles(self) -> list[str]:
        """Names of the roles flagged ``required``, in taxonomy order."""
        return [r.name for r in self.roles if r.required]


class Taxonomy(_Model):
    """Entity and event types for a project."""

    name: str
    version: str
    entity_types: list[EntityType]
    event_types: list[EventType]
    date_hotkey: str = Field(default="d", max_length=1)
    date_color: str = Field(default="#f2e38b", pattern=r"^#[0-9a-fA-F]{6}$",
                            description="Colour of date mentions on a light page (the dark one is derived)")

    @model_validator(mode="after")
    def _consistent(self) -> Taxonomy:
        names = [t.name for t in self.entity_types] + [t.name for t in self.event_types]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"type names used twice: {', '.join(sorted(dup))}")
        keys = [t.hotkey for t in self.entity_types if t.hotkey] + [t.hotkey for t in self.event_types if t.hotkey]
        keys.append(self.date_hotkey)
        dupk = {k for k in keys if keys.count(k) > 1}
        if dupk:
            raise ValueError(f"hotkeys used twice: {', '.join(sorted(dupk))}")
        known = {t.name for t in self.entity_types}
        for et in self.event_types:
            for r in et.roles:
                bad = [x for x in r.entity_types if x not in known]
                if bad:
                    raise ValueError(f"{et.name}.{r.name} names unknown entity types: {', '.join(bad)}")
        return self

    def has_entity_type(self, name: str) -> bool:
        return any(t.name == name for t in self.entity_types)

    def entity_names(self) -> list[str]:
        return [t.name for t in self.entity_types]

    def event_names(self) -> list[str]:
        return [t.name for t in self.event_types]

    def event_type(self, name: str) -> EventType | None:
        """The event type called ``name``, or None."""
        return next((t for t in self.event_types if t.name == name), None)


def load_taxonomy(path: Path) -> Taxonomy:
    """Read a taxonomy JSON file; errors name the file and the field."""
    import pydantic

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read taxonomy: {exc}") from None
    try:
        return Taxonomy.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ConfigError(f"{path}: invalid taxonomy: " + "; ".join(pydantic_problems(exc))) from None


@cache
def default_taxonomy() -> Taxonomy:
    """The built-in taxonomy for fa/prs/ar news."""
    text = resources.files("annotate").joinpath("data/taxonomy.json").read_text(encoding="utf-8")
    return Taxonomy.model_validate_json(text)
