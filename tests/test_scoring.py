"""Scorer: hand-computed cases, nervaluate cross-check, prediction errors naming the line, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import release, sample_gold
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from annotate.cli import cli
from annotate.errors import InputError
from annotate.evaluation.scoring import Pred, date_counts, evaluate, load_gold, load_predictions, ner_counts, score
from annotate.models import Document
from annotate.project import Project

TEXT = "تهران - قاسم سلیمانی روز ۱۰ بهمن ۱۳۹۸ (30 ژانویه 2020) در بغداد کشته شد.\u200cمی‌گویند"

G = [(0, 5, "PER"), (10, 15, "LOC"), (20, 25, "ORG")]


@pytest.mark.parametrize(
    ("pred", "strategy", "counts"),
    [  # (correct, incorrect, partial, missed, spurious)
        ([(0, 5, "PER")], "strict", (1, 0, 0, 2, 0)),
        ([(0, 5, "LOC")], "strict", (0, 1, 0, 2, 0)),
        ([(0, 5, "LOC")], "exact", (1, 0, 0, 2, 0)),
        ([(0, 5, "LOC")], "type", (0, 1, 0, 2, 0)),
        ([(1, 5, "PER")], "partial", (0, 0, 1, 2, 0)),
        ([(1, 5, "PER")], "type", (1, 0, 0, 2, 0)),
        ([(1, 5, "PER")], "exact", (0, 1, 0, 2, 0)),
        ([(30, 31, "PER")], "strict", (0, 0, 0, 3, 1)),
    ],
)
def test_ner_counts_hand_computed(pred: list[tuple[int, int, str]], strategy: str,
                                  counts: tuple[int, ...]) -> None:
    c = ner_counts(G, pred, strategy)
    assert (c.correct, c.incorrect, c.partial, c.missed, c.spurious) == counts


def test_partial_formula() -> None:
    # gold 3, pred: one exact, one partial, one spurious: COR 1, PAR 1, SPU 1, MIS 1
    m = ner_counts(G, [(0, 5, "PER"), (11, 14, "LOC"), (40, 41, "X")], "partial").metrics(True)
    assert m["precision"] == pytest.approx(1.5 / 3) and m["recall"] == pytest.approx(1.5 / 3)
    assert m["f1"] == pytest.approx(0.5)


spans3 = st.tuples(st.integers(0, 30), st.integers(1, 6), st.sampled_from(["PER", "LOC", "ORG"])).map(
    lambda t: (t[0], t[0] + t[1], t[2]))


@settings(max_examples=150, deadline=None)
@given(gold=st.lists(spans3, max_size=5), pred=st.lists(spans3, max_size=5))
def test_matches_the_nervaluate_package(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]]) -> None:
    import nervaluate
    # nervaluate uses inclusive ends: [s, e) becomes end = e - 1
    ev = nervaluate.Evaluator([[{"label": t, "start": s, "end": e - 1} for s, e, t in gold]],
                              [[{"label": t, "start": s, "end": e - 1} for s, e, t in pred]],
                              tags=["PER", "LOC", "ORG"], loader="dict")
    res = ev.evaluate()
    overall = res["overall"] if isinstance(res, dict) else res[0]
    names = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
    for ours, theirs in names.items():
        r = overall[theirs]
        get = (lambda k, r=r: r[k]) if isinstance(r, dict) else (lambda k, r=r: getattr(r, k))
        c = ner_counts(gold, pred, ours)
        assert (c.correct, c.incorrect, c.partial, c.missed, c.spurious) == (
            get("correct"), get("incorrect"), get("partial"), get("missed"), get("spurious")), ours


def test_tempeval_dates_hand_computed() -> None:
    gold = [(0, 10, "2020-01-30"), (20, 30, "2020-02-01"), (40, 45, "2019")]
    pred = [(0, 10, "2020-01-30"), (22, 28, "2020-02-02"), (50, 55, "x")]
    c = date_counts(gold, pred)
    m = c.metrics()
    assert m["strict"]["precision"] == pytest.approx(1 / 3) and m["strict"]["recall"] == pytest.approx(1 / 3)
    assert m["relaxed"]["precision"] == pytest.approx(2 / 3) and m["relaxed"]["recall"] == pytest.approx(2 / 3)
    assert m["value_accuracy"] == pytest.approx(1 / 2)
    assert m["value_f1"] == pytest.approx(0.5 * 2 / 3)


@pytest.fixture
def released(gold_project: Project) -> Project:
    release(gold_project)
    return gold_project


def write(tmp_path: Path, lines: list[object]) -> Path:
    p = tmp_path / "pred.jsonl"
    p.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return p


def perfect(doc: Document) -> dict[str, object]:
    g = sample_gold(doc)
    return {"id": doc.id, **{k: v for k, v in g.content().items() if k != "metadata"}}


def test_perfect_predictions_score_one(released: Project, tmp_path: Path) -> None:
    store = released.store()
    preds = [perfect(store.documents.get(d)) for d in ("doc-fa-1", "doc-ar-1")]
    r = evaluate("0.1.0", write(tmp_path, preds), project_dir=released.path)
    assert all(r["entities"][s]["f1"] == 1.0 for s in ("strict", "exact", "partial", "type"))
    assert all(v["f1"] == 1.0 for v in r["events"].values())
    assert r["dates"]["strict"]["f1"] == 1.0 and r["dates"]["value_f1"] == 1.0
    assert r["links"]["f1"] == 1.0
    assert set(r["by_language"]) == {"ar", "fa"}
    assert set(r["dates_by_calendar"]) == {"gregorian", "solar_hijri"}


def test_events_and_links_hand_computed(released: Project, tmp_path: Path) -> None:
    doc = released.store().documents.get("doc-fa-1")
    p = perfect(doc)
    p["events"][0]["type"] = "ATTACK"  # type: ignore[index]
    p["events"][0]["arguments"] = [{"role": "target", "ref": "e1"}]  # type: ignore[index]
    p["links"] = []
    r = evaluate("0.1.0", write(tmp_path, [p]), project_dir=released.path)
    fa = r["by_language"]["fa"]
    assert fa["events"]["trigger_identification"]["f1"] == 1.0
    assert fa["events"]["trigger_classification"]["f1"] == 0.0
    assert fa["events"]["argument_identification"]["tp"] == 0
    assert fa["links"]["recall"] == 0.0
    assert r["by_language"]["ar"]["entities"]["strict"]["recall"] == 0.0  # no prediction for doc-ar-1


def test_event_attributes_hand_computed(released: Project, tmp_path: Path) -> None:
    """Accuracy per attribute over matched triggers only: doc-fa-1's event says other where gold says asserted,
    doc-ar-1's is right, and an extra event on another trigger (unmatched) is not counted."""
    store = released.store()
    fa, ar = (perfect(store.documents.get(d)) for d in ("doc-fa-1", "doc-ar-1"))
    fa["events"][0]["modality"] = "other"  # type: ignore[index]
    ar["events"].append({"type": "KILLING", "trigger": {"start": 0, "end": 3}, "arguments": [],  # type: ignore[attr-defined]
                         "modality": "other", "polarity": "negative", "tense": "past"})
    r = evaluate("0.1.0", write(tmp_path, [fa, ar]), project_dir=released.path)
    assert "event_attributes" in r["predicted_layers"]
    modality = r["event_attributes"]["modality"]
    assert (modality["matched"], modality["correct"], modality["accuracy"]) == (2, 1, 0.5)
    assert modality["confusion"] == {"asserted": {"asserted": 1, "other": 1}}
    assert r["event_attributes"]["polarity"]["accuracy"] == 1.0 and r["event_attributes"]["tense"]["matched"] == 2
    assert r["by_language"]["fa"]["event_attributes"]["modality"]["accuracy"] == 0.0
    assert r["by_language"]["ar"]["event_attributes"]["modality"]["accuracy"] == 1.0
    from annotate.evaluation.scoring import format_report

    assert "events modality              accuracy 0.5000 (1/2 matched triggers)" in format_report(r)


