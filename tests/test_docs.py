"""Docs are part of the product: every command has help with an example and appears in the README."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from annotate.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out: list[tuple[str, click.Command]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # click's API: the root group loads its commands lazily
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        full = f"{prefix}{name}"
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, full + " "))
        else:
            out.append((full, cmd))
    return out


COMMANDS = _commands(cli)


def test_there_are_commands() -> None:
    assert len(COMMANDS) >= 2


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_command_has_help_with_example(name: str, command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`annotate {name} --help` has no Example block"
    assert (command.help or "").strip(), f"`annotate {name}` has no help text"


@pytest.mark.parametrize("name", [n for n, _ in COMMANDS])
def test_command_is_documented_in_readme(name: str) -> None:
    assert f"annotate {name}" in README, f"`annotate {name}` is missing from README.md"


def test_readme_starts_with_a_two_command_quickstart() -> None:
    block = re.search(r"## Quickstart\s+```bash\n(.*?)```", README, re.S)
    assert block, "README has no Quickstart code block"
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["./dev app", "./dev test"]


def test_ci_runs_the_readme_test_command() -> None:
    assert "./dev test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
