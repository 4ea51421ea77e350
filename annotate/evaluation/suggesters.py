"""``annotate suggest eval``: the suggesters scored on a release, with ``annotate eval``'s entity and trigger metrics.

The tagger and the string matcher are trained on the gold of the release's other splits (``train`` and
``validation``) and scored on the gold of ``split`` with :func:`annotate.evaluation.scoring.score` (entities:
nervaluate's strict, exact, partial and type; events: ACE trigger identification and classification). Nothing
from the scored split reaches training, and the result does not depend on what the project's annotators did
since the release. ``current=True`` scores the project's model in use instead (and its string matcher as it
stands), after checking that the model saw none of the scored documents.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from ..errors import InputError, NotFound
from ..models import AnnotationSet, Document
from ..release.versions import list_versions
from ..store import Store
from ..suggest.forms import Tokenized
from ..suggest.matcher import Example, Match, build_matcher
from ..suggest.registry import current_model
from ..suggest.run import project_matcher
from ..suggest.tagger import Tagger, train_tagger
from ..suggest.training import ProjectSets
from .scoring import Pred, read_gold, score

__all__ = ["SUGGESTERS", "evaluate_suggesters", "format_suggest_report", "latest_release"]

SUGGESTERS: Final = ("string matcher", "tagger")
TRAIN_SPLITS: Final = ("train", "validation")
_ROWS: Final = (("entities", "strict"), ("entities", "exact"), ("entities", "partial"), ("entities", "type"),
                ("events", "trigger_identification"), ("events", "trigger_classification"))


def latest_release(project_dir: str | Path) -> str:
    """The newest released version; :class:`NotFound` when there is none."""
    versions = list_versions(project_dir)
    if not versions:
        raise NotFound("the project has no release to evaluate on",
                       hint="create one with `annotate release create --bump minor -m MESSAGE`")
    return versions[-1]


def _preds(docs: Mapping[str, tuple[Document, AnnotationSet]], fn: Callable[[Document, Tokenized], list[Match]]
           ) -> dict[str, Pred]:
    out = {}
    for doc_id, (doc, _gold) in docs.items():
        found = fn(doc, Tokenized.of(doc.text))
        out[doc_id] = Pred(entities=[(m.start, m.end, m.type) for m in found if m.layer == "entity"],
                           triggers=[(m.start, m.end, m.type) for m in found if m.layer == "event"])
    return out


def evaluate_suggesters(project_dir: str | Path, *, release: str | None = None, split: str = "test",
                        current: bool = False, store: Store | None = None) -> dict[str, Any]:
    """Score the string matcher and the tagger on ``split`` of ``release`` (the latest when None).

    Returns ``{"release", "split", "documents", "trained_on", "model_version", "seconds", "scores": {suggester:
    scoring result}}``.
    """
    version = release or latest_release(project_dir)
    gold = read_gold(version, project_dir)
    scored = gold.only(split)
    if not scored:
        raise NotFound(f"release {version} has no documents in split {split!r}",
                       hint=f"splits there: {', '.join(sorted(set(gold.splits.values())))}")
    started = time.perf_counter()
    if current:
        if store is None:
            raise InputError("scoring the model in use needs the project's store", where="current")
        tagger = current_model(project_dir, store)
        if tagger is None:
            raise NotFound("no model was trained in this project", hint="run `annotate suggest train` first")
        seen = sorted(set(tagger.meta.get("documents", [])) & set(scored))
        if seen:
            raise InputError(f"model {tagger.version} was trained on {len(seen)} of the {split} documents "
                             f"({', '.join(seen[:5])}{' ...' if len(seen) > 5 else ''}): its score would be "
                             "meaningless", where="current",
                             hint="score a model trained on the other splits: leave out --current")
        matcher = project_matcher(ProjectSets.read(store))
        trained_on = len(tagger.meta.get("documents", []))
        result = _score(scored, matcher.suggest, tagger)
        model_version = tagger.label
    else:
        examples = [Example(doc, g) for doc_id, (doc, g) in gold.documents.items()
                    if gold.splits[doc_id] in TRAIN_SPLITS and doc_id not in scored]
        if not examples:
            raise NotFound(f"release {version} has no documents in {' or '.join(TRAIN_SPLITS)} to train on")
        matcher = build_matcher(examples)
        with tempfile.TemporaryDirectory(prefix="annotate-suggest-eval-") as tmp:
            tagger = train_tagger(examples, Path(tmp) / "model")
            result = _score(scored, matcher.suggest, tagger)
        trained_on = len({ex.document.id for ex in examples})
        model_version = f"{tagger.label} (trained for this evaluation, not kept)"
    return {"release": version, "split": split, "documents": len(scored), "trained_on": trained_on,
            "model_version": model_version, "seconds": round(time.perf_counter() - started, 2), "scores": result}


def _score(scored: Mapping[str, tuple[Document, AnnotationSet]],
           matcher: Callable[[Document, Tokenized], list[Match]], tagger: Tagger) -> dict[str, Any]:
    layers = {"entities", "events"}
    return {"string matcher": score(scored, _preds(scored, matcher), layers),
            "tagger": score(scored, _preds(scored, tagger.predict), layers)}


def format_suggest_report(result: Mapping[str, Any]) -> str:
    """The two suggesters side by side: P, R and F1 per metric, overall and per language."""
    head = (f"release {result['release']}, split {result['split']}: {result['documents']} documents scored; "
            f"trained on {result['trained_on']} documents; {result['model_version']}")
    lines = [head]

    def block(title: str, per: Mapping[str, Mapping[str, Any]]) -> None:
        lines.append(f"{title:<34}" + "".join(f"{name:^27}" for name in SUGGESTERS))
        for layer, metric in _ROWS:
            cells = []
            for name in SUGGESTERS:
                m = per[name][layer][metric]
                cells.append(f"P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}")
            name = f"{'entity' if layer == 'entities' else 'event'} {metric.replace('_', ' ')}"
            lines.append(f"  {name:<32}" + "".join(f"{c:^27}" for c in cells))

    scores = result["scores"]
    block(f"overall ({result['documents']} documents)", scores)
    for lang in scores["tagger"]["by_language"]:
        per = {name: scores[name]["by_language"][lang] for name in SUGGESTERS}
        block(f"language {lang} ({per['tagger']['documents']} documents)", per)
    return "\n".join(lines)