def test_event_attributes_left_out_everywhere_are_not_predicted(released: Project, tmp_path: Path) -> None:
    from annotate.evaluation.scoring import format_report

    doc = released.store().documents.get("doc-fa-1")
    line = perfect(doc)
    line["events"] = [{k: v for k, v in ev.items() if k not in ("modality", "polarity", "tense")}
                      for ev in line["events"]]  # type: ignore[attr-defined]
    r = evaluate("0.1.0", write(tmp_path, [line]), project_dir=released.path)
    assert r["events"] is not None and r["event_attributes"] is None
    assert "event attributes             not predicted" in format_report(r)


def test_attribute_pairs_match_one_to_one_equal_values_first() -> None:
    from annotate.evaluation.scoring import attribute_pairs

    asserted, other = ("asserted", "positive", "past"), ("other", "positive", "future")
    gold = Pred(triggers=[(0, 4, "ATTACK"), (0, 4, "ATTACK"), (9, 12, "VOTE")], attributes=[asserted, other, other])
    pred = Pred(triggers=[(0, 4, "ATTACK"), (9, 12, "MEETING")], attributes=[other, other])
    pairs = attribute_pairs(gold, pred)
    assert pairs["modality"] == {("other", "other"): 1}  # the equal one is paired; VOTE vs MEETING is no match
    assert pairs["tense"] == {("future", "future"): 1}


