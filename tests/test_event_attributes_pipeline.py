"""Event modality, polarity and tense across the whole pipeline, through the command line as a lead runs it.

Two annotators mark the same Arabic report (a planned withdrawal, a denied strike, a statement); ``annotate
agreement`` compares their attributes, ``annotate adjudicate --auto`` takes what they agree on into gold,
``annotate release create`` freezes it, ``annotate export`` writes it, ``datasets`` loads it offline, and
``annotate eval`` scores a system's attributes against it.  Each stage has its own tests; this one checks the
hand-offs between them: an attribute set by an annotator is the one the scorer reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotate.annotation import editing
from annotate.cli import cli
from annotate.models import GOLD_AUTHOR, AnnotationSet, Document
from annotate.project import Project

TEXT = ("قالت وزارة الدفاع إن القوات الأجنبية ستنسحب من معسكر النصر الشهر المقبل، "
        "ونفى الجيش أنه قصف مستشفى الكندي.")
DOC = Document.create(TEXT, lang="ar", id="ar-attr", reference_date="2024-03-05")


def span(sub: str) -> tuple[int, int]:
    start = TEXT.index(sub)
    return start, start + len(sub)


def annotator_set(project: Project, name: str, statement_tense: str) -> None:
    """``name``'s submitted set: the withdrawal is planned (other, future), the strike denied (negative, past), the
    statement asserted with ``statement_tense``; the two facilities fill origin and target."""
    ctx = editing.EditContext(DOC, project.store().taxonomy)
    a = AnnotationSet(doc_id=DOC.id, author=name)
    for sub, type_ in (("وزارة الدفاع", "ORG"), ("معسكر النصر", "FAC"), ("مستشفى الكندي", "FAC")):
        a = editing.add_entity(ctx, a, *span(sub), type_)
    ents = {e.text: e.id for e in a.entities}
    events = (("قالت", "STATEMENT", "speaker", "وزارة الدفاع", {"tense": statement_tense}),
              ("ستنسحب", "WITHDRAWAL", "origin", "معسكر النصر", {"modality": "other", "tense": "future"}),
              ("قصف", "ATTACK", "target", "مستشفى الكندي", {"polarity": "negative", "tense": "past"}))
    for trigger, type_, role, filler, attributes in events:
        a = editing.add_event(ctx, a, *span(trigger), type_)
        event_id = a.events[-1].id
        a = editing.add_argument(ctx, a, event_id, role, ents[filler])
        for attribute, value in attributes.items():
            a = editing.set_event_attribute(ctx, a, event_id, attribute, value)
    store = project.store()
    store.sets.save(a, base_revision=0, actor=name)
    store.sets.set_status(DOC.id, name, "submitted", actor=name)


def run(project: Project, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--project", str(project.path), *args], env={"ANNOTATE_USER": "lead"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def annotated(project: Project) -> Project:
    store = project.store()
    store.documents.put([DOC], actor="t")
    for name in ("ali", "sara"):
        store.users.add(name, "annotator", "password123", actor="t")
    annotator_set(project, "ali", "past")
    annotator_set(project, "sara", "unspecified")
    return project


def test_attributes_from_annotators_to_agreement_gold_export_and_scorer(annotated: Project, tmp_path: Path) -> None:
    # Agreement: three matched events; they agree on modality and polarity, not on the statement's tense.
    report = json.loads(run(annotated, "agreement", "--json"))["event_attributes"]
    assert {k: (report[k]["matched"], report[k]["agreed"]) for k in ("modality", "polarity", "tense")} == {
        "modality": (3, 3), "polarity": (3, 3), "tense": (3, 2)}
    assert report["modality"]["kappa"] == pytest.approx(1.0)

    # Gold: the two events they agree on in every attribute come in with their attributes; the statement waits.
    run(annotated, "adjudicate", DOC.id, "--auto")
    store = annotated.store()
    gold = store.sets.get(DOC.id, GOLD_AUTHOR)
    assert {(e.type, *e.attributes().values()) for e in gold.events} == {
        ("WITHDRAWAL", "other", "positive", "future"), ("ATTACK", "asserted", "negative", "past")}
    store.sets.set_status(DOC.id, GOLD_AUTHOR, "gold", actor="lead")
    run(annotated, "release", "create", "--bump", "minor", "-m", "attributes")

    # Export, loaded back offline by datasets.
    out = tmp_path / "export"
    run(annotated, "export", "0.1.0", "--out", str(out))
    import datasets

    datasets.disable_progress_bars()
    rows = [r for split in datasets.load_dataset(str(out), "documents").values() for r in split]
    (row,) = rows
    exported = {e["type"]: (e["modality"], e["polarity"], e["tense"]) for e in row["events"]}
    assert exported == {"WITHDRAWAL": ("other", "positive", "future"), "ATTACK": ("asserted", "negative", "past")}

    # A system that read the planned withdrawal as a fact: modality right on 1 of 2 matched triggers.
    events = [{"type": e["type"], "trigger": {"start": e["trigger"]["start"], "end": e["trigger"]["end"]},
               "arguments": [], "modality": "asserted", "polarity": e["polarity"], "tense": e["tense"]}
              for e in row["events"]]
    pred = tmp_path / "pred.jsonl"
    pred.write_text(json.dumps({"id": DOC.id, "events": events}, ensure_ascii=False) + "\n", encoding="utf-8")
    scores = json.loads(run(annotated, "eval", "--gold", "0.1.0", "--pred", str(pred), "--json"))
    attributes = scores["event_attributes"]
    assert (attributes["modality"]["matched"], attributes["modality"]["correct"]) == (2, 1)
    assert attributes["modality"]["confusion"] == {"other": {"asserted": 1}, "asserted": {"asserted": 1}}
    assert attributes["polarity"]["accuracy"] == 1.0 and attributes["tense"]["accuracy"] == 1.0
