"""The README's walk-through runs as written, and the app's pages show what its screenshots show.

The blocks are read from README.md by ``scripts/walkthrough.py`` (never copied here) and run by bash in a fresh
folder with the real ``annotate`` on ``PATH``; ``annotate serve`` runs for real from the block that starts it; the
annotators' work is done through the app's workspace functions; ``annotate publish`` talks to the fake Hub of
``fake_hub.py``. ``scripts/screenshots.py`` drives the run: at the steps its screenshots illustrate, headless
Chromium opens each page and reads its title and main controls, which must be what ``SHOTS`` records.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from chromium import CHROMIUM, require_chromium
from click.testing import CliRunner
from fake_hub import COMMIT, FakeHub, serving_fake_hub

from annotate.cli import cli
from annotate.models import ENGINE_AUTHOR, GOLD_AUTHOR, AnnotationStatus
from annotate.project import open_project

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import screenshots  # noqa: E402
import walkthrough  # noqa: E402

STEPS = [
    ("init",), ("users", "add"), ("import",), ("prelabel",), ("assign",), ("serve",), ("agreement",),
    ("adjudicate",), ("release", "create"), ("export",), ("publish",), ("backup",), ("restore-backup",),
]
"""The steps the issue asks the walk-through to show, in this order."""


@dataclass
class Walked:
    """One run of the whole walk-through: its folder, runner, the fake Hub, and what each page showed."""

    workdir: Path
    runner: walkthrough.Runner
    hub: FakeHub
    seen: dict[str, screenshots.Seen] = field(default_factory=dict)


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Walked]:
    """The walk-through run once for the module, against a fake Hub, with Chromium when it is installed."""
    workdir = tmp_path_factory.mktemp("walkthrough")
    seen: dict[str, screenshots.Seen] = {}

    def record(shot: screenshots.Shot, what: screenshots.Seen, page: Any) -> None:
        seen[shot.name] = what

    with serving_fake_hub() as (hub, url):
        env = {"HF_ENDPOINT": url, "HF_TOKEN": "hf_fake_token_for_tests", "HF_DATASETS_OFFLINE": "1"}
        if Path(CHROMIUM).exists():
            from playwright.sync_api import sync_playwright

            with sync_playwright() as p:
                browser = screenshots.launch(p)
                try:
                    runner = screenshots.walk(workdir, browser, record, env=env)
                finally:
                    browser.close()
        else:
            runner = screenshots.walk(workdir, None, record, env=env)
        yield Walked(workdir, runner, hub, seen)


def test_the_walkthrough_shows_every_step_in_order() -> None:
    blocks = walkthrough.blocks()
    first = {step: next((b.index for b in blocks if b.runs(*step)), None) for step in STEPS}
    assert [s for s, i in first.items() if i is None] == []
    order = [first[s] for s in STEPS]
    assert order == sorted(order), f"steps out of order: {dict(zip(STEPS, order, strict=True))}"


def test_block_parsing_keeps_headings_and_commands() -> None:
    text = ("# x\n## Walk-through\n### 1. One\n```bash\nannotate init  # c\nexport A=1\n```\n"
            "```python\nannotate no\n```\n### 2. Two\n```bash\nannotate serve --port 9 \\\n  --address 0.0.0.0\n"
            "for d in $(annotate docs list | cut -f1); do annotate adjudicate \"$d\" --auto; done\n```\n"
            "## Next\n```bash\nannotate never\n```\n")
    blocks = walkthrough.blocks(text)
    assert [(b.heading, b.commands()) for b in blocks] == [
        ("1. One", [["annotate", "init"]]),
        ("2. Two", [["annotate", "serve", "--port", "9", "--address", "0.0.0.0"], ["annotate", "docs", "list"],
                    ["annotate", "adjudicate", "$d", "--auto"]]),
    ]
    assert walkthrough.serve_args(blocks[1]) == ["--address", "0.0.0.0"]


@pytest.mark.browser  # the walk-through drives Chromium for the app steps (not in the minimum-versions venv)
def test_the_walkthrough_runs_as_written(walked: Walked) -> None:
    log, project_dir = "\n".join(walked.runner.log), walked.runner.project_dir()
    assert project_dir == walked.workdir / "news"
    assert "6 documents: 6 added, 0 unchanged, 0 replaced, 0 refused; 0 errors" in log
    assert "ar (detected:" in log  # the manifest's Arabic line gives no lang
    assert "compared (2+ annotators): 3" in log
    assert "released 1.0.0: 6 documents" in log and "release 1.0.0 verifies" in log
    assert "num_rows" in log  # datasets loaded the export
    # Publish reached the (fake) Hub with every file of the export, tagged.
    export = project_dir / "exports" / "annotate-gold" / "1.0.0"
    assert walked.hub.tags == {"v1.0.0": COMMIT}
    assert walked.hub.files == {p.relative_to(export).as_posix(): p.read_bytes()
                                for p in export.rglob("*") if p.is_file()}
    # Both annotators submitted what they were given; every document has a gold set.
    project = open_project(project_dir)
    try:
        store = project.store()
        submitted = {(s.doc_id, s.author) for s in store.sets.list()
                     if s.status is AnnotationStatus.submitted and s.author != ENGINE_AUTHOR}
        assert submitted == {(a.doc_id, a.annotator) for a in store.assignments.list()}
        gold = store.sets.list(author=GOLD_AUTHOR)
        assert {s.doc_id for s in gold} == {d.id for d in store.documents.list()}
        assert {s.status for s in gold} == {AnnotationStatus.gold}
    finally:
        project.close()
    # The backup step restored the same store.
    dumps = [CliRunner().invoke(cli, ["--project", str(p), "dump"]).stdout
             for p in (project_dir, walked.workdir / "news-restored")]
    assert dumps[0] == dumps[1] and len(dumps[0].splitlines()) > 50
    assert json.loads((walked.workdir / "agreement.json").read_text(encoding="utf-8"))


@pytest.mark.browser
@pytest.mark.parametrize("shot", screenshots.SHOTS, ids=[s.name for s in screenshots.SHOTS])
def test_each_page_shows_the_title_and_controls_of_its_screenshot(walked: Walked, shot: screenshots.Shot) -> None:
    """A page that changes its title or main controls fails here until SHOTS and the screenshots are redone
    (``.venv/bin/python scripts/screenshots.py``)."""
    require_chromium()
    assert screenshots.differences(shot, walked.seen[shot.name]) == []
    assert (screenshots.OUT / f"{shot.name}.png").is_file()
    assert f"(docs/screenshots/{shot.name}.png)" in walkthrough.README.read_text(encoding="utf-8")


def test_a_changed_title_or_a_missing_control_is_a_difference() -> None:
    shot = screenshots.SHOTS[0]
    assert screenshots.differences(shot, screenshots.Seen(shot.title, shot.controls)) == []
    kind, label = shot.controls[-1]
    assert screenshots.differences(shot, screenshots.Seen("Renamed", shot.controls[:-1])) == [
        f"{shot.name}: title 'Renamed', recorded {shot.title!r}", f"{shot.name}: no {kind} {label!r}"]