def test_dates_layout_on_gold_mentions(released: Project, tmp_path: Path) -> None:
    lines = [{"id": "doc-fa-1#d1", "answer": "2020-01-30"}, {"id": "doc-fa-1#d2", "answer": "2020-01-31"}]
    r = evaluate("0.1.0", write(tmp_path, lines), project_dir=released.path)
    fa = r["by_language"]["fa"]["dates"]
    assert fa["spans"] == "gold" and "strict" not in fa and fa["value_accuracy"] == 0.5  # values only


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"id": "doc-nope", "entities": []}, "pred.jsonl:2: unknown document 'doc-nope'"),
        ({"id": "doc-fa-1", "entities": [{"start": 5, "end": 500, "type": "PER"}]},
         r"pred.jsonl:2: entities\[0\]: bad offsets \[5, 500\)"),
        ({"id": "doc-fa-1", "entities": [{"start": 0, "end": 2, "type": "PER", "text": "xx"}]},
         "does not match the document"),
        ({"doc_id": "doc-fa-1", "start": 3, "end": 1}, "pred.jsonl:2: bad offsets"),
        ({"id": "doc-fa-1#d9", "answer": "x"}, "no gold date mention 'd9'"),
        ({"id": "doc-fa-1", "events": [{"type": "ATTACK", "trigger": {"start": 0, "end": 1},
                                        "arguments": [{"role": "target", "ref": "zz"}]}]}, "ref 'zz'"),
        ({"id": "doc-fa-1", "events": [{"type": "ATTACK", "trigger": {"start": 0, "end": 1}, "modality": "planned"}]},
         r"pred.jsonl:2: events\[0\].modality: modality 'planned' is not one of asserted, other"),
    ],
)
def test_bad_predictions_name_the_line(released: Project, tmp_path: Path, line: dict[str, object],
                                       message: str) -> None:
    p = write(tmp_path, [{"id": "doc-ar-1"}, line])
    with pytest.raises(InputError, match=message):
        evaluate("0.1.0", p, project_dir=released.path)


def test_not_json_names_the_line(released: Project, tmp_path: Path) -> None:
    p = tmp_path / "pred.jsonl"
    p.write_text('{"id": "doc-ar-1"}\n{oops\n', encoding="utf-8")
    from annotate.evaluation.scoring import load_gold

    with pytest.raises(InputError, match=r"pred\.jsonl:2: not valid JSON"):
        load_predictions(p, load_gold("0.1.0", released.path))


def test_score_is_empty_safe() -> None:
    assert score({}, {})["entities"]["strict"]["f1"] == 0.0
    assert Pred().entities == []


