"""The lm-evaluation-harness task written into every export (``lm_eval/``), for lm-eval 0.4.x.

``lm_eval/<task>.yaml`` reads the ``dates`` config of the export directory it lies in: its ``custom_dataset`` is a
``!function`` of ``lm_eval/dataset.py``, which lm-eval imports from beside the YAML and which finds the Parquet
files from its own location. So the task runs with ``HF_DATASETS_OFFLINE=1``, from any working directory and after
the directory is moved. With a Hub repository, ``lm_eval/<task>_hub.yaml`` reads the same config from the Hub,
pinned to the ``vVERSION`` tag. Both evaluate the split that exists (``test``, else ``validation``, else
``train``; :func:`eval_split`), keep only dates with a Gregorian answer (``process_docs``) and score exact match
after lm-eval's ``remove_whitespace`` filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from .layout import data_file

LM_EVAL_DIR = "lm_eval"
LOADER = "dataset.py"
EVAL_ORDER = ("test", "validation", "train")

_LOADER_SOURCE = '''"""Data of the lm-evaluation-harness task beside this file: the `dates` config of this export.

The export directory is found from this file's own location, so the task runs from any working directory and
after the directory is moved; nothing is downloaded (it works with HF_DATASETS_OFFLINE=1).
"""

from pathlib import Path

import datasets

EXPORT_DIR = Path(__file__).resolve().parent.parent
SPLITS = {splits!r}


def load(**_metadata):
    """The `dates` config as a DatasetDict (lm-eval passes the task metadata as keywords: not needed here)."""
    files = {{split: str(EXPORT_DIR / path) for split, path in SPLITS.items()}}
    return datasets.load_dataset("parquet", data_files=files)


def answerable(dataset):
    """Only the dates with a Gregorian answer (a date nobody could resolve is not a question)."""
    return dataset.filter(lambda row: bool(row["answer"]))
'''


def task_name(name: str) -> str:
    """The lm-eval task name of the export called ``name``."""
    return name.replace("-", "_").replace("/", "_").replace(".", "_") + "_dates"


def eval_split(splits: Sequence[str]) -> str | None:
    """The split the task evaluates: ``test`` if the ``dates`` config has it, else ``validation``, else ``train``."""
    return next((s for s in EVAL_ORDER if s in splits), None)


PROMPT = (
    "Reference date: {{reference_date}}\nText: {{marked_context}}\n"
    "What Gregorian date does [[{{surface}}]] denote? Answer YYYY-MM-DD, or START/END for a month or "
    "year.\nAnswer:"
)


def _task(version: str, *, name: str, splits: Sequence[str], hub_repo: str | None) -> str:
    evaluated = eval_split(splits)
    task: dict[str, Any] = {
        "task": task_name(name) + ("_hub" if hub_repo else ""),
        "tag": ["temporal-normalization"],
        "test_split": evaluated,
        "output_type": "generate_until",
        "doc_to_text": PROMPT,
        "doc_to_target": "{{answer}}",
        "target_delimiter": " ",
        "generation_kwargs": {"until": ["\n"], "do_sample": False},
        "filter_list": [{"name": "remove_whitespace", "filter": [{"function": "remove_whitespace"},
                                                                 {"function": "take_first"}]}],
        "metric_list": [{"metric": "exact_match", "aggregation": "mean", "higher_is_better": True,
                         "ignore_case": True, "ignore_punctuation": False}],
        "metadata": {"version": 1.0, "dataset_version": version},
    }
    if evaluated == "test" and "validation" in splits:
        task["validation_split"] = "validation"
    if "train" in splits and evaluated != "train":
        task["fewshot_split"] = "train"
    if hub_repo:
        task.update({"dataset_path": hub_repo, "dataset_name": "dates", "dataset_kwargs": {"revision": f"v{version}"}})
        head = (f"# lm-evaluation-harness task over the `dates` config of {hub_repo} v{version} (Hub, pinned).\n"
                f"# Offline, use {task_name(name)}.yaml beside this file: it reads this export directory.\n")
    else:
        head = (f"# lm-evaluation-harness task over the `dates` config of {name} {version}.\n"
                "# Reads the Parquet files of the export directory this file lies in (see dataset.py), offline,\n"
                "# from any working directory: lm_eval run --tasks "
                f"{task_name(name)} --include_path PATH/TO/EXPORT/lm_eval ...\n")
    if evaluated is None:
        head += "# The dates config has no rows in this version: lm-eval cannot run this task.\n"
    body = yaml.safe_dump(task, allow_unicode=True, sort_keys=True, width=100)
    body += "process_docs: !function dataset.answerable\n"
    if not hub_repo:
        body += "custom_dataset: !function dataset.load\n"
    return head + body


def lm_eval_files(version: str, *, name: str, hub_repo: str | None, splits: Sequence[str]) -> dict[str, str]:
    """Relative path -> content of the ``lm_eval/`` files of an export (``splits``: those ``dates`` has)."""
    loader = _LOADER_SOURCE.format(splits={s: data_file("dates", s) for s in splits})
    out = {
        f"{LM_EVAL_DIR}/{LOADER}": loader,
        f"{LM_EVAL_DIR}/{task_name(name)}.yaml": _task(version, name=name, splits=splits, hub_repo=None),
    }
    if hub_repo:
        out[f"{LM_EVAL_DIR}/{task_name(name)}_hub.yaml"] = _task(version, name=name, splits=splits,
                                                                 hub_repo=hub_repo)
    return out
