"""The exported lm-evaluation-harness task run by the real lm-eval 0.4.x, in its own venv (``.lm-eval-venv``).

``./dev test`` installs it (``tests/lm_eval_harness/requirements.txt``). Without it these tests are skipped, except
under ``CI=true``, where that is a failure. Each run is offline (``HF_DATASETS_OFFLINE``, ``HF_HUB_OFFLINE``), from a
working directory that is neither the repository nor the export, on an export that was moved after it was written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotate.cli import cli
from annotate.project import Project
from annotate.release.export import export_release
from annotate.release.harness import task_name
from annotate.release.versions import release_path

REPO = Path(__file__).resolve().parents[1]
HARNESS = Path(__file__).resolve().parent / "lm_eval_harness"
TASK = task_name("annotate-gold")


@pytest.fixture(scope="module")
def lm_eval_python() -> Path:
    venv = Path(os.environ.get("ANNOTATE_LM_EVAL_VENV", REPO / ".lm-eval-venv"))
    python = venv / "bin" / "python"
    if not (venv / "bin" / "lm_eval").is_file():
        msg = f"lm-eval is not installed in {venv}; run ./dev test (or the lm_eval_venv step of ./dev)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg)
        pytest.skip(msg)
    return python


@pytest.fixture(scope="module")
def moved_export(demo_gold_release: tuple[Project, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo gold exported with ``--repo`` into one directory, then moved to another."""
    project, v = demo_gold_release
    first = tmp_path_factory.mktemp("written") / "news-dates"
    export_release(release_path(project.path, v), first, hub_repo="my-org/news-dates")
    moved = tmp_path_factory.mktemp("moved") / "elsewhere"
    shutil.move(str(first), moved)
    return moved


def run_lm_eval(python: Path, export: Path, model: str, workdir: Path) -> tuple[dict[str, object], Path]:
    """Run the task in the lm-eval venv from ``workdir``; return the task's results and the samples file."""
    out = workdir / f"results-{model}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "PYTHON"))}
    env.update(HF_DATASETS_OFFLINE="1", HF_HUB_OFFLINE="1", HF_DATASETS_CACHE=str(workdir / "hf-cache"),
               HF_HOME=str(workdir / "hf-home"), TOKENIZERS_PARALLELISM="false")
    # lm-eval's own command for its own models; the runner that registers the test-only model for ours
    entry = [str(python.parent / "lm_eval")] if model == "dummy" else [str(python), str(HARNESS / "run_lm_eval.py")]
    cmd = [*entry, "run", "--model", model, "--tasks", TASK, "--include_path", str(export / "lm_eval"),
           "--output_path", str(out), "--log_samples"]
    proc = subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    results = json.loads(next(out.rglob("results_*.json")).read_text(encoding="utf-8"))
    return results["results"][TASK], next(out.rglob(f"samples_{TASK}_*.jsonl"))


@pytest.mark.parametrize(("model", "expected"), [("annotate-gold-answers", 1.0), ("dummy", 0.0)])
def test_task_runs_offline_from_anywhere_after_a_move(lm_eval_python: Path, moved_export: Path, tmp_path: Path,
                                                      model: str, expected: float) -> None:
    workdir = tmp_path / "somewhere-else"
    workdir.mkdir()
    task, samples = run_lm_eval(lm_eval_python, moved_export, model, workdir)
    assert task["exact_match,remove_whitespace"] == expected
    lines = [json.loads(x) for x in samples.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 15 and all(x["doc"]["answer"] for x in lines)  # the test split's answerable dates
    # annotate eval reads the logged samples directly and agrees with lm-eval
    r = CliRunner().invoke(cli, ["eval", "--gold", str(moved_export), "--pred", str(samples), "--json"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.output)
    assert result["split"] == "test" and result["dates"]["value_accuracy"] == expected
    assert result["dates"]["counts"]["relaxed_gold"] == 15
    assert result["entities"] is None and result["links"] is None  # not predicted, not zero


def test_both_task_files_are_indexed_and_torch_is_absent(lm_eval_python: Path, moved_export: Path) -> None:
    script = (
        "import importlib.util, json, sys\n"
        "from lm_eval.tasks import TaskManager\n"
        f"tm = TaskManager(include_path={str(moved_export / 'lm_eval')!r})\n"
        "print(json.dumps({'tasks': sorted(t for t in tm.all_tasks if t.startswith('annotate_gold')),"
        " 'torch': importlib.util.find_spec('torch') is not None}))\n"
    )
    proc = subprocess.run([str(lm_eval_python), "-c", script], capture_output=True, text=True, timeout=300,
                          check=False, env={**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"tasks": [TASK, f"{TASK}_hub"], "torch": False}