def test_cli_eval_json_and_text(released: Project, tmp_path: Path) -> None:
    released.close()
    doc_preds = write(tmp_path, [{"id": "doc-fa-1#d1", "answer": "2020-01-30"}])
    runner = CliRunner()
    r = runner.invoke(cli, ["--project", str(released.path), "eval", "--gold", "0.1.0", "--pred", str(doc_preds),
                            "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["dates"]["counts"]["value_correct"] == 1
    r = runner.invoke(cli, ["--project", str(released.path), "eval", "--gold", "0.1.0", "--pred", str(doc_preds)])
    assert r.exit_code == 0 and "dates value                  accuracy 1.0000 (1/1)" in r.output
    assert "dates, calendar gregorian: value accuracy 0.0000 (0/0 answered)" in r.output


# ---------------------------------------------------------------------------------------------- interop


def test_engine_output_is_scored_as_is(demo_gold_release: tuple[Project, str], tmp_path: Path) -> None:
    project, v = demo_gold_release
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({"id": d.id, "text": d.text, "lang": d.lang,
                                        "reference_date": d.reference_date.isoformat() if d.reference_date else None},
                                       ensure_ascii=False) + "\n"
                            for d in project.store().documents.list()), encoding="utf-8")
    runner = CliRunner()
    extracted = runner.invoke(cli, ["dates", "extract", str(docs)])
    assert extracted.exit_code == 0, extracted.output
    pred = tmp_path / "p.jsonl"
    pred.write_text(extracted.output, encoding="utf-8")
    assert '"doc": "demo-' in extracted.output
    r = runner.invoke(cli, ["--project", str(project.path), "eval", "--gold", v, "--pred", str(pred)])
    assert r.exit_code == 0, r.output
    assert "entities                     not predicted" in r.output
    assert "events                       not predicted" in r.output
    result = evaluate(v, pred, project_dir=project.path)
    # the demo gold's dates and links are the engine's own: every figure is 1.0
    assert result["dates"]["strict"]["f1"] == 1.0 and result["dates"]["value_f1"] == 1.0
    assert result["links"]["f1"] == 1.0 and result["entities"] is None and result["events"] is None


