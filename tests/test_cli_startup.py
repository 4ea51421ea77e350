"""The CLI starts without the heavy libraries: the root lists its commands from a table, and a command's module
(with SQLAlchemy, pydantic models, datasets, pyarrow, pandas, streamlit) is imported only when it runs.
Timings are in benchmarks/cli_startup.py; these tests check what is imported, which does not depend on load."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from annotate.cli import cli
from annotate.cli.base import COMMANDS

HEAVY = ("sqlalchemy", "pydantic", "datasets", "pyarrow", "pandas", "streamlit", "huggingface_hub",
         "label_studio_sdk", "annotate.store", "annotate.models")


def _imported_after(code: str, stdin: str = "") -> list[str]:
    """Modules imported by a fresh interpreter running ``code``, then printing ``sys.modules`` as JSON."""
    probe = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    done = subprocess.run([sys.executable, "-c", probe], input=stdin, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stderr.strip().splitlines()[-1]))


def _heavy(modules: list[str]) -> list[str]:
    return sorted({m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")})


def test_help_imports_no_heavy_library() -> None:
    code = "from annotate.cli import cli\ntry:\n    cli(['--help'])\nexcept SystemExit:\n    pass"
    assert _heavy(_imported_after(code)) == []


def test_dates_extract_imports_no_store_and_no_dataset_library() -> None:
    code = ("from annotate.cli import cli\ntry:\n    cli(['dates', 'extract', '-', '--lang', 'fa'])\n"
            "except SystemExit:\n    pass")
    heavy = _heavy(_imported_after(code, stdin="در ۱۰ بهمن ۱۳۹۸ گفت.\n"))
    assert all(m.split(".")[0] == "pydantic" or m == "annotate.models" for m in heavy), heavy


_COMPILED = ("from annotate.dates.patterns import _BUILT\n"
             "print(json.dumps({'langs': sorted(map(str, _BUILT)), 'exact': sorted(str(k) for k, p in _BUILT.items()"
             " if 'words' in vars(p)), 'taxonomy': 'annotate.taxonomy' in sys.modules}), file=sys.stderr)")


def _compiled_by(args: str, stdin: str) -> dict[str, object]:
    """What ``annotate dates extract ARGS`` compiled: the languages of its patterns, those whose exact word scan
    was compiled too, and whether it loaded the taxonomy."""
    code = (f"import sys, json\nfrom annotate.cli import cli\ntry:\n    cli({args})\nexcept SystemExit:\n    pass\n"
            + _COMPILED)
    done = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stderr.strip().splitlines()[-1]))


def test_dates_extract_compiles_only_the_languages_it_meets(tmp_path: Path) -> None:
    one = _compiled_by("['dates', 'extract', '-', '--lang', 'fa']", "در ۱۰ بهمن ۱۳۹۸ و 30 ژانویه 2020 گفت.\n")
    assert one == {"langs": ["fa"], "exact": [], "taxonomy": False}
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": f"d{i}", "text": text, "lang": lang}, ensure_ascii=False) + "\n"
                            for i, (text, lang) in enumerate([("في 10 ديسمبر 2017", "ar"), ("۵ حمل ۱۴۰۲", "prs")])),
                    encoding="utf-8")
    assert _compiled_by(f"['dates', 'extract', {str(docs)!r}]", "")["langs"] == ["ar", "prs"]
    beyond = _compiled_by("['dates', 'extract', '-', '--lang', 'fa']", "\U0001d400ژانویه 2020\n")
    assert beyond["exact"] == ["fa"]  # a word scan match beyond the BMP: the exact scan decides


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_summary_is_the_command_help(name: str) -> None:
    command = COMMANDS[name].load()
    assert command.name == name or name == "import"
    for limit in (45, 60, 1000):
        assert command.get_short_help_str(limit) == _shortened(COMMANDS[name].summary, limit), (name, limit)


def _shortened(summary: str, limit: int) -> str:
    import textwrap

    return summary if len(summary) <= limit else textwrap.shorten(summary, limit, placeholder="...",
                                                                   break_on_hyphens=False)


def test_root_help_lists_every_command_as_click_would() -> None:
    lazy = CliRunner().invoke(cli, ["--help"], prog_name="annotate").output
    eager = click.Group("annotate", params=cli.params, help=cli.help,
                        context_settings={"help_option_names": ["-h", "--help"]})
    for name, spec in COMMANDS.items():
        eager.add_command(spec.load(), name)
    assert lazy == CliRunner().invoke(eager, ["--help"], prog_name="annotate").output
