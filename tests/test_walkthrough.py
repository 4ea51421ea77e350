"""The README's walk-through runs as written: every ``bash`` block of the section, in order, in a fresh folder.

The blocks are read from README.md by ``scripts/walkthrough.py`` (never copied here), run by bash with the real
``annotate`` on ``PATH``; ``annotate serve`` is started for real on a free port, the annotators' work is done
through the app's workspace functions, and ``annotate publish`` talks to the fake Hub of ``test_publish``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from serving import get, serving
from test_publish import COMMIT, FakeHub, fake_hub  # noqa: F401

from annotate.models import GOLD_AUTHOR, AnnotationStatus
from annotate.project import open_project

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import walkthrough  # noqa: E402

STEPS = [
    ("init",), ("users", "add"), ("import",), ("prelabel",), ("assign",), ("serve",), ("agreement",),
    ("adjudicate",), ("release", "create"), ("export",), ("publish",), ("backup",), ("restore-backup",),
]
"""The steps the issue asks the walk-through to show, in this order."""


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


def test_the_walkthrough_runs_as_written(tmp_path: Path, fake_hub: tuple[FakeHub, str]) -> None:  # noqa: F811
    hub, _ = fake_hub
    walkthrough.prepare(tmp_path)
    runner = walkthrough.Runner.create(tmp_path, {"HF_DATASETS_OFFLINE": "1"})
    out: dict[str, str] = {}
    annotated: dict[str, list[str]] = {}
    for block in walkthrough.blocks():
        out[block.heading] = runner.run(block)
        if block.runs("serve"):
            args = [*walkthrough.serve_args(block), "--no-browser"]
            with serving(["--project", str(runner.project_dir())], tmp_path / "serve.log",
                         serve_args=tuple(args)) as (_, url):
                assert get(url + "_stcore/health") == (200, "ok")
            annotated = walkthrough.people_annotate(runner.project_dir())
    log = "\n".join(runner.log)

    project_dir = runner.project_dir()
    assert project_dir == tmp_path / "news"
    assert annotated == {"omid": ["news-ar-water", "news-prs-road", "wire-ar-train", "wire-fa-snow"],
                         "sara": ["news-ar-water", "news-fa-bridge", "wire-ar-train", "wire-fa-snow",
                                  "wire-prs-seeds"]}
    assert "6 documents: 6 added, 0 unchanged, 0 replaced, 0 refused; 0 errors" in log
    assert "ar (detected:" in log  # the manifest's Arabic line gives no lang
    assert "compared (2+ annotators): 3" in log
    assert "released 1.0.0: 6 documents" in log and "release 1.0.0 verifies" in log
    assert "'dates'" in log or "num_rows" in log  # datasets loaded the export
    # Publish reached the (fake) Hub with every file of the export, tagged.
    export = project_dir / "exports" / "annotate-gold" / "1.0.0"
    assert hub.tags == {"v1.0.0": COMMIT}
    assert hub.files == {p.relative_to(export).as_posix(): p.read_bytes() for p in export.rglob("*") if p.is_file()}
    # Every document has a gold set; the backup restored the same store.
    project = open_project(project_dir)
    try:
        store = project.store()
        gold = store.sets.list(author=GOLD_AUTHOR)
        assert {s.doc_id for s in gold} == {d.id for d in store.documents.list()}
        assert {s.status for s in gold} == {AnnotationStatus.gold}
    finally:
        project.close()
    from click.testing import CliRunner

    from annotate.cli import cli
    dumps = [CliRunner().invoke(cli, ["--project", str(p), "dump"]).stdout for p in (project_dir,
                                                                                   tmp_path / "news-restored")]
    assert dumps[0] == dumps[1] and json.loads(dumps[0].splitlines()[0])
    assert (tmp_path / "agreement.json").is_file() and json.loads((tmp_path / "agreement.json").read_text())

