"""Against a real Label Studio: the entity and event suggesters' sets arrive as predictions of their own, with
each region's confidence as its score and the mean as the prediction's; pushing again changes nothing, and a
changed suggestion set updates only its own prediction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import suggest_corpus as corpus
from ls_helpers import LiveServer, linked_project_id

from annotate.annotation.prelabel import ENGINE_AUTHOR, prelabel
from annotate.labelstudio.sync import SYSTEM, push_project
from annotate.models import MODEL_AUTHOR, STRINGS_AUTHOR, AnnotationSet
from annotate.project import Project
from annotate.suggest.registry import train_model
from annotate.suggest.run import suggest_project

pytestmark = pytest.mark.usefixtures("ls_env")


@pytest.fixture
def suggested(project: Project, ls_env: LiveServer) -> Project:
    """24 gold documents of the suggestion corpus and 3 unannotated ones, with both suggesters' sets, pushed."""
    store = project.store()
    corpus.fill(store, gold=24, fresh=3)
    list(prelabel(store, actor="test"))
    train_model(project.path, store, actor="cora")
    list(suggest_project(project.path, store, actor="cora"))
    push_project(project, actor="test", title=f"suggest {Path(project.path).parent.name}"[:50])
    return project


def _tasks(ls: LiveServer, project: Project) -> dict[str, dict[str, Any]]:
    pid = linked_project_id(project.store())
    return {t["data"]["doc_id"]: t for t in ls.client().iter_tasks(pid)}


def _regions(result: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in result if r.get("type") == "labels"}


def test_suggestions_arrive_as_scored_predictions(ls_live: LiveServer, suggested: Project) -> None:
    store = suggested.store()
    tasks = _tasks(ls_live, suggested)
    assert len(tasks) == 27
    doc_id = corpus.load()[25]["id"]  # never annotated: what an annotator in Label Studio starts from
    by_version = {p["model_version"].split(" ")[0]: p for p in tasks[doc_id]["predictions"]}
    assert set(by_version) == {ENGINE_AUTHOR, STRINGS_AUTHOR, MODEL_AUTHOR}
    for author in (STRINGS_AUTHOR, MODEL_AUTHOR):
        aset: AnnotationSet = store.sets.get(doc_id, author)
        pred = by_version[author]
        confidence = aset.metadata["confidence"]
        regions = _regions(pred["result"])
        assert set(regions) == set(confidence) and regions
        text = tasks[doc_id]["data"]["text"]
        for rid, region in regions.items():
            assert region["score"] == pytest.approx(confidence[rid])
            v = region["value"]
            assert text[v["start"]:v["end"]] == v["text"]  # code points, as stored
        assert pred["score"] == pytest.approx(sum(confidence.values()) / len(confidence), abs=1e-4)
    assert by_version[MODEL_AUTHOR]["model_version"] == store.sets.get(doc_id, MODEL_AUTHOR).metadata["model_version"]
    assert by_version[STRINGS_AUTHOR]["model_version"] == STRINGS_AUTHOR
    entity_labels = {r["value"]["labels"][0] for r in _regions(by_version[MODEL_AUTHOR]["result"]).values()}
    assert entity_labels & {"PER", "ORG", "GPE"} and entity_labels & {"STATEMENT", "ATTACK", "MEETING", "KILLING",
                                                                       "VOTE", "RESUMPTION", "SUSPENSION",
                                                                       "WITHDRAWAL", "DEPLOYMENT"}
    again = push_project(suggested, actor="test")
    assert (again.tasks_created, again.predictions_updated, again.tasks_unchanged) == (0, 0, 27)


def test_a_changed_suggestion_set_updates_only_its_prediction(ls_live: LiveServer, suggested: Project) -> None:
    store = suggested.store()
    doc_id = corpus.load()[26]["id"]
    current = store.sets.get(doc_id, STRINGS_AUTHOR)
    kept = current.entities[:1]
    conf = {m.id: 0.42 for m in kept}
    store.sets.save(current.model_copy(update={"entities": kept, "events": [],
                                               "metadata": {**current.metadata, "confidence": conf}}),
                    base_revision=current.revision, actor="test")
    before = {p["model_version"].split(" ")[0]: p["id"] for p in _tasks(ls_live, suggested)[doc_id]["predictions"]}
    r = push_project(suggested, actor="test")
    assert (r.predictions_updated, r.tasks_unchanged) == (1, 26)
    preds = {p["model_version"].split(" ")[0]: p for p in _tasks(ls_live, suggested)[doc_id]["predictions"]}
    assert {a: p["id"] for a, p in preds.items()} == before, "updated in place, nothing added"
    assert [reg["score"] for reg in _regions(preds[STRINGS_AUTHOR]["result"]).values()] == [0.42]
    assert preds[STRINGS_AUTHOR]["score"] == pytest.approx(0.42)


def test_a_task_pushed_with_one_prediction_gets_the_suggestions_added(ls_live: LiveServer,
                                                                      suggested: Project) -> None:
    store = suggested.store()
    doc_id = corpus.load()[24]["id"]
    link = store.external_ids.find(SYSTEM, "task", doc_id)
    assert link is not None
    tid = int(link.external_id)
    client = ls_live.client()
    for p in client.sdk.predictions.list(task=tid):  # as a push before suggestions left it: the engine's only
        if not str(p.model_version).startswith(ENGINE_AUTHOR):
            client.sdk.predictions.delete(id=p.id)
    engine_sha = link.data["predictions"][ENGINE_AUTHOR]["sha"]
    store.external_ids.put(SYSTEM, "task", doc_id, link.external_id,
                           {"text_sha256": link.data["text_sha256"], "prediction_sha": engine_sha,
                            "prediction_id": None}, actor="test")
    r = push_project(suggested, actor="test")
    assert r.predictions_updated == 2
    versions = sorted(p["model_version"].split(" ")[0] for p in _tasks(ls_live, suggested)[doc_id]["predictions"])
    assert versions == sorted([ENGINE_AUTHOR, STRINGS_AUTHOR, MODEL_AUTHOR])
    data = store.external_ids.find(SYSTEM, "task", doc_id).data  # type: ignore[union-attr]
    assert set(data["predictions"]) == {ENGINE_AUTHOR, STRINGS_AUTHOR, MODEL_AUTHOR} and "prediction_sha" not in data


def test_a_label_studio_user_mapped_to_a_suggester_is_refused(ls_live: LiveServer, suggested: Project) -> None:
    import json as json_

    from annotate.labelstudio.convert import to_ls_result
    from annotate.labelstudio.sync import pull_project

    config = suggested.path / "project.json"
    data = json_.loads(config.read_text(encoding="utf-8"))
    data["labelstudio"] = {"users": {"ali@example.org": MODEL_AUTHOR}}
    config.write_text(json_.dumps(data), encoding="utf-8")
    store = suggested.store()
    doc_id = corpus.load()[25]["id"]
    link = store.external_ids.find(SYSTEM, "task", doc_id)
    assert link is not None
    doc = store.documents.get(doc_id)
    suggestion = store.sets.get(doc_id, MODEL_AUTHOR)
    mine = suggestion.model_copy(update={"author": "ali", "metadata": {}})
    ls_live.client().create_annotation(int(link.external_id), to_ls_result(mine, doc.text),
                                       ls_live.users["ali@example.org"])
    report = pull_project(suggested, actor="test")
    assert report.sets_saved == 0
    assert any("reserved author 'suggest-model'" in e.message for e in report.errors), report.errors
    assert store.sets.get(doc_id, MODEL_AUTHOR).revision == suggestion.revision  # the engine's set is untouched
