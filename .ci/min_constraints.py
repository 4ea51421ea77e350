"""Print a pip constraints file that pins every dependency to the minimum ``pyproject.toml`` declares.

``./dev test`` installs the package with these constraints into a separate venv (``.venv-min``) and runs the unit
tests there, so a floor that is not true fails CI. Every runtime dependency must have a ``>=`` floor; of the
``dev`` extra, the libraries the unit tests import are pinned too (not the linters, the type checker, browser
drivers or stubs).

Run: ``python .ci/min_constraints.py [pyproject.toml] > constraints.txt``; ``--unit-test-packages`` prints the
names of the ``dev`` libraries to install beside the package instead.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

DEV_FOR_UNIT_TESTS = frozenset(
    {"pytest", "hypothesis", "dateparser", "convertdate", "scikit-learn", "krippendorff", "nervaluate"}
)
"""The ``dev`` extra's libraries that the unit tests import."""

_REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?P<spec>[^;]*)(?:;.*)?$")
_FLOOR = re.compile(r">=\s*(?P<version>[0-9][0-9A-Za-z.+!-]*)")


def floors(pyproject: Path) -> dict[str, str]:
    """``{name: minimum}`` of the runtime dependencies and the unit tests' dev libraries; SystemExit naming a
    requirement that has no ``>=`` floor."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    requirements += [r for r in project["optional-dependencies"]["dev"] if _name(r) in DEV_FOR_UNIT_TESTS]
    out: dict[str, str] = {}
    for requirement in requirements:
        m = _REQUIREMENT.match(requirement.strip())
        floor = _FLOOR.search(m.group("spec")) if m else None
        if m is None or floor is None:
            raise SystemExit(f"{pyproject}: {requirement!r} declares no minimum version (name>=X)")
        out[_name(requirement)] = floor.group("version")
    return out


def _name(requirement: str) -> str:
    m = _REQUIREMENT.match(requirement.strip())
    return re.sub(r"[-_.]+", "-", m.group("name")).lower() if m else requirement


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] == "--unit-test-packages":
        print(" ".join(sorted(DEV_FOR_UNIT_TESTS)))
        return 0
    pyproject = Path(args[0]) if args else Path(__file__).resolve().parent.parent / "pyproject.toml"
    for name, version in sorted(floors(pyproject).items()):
        print(f"{name}=={version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