def test_split_scores_that_split_and_says_what_it_ignored(demo_gold_release: tuple[Project, str],
                                                         tmp_path: Path) -> None:
    project, v = demo_gold_release
    store = project.store()
    lines = [{"doc_id": d.id, **{k: val for k, val in store.sets.get(d.id, "gold").content().items()
                                 if k != "metadata"}} for d in store.documents.list()]
    pred = write(tmp_path, lines)
    runner = CliRunner()
    r = runner.invoke(cli, ["--project", str(project.path), "eval", "--gold", v, "--pred", str(pred),
                            "--split", "test", "--json"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.output)
    assert result["documents"] == 3 and result["split"] == "test"
    assert len(result["ignored_documents"]) == len(store.documents.list()) - result["documents"]
    assert result["entities"]["strict"]["f1"] == 1.0 and result["events"] is not None
    r = runner.invoke(cli, ["--project", str(project.path), "eval", "--gold", v, "--pred", str(pred),
                            "--split", "test"])
    assert f"ignored predictions for {len(result['ignored_documents'])} document(s) outside the split" in r.output
    r = runner.invoke(cli, ["--project", str(project.path), "eval", "--gold", v, "--pred", str(pred),
                            "--split", "validation"])
    assert r.exit_code == 1 and "no gold documents in split 'validation'" in r.output


def test_split_validation_scores_the_validation_documents(tmp_path: Path) -> None:
    """Issue 14: ``--split validation`` with predictions for every document scores that split (the demo's
    sizes give it none, so two documents per language are pinned there before the release)."""
    from builders import build_demo_gold

    from annotate.release.creation import create_release, pin_splits

    project = build_demo_gold(tmp_path / "project")
    store = project.store()
    docs = store.documents.list()
    chosen = {d.id for lang in ("fa", "prs", "ar") for d in [x for x in docs if x.lang == lang][:2]}
    pin_splits(store, {doc_id: "validation" for doc_id in chosen}, actor="test")
    v = create_release(project.path, store, project.taxonomy(), bump="minor", message="pinned", actor="test").version
    gold = {d.id: store.sets.get(d.id, "gold").content() for d in docs}
    # Every document predicted; the validation documents as their gold, the others with nothing found.
    lines = [{"doc_id": doc_id, **({k: val for k, val in content.items() if k != "metadata"}
                                   if doc_id in chosen else {"entities": [], "dates": []})}
             for doc_id, content in gold.items()]
    pred = write(tmp_path, lines)
    r = CliRunner().invoke(cli, ["--project", str(project.path), "eval", "--gold", v, "--pred", str(pred),
                                 "--split", "validation", "--json"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.output)
    assert result["split"] == "validation" and result["documents"] == len(chosen) == 6
    assert sorted(result["ignored_documents"]) == sorted(set(gold) - chosen)
    assert result["entities"]["strict"]["f1"] == 1.0 and result["dates"]["strict"]["f1"] == 1.0
    project.close()


@pytest.fixture(scope="module")
def demo_export_dir(demo_gold_release: tuple[Project, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    from annotate.release.export import export_release
    from annotate.release.versions import release_path

    project, v = demo_gold_release
    out = tmp_path_factory.mktemp("scoring-export") / "export"
    export_release(release_path(project.path, v), out)
    return out


def samples(rows: list[tuple[str, str]], answers: list[str]) -> list[dict[str, object]]:
    """lm-eval --log_samples lines (the fields annotate eval reads) for ``rows`` in task order."""
    return [{"doc_id": i, "doc": {"id": f"{d}#{m}"}, "target": "", "resps": [[a]], "filtered_resps": [a.strip()],
             "exact_match": 0.0} for i, ((d, m), a) in enumerate(zip(rows, answers, strict=True))]


def test_lm_eval_samples_map_row_indices_through_the_export(demo_export_dir: Path, tmp_path: Path) -> None:
    from annotate.release.export import lm_eval_rows

    split, rows = lm_eval_rows(demo_export_dir)
    assert split == "test" and len(rows) == 15
    gold = load_gold(demo_export_dir)
    answers = []
    for doc_id, mention_id in rows:
        m = next(x for x in gold[doc_id][1].dates if x.id == mention_id)
        answers.append(m.gregorian_start.isoformat() if m.gregorian_start == m.gregorian_end else "wrong")  # type: ignore[union-attr]
    r = evaluate(demo_export_dir, write(tmp_path, samples(rows, answers)))
    want = sum(a != "wrong" for a in answers) / len(answers)
    assert r["split"] == "test" and r["dates"]["value_accuracy"] == pytest.approx(want) and 0 < want < 1
    swapped = samples(rows, answers)
    swapped[0]["doc"] = {"id": "demo-fa-01#elsewhere"}
    with pytest.raises(InputError, match=r"pred\.jsonl:1: sample row 0 is 'demo-fa-01#elsewhere' in the samples"):
        evaluate(demo_export_dir, write(tmp_path, swapped))
    too_far = samples(rows, answers)
    too_far[-1]["doc_id"] = 99
    with pytest.raises(InputError, match="sample row 99 is not in the task's split"):
        evaluate(demo_export_dir, write(tmp_path, too_far))


def test_lm_eval_samples_need_the_export_as_gold(released: Project, tmp_path: Path) -> None:
    p = write(tmp_path, [{"doc_id": 0, "doc": {}, "filtered_resps": ["2020-01-30"]}])
    with pytest.raises(InputError, match="give the export directory as --gold"):
        evaluate("0.1.0", p, project_dir=released.path)


def test_not_predicted_is_not_zero(released: Project, tmp_path: Path) -> None:
    from annotate.evaluation.scoring import format_report

    doc = released.store().documents.get("doc-fa-1")
    r = evaluate("0.1.0", write(tmp_path, [{"id": doc.id, "entities": perfect(doc)["entities"]}]),
                 project_dir=released.path)
    assert r["predicted_layers"] == ["entities"] and r["dates"] is None and r["links"] is None
    text = format_report(r)
    assert "dates                        not predicted" in text and "links                        not predicted" in text
    assert "entities strict" in text
