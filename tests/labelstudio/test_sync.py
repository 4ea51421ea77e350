"""Against a real Label Studio: config accepted, push/pull round trips, idempotence, rejections, errors."""

from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ls_helpers import LiveServer, linked_project_id

from annotate.annotation.prelabel import ENGINE_AUTHOR, prelabel
from annotate.cli import cli
from annotate.curation.adjudication import adjudication_queue, annotator_sets
from annotate.curation.agreement import load_document_sets
from annotate.errors import LabelStudioError
from annotate.labelstudio import config as c
from annotate.labelstudio.client import Connection, connect
from annotate.labelstudio.config import label_config
from annotate.labelstudio.convert import to_ls_result
from annotate.labelstudio.sync import CURSOR_MARGIN, pull_project, push_project, status
from annotate.models import (
    AnnotationSet,
    Calendar,
    DateLink,
    DateMention,
    Document,
    EntityMention,
    Event,
    EventArgument,
    Granularity,
    NativeDate,
    Trigger,
)
from annotate.project import Project
from annotate.serve import free_port
from annotate.taxonomy import default_taxonomy

TEXTS = [
    ("doc-fa", "fa", "در ۱۰ بهمن ۱۳۹۸ (30 January 2020) قاسم\u200cسلیمانی 😀 به بغداد رسید."),
    ("doc-ar", "ar", "أعلنت الحكومة العراقية في 3 كانون الثاني 2020 أن الوفد وصل إلى بغداد."),
    ("doc-prs", "prs", "هیئت طالبان روز ۱۵ حمل ۱۴۰۰ در دوحه با نمایندگان امریکا دیدار کرد."),
]


def span(text: str, s: str) -> dict[str, Any]:
    i = text.index(s)
    return {"start": i, "end": i + len(s), "text": s}


def fa_set(author: str, *, with_event: bool) -> AnnotationSet:
    text = TEXTS[0][2]
    d1 = DateMention(id="d1", **span(text, "۱۰ بهمن ۱۳۹۸"), calendar=Calendar.solar_hijri, lexicon="solar-IR",
                     granularity=Granularity.day, native=NativeDate(year=1398, month=11, day=10),
                     gregorian_start=date(2020, 1, 30), gregorian_end=date(2020, 1, 30))
    d2 = DateMention(id="d2", **span(text, "30 January 2020"), calendar=Calendar.gregorian, lexicon="numeric",
                     granularity=Granularity.day, native=NativeDate(year=2020, month=1, day=30),
                     gregorian_start=date(2020, 1, 30), gregorian_end=date(2020, 1, 30), note="English")
    per = EntityMention(id="e1", **span(text, "قاسم\u200cسلیمانی"), type="PER", canonical_id="Q183455")
    gpe = EntityMention(id="e2", **span(text, "بغداد"), type="GPE" if with_event else "LOC")
    events = []
    if with_event:
        events = [Event(id="ev1", type="DEPLOYMENT", trigger=Trigger(**span(text, "رسید")), cluster_id="c-1",
                        arguments=[EventArgument(role="actor", ref="e1"), EventArgument(role="destination", ref="e2"),
                                   EventArgument(role="time", ref="d1")])]
    return AnnotationSet(doc_id="doc-fa", author=author, entities=[per, gpe], dates=[d1, d2], events=events,
                         links=[DateLink(id="l1", source="d1", target="d2")])


def layers(aset: AnnotationSet) -> dict[str, Any]:
    return aset.model_dump(mode="json", include={"entities", "dates", "events", "links"})


@pytest.fixture
def synced(project: Project, ls_env: LiveServer) -> Project:
    """A project with three documents, pre-labelled and pushed to a new Label Studio project."""
    store = project.store()
    store.documents.put([Document.create(t, lang=lang, id=i, reference_date="2020-02-02") for i, lang, t in TEXTS],
                        actor="test")
    list(prelabel(store, actor="test"))
    push_project(project, actor="test", title=f"test {project.path.parent.name}"[:50])
    return project


def task_ids(project: Project) -> dict[str, int]:
    return {m.local_id: int(m.external_id) for m in project.store().external_ids.list("labelstudio", "task")}


def test_server_accepts_the_generated_config(ls_live: LiveServer, synced: Project) -> None:
    client = ls_live.client()
    pid = linked_project_id(synced.store())
    client.validate_config(pid, label_config(default_taxonomy()))
    with pytest.raises(LabelStudioError, match=r"could not validate the labeling config .*\(400\)"):
        client.validate_config(pid, "<View><Labels name='x' toName='nowhere'/></View>")


def test_push_imports_tasks_with_predictions_once(ls_live: LiveServer, synced: Project) -> None:
    store = synced.store()
    client = ls_live.client()
    pid = linked_project_id(store)
    tasks = list(client.iter_tasks(pid))
    assert sorted(t["data"]["doc_id"] for t in tasks) == ["doc-ar", "doc-fa", "doc-prs"]
    engine = {s.doc_id: s for s in store.sets.list(author=ENGINE_AUTHOR)}
    for t in tasks:
        doc = store.documents.get(t["data"]["doc_id"])
        assert t["data"]["text"] == doc.text
        (pred,) = t["predictions"]
        assert pred["model_version"] == engine[doc.id].metadata["engine_version"]
        assert pred["result"] == to_ls_result(engine[doc.id], doc.text)
    again = push_project(synced, actor="test")
    assert (again.tasks_created, again.predictions_updated, again.tasks_unchanged) == (0, 0, 3)
    assert len(list(client.iter_tasks(pid))) == 3


def test_push_updates_a_changed_prediction_in_place(ls_live: LiveServer, synced: Project) -> None:
    store = synced.store()
    current = store.sets.get("doc-ar", ENGINE_AUTHOR)
    changed = current.model_copy(update={"dates": current.dates[:0], "links": []})
    store.sets.save(changed, base_revision=current.revision, actor="test")
    r = push_project(synced, actor="test")
    assert (r.tasks_created, r.predictions_updated) == (0, 1)
    task = next(t for t in ls_live.client().iter_tasks(linked_project_id(store)) if t["data"]["doc_id"] == "doc-ar")
    (pred,) = task["predictions"]
    assert pred["result"] == []


def test_two_annotators_pulled_exactly_and_pull_twice_changes_nothing(ls_live: LiveServer, synced: Project) -> None:
    client = ls_live.client()
    tid = task_ids(synced)["doc-fa"]
    text = TEXTS[0][2]
    time.sleep(CURSOR_MARGIN.total_seconds() + 0.5)  # the untouched tasks fall out of the cursor's safety margin
    ali, zahra = fa_set("ali", with_event=True), fa_set("zahra", with_event=False)
    client.create_annotation(tid, to_ls_result(ali, text), ls_live.users["ali@example.org"])
    client.create_annotation(tid, to_ls_result(zahra, text), ls_live.users["zahra@example.org"])
    r = pull_project(synced, actor="test")
    assert r.errors == [] and r.sets_saved == 2
    store = synced.store()
    for want in (ali, zahra):
        got = store.sets.get("doc-fa", want.author)
        assert layers(got) == layers(want)
        assert got.revision == 1 and got.status == "submitted"
    before = [(s.doc_id, s.author, s.head_revision) for s in store.sets.list_info()]
    for full in (False, True):
        again = pull_project(synced, actor="test", full=full)
        assert again.sets_saved == 0 and again.errors == []
    assert [(s.doc_id, s.author, s.head_revision) for s in store.sets.list_info()] == before
    # an edit in Label Studio is pulled as the next revision, reading only the edited task
    ali2 = fa_set("ali", with_event=False)
    ann = store.external_ids.find("labelstudio", "annotation", "doc-fa/ali")
    assert ann is not None
    client.update_annotation(int(ann.external_id), to_ls_result(ali2, text))
    r3 = pull_project(synced, actor="test")
    assert (r3.sets_saved, r3.tasks_seen) == (1, 1)
    assert layers(store.sets.get("doc-fa", "ali")) == layers(ali2)
    assert store.sets.get("doc-fa", "ali").revision == 2


def test_an_annotation_deleted_in_label_studio_withdraws_its_set(ls_live: LiveServer, synced: Project) -> None:
    client = ls_live.client()
    tid = task_ids(synced)["doc-fa"]
    text = TEXTS[0][2]
    ali, zahra = fa_set("ali", with_event=True), fa_set("zahra", with_event=False)
    ali_ann = client.create_annotation(tid, to_ls_result(ali, text), ls_live.users["ali@example.org"])
    client.create_annotation(tid, to_ls_result(zahra, text), ls_live.users["zahra@example.org"])
    assert pull_project(synced, actor="test").sets_saved == 2
    store = synced.store()
    client.sdk.annotations.delete(id=ali_ann)
    r = pull_project(synced, actor="test")  # incremental: deleting an annotation touches its task
    assert (r.sets_withdrawn, r.sets_saved, r.errors) == (1, 0, [])
    got = store.sets.get("doc-fa", "ali")
    assert (got.status, got.revision) == ("withdrawn", 2)
    assert layers(got) == layers(ali)  # the marks are kept, with the history
    assert got.metadata["labelstudio"]["annotation"] == ali_ann and "deleted" in got.metadata["labelstudio"]
    assert store.external_ids.find("labelstudio", "annotation", "doc-fa/ali") is None
    assert store.sets.get("doc-fa", "zahra").status == "submitted"
    # withdrawn sets count nowhere
    (fa,) = [d for d in load_document_sets(store) if d.document.id == "doc-fa"]
    assert sorted(fa.sets) == ["zahra"]
    assert sorted(annotator_sets(store, "doc-fa")) == ["zahra"]
    assert [d.annotators for d in adjudication_queue(store) if d.doc_id == "doc-fa"] == [("zahra",)]
    for full in (False, True):
        again = pull_project(synced, actor="test", full=full)
        assert (again.sets_withdrawn, again.sets_saved, again.errors) == (0, 0, [])
    # annotating again in Label Studio brings the set back, submitted
    client.create_annotation(tid, to_ls_result(fa_set("ali", with_event=False), text), ls_live.users["ali@example.org"])
    back = pull_project(synced, actor="test")
    assert (back.sets_saved, back.sets_withdrawn, back.errors) == (1, 0, [])
    got = store.sets.get("doc-fa", "ali")
    assert (got.status, got.revision) == ("submitted", 3)
    assert layers(got) == layers(fa_set("ali", with_event=False))


def test_a_deleted_annotation_whose_set_was_edited_here_is_kept_and_reported(
    ls_live: LiveServer, synced: Project
) -> None:
    client = ls_live.client()
    tid = task_ids(synced)["doc-fa"]
    aid = client.create_annotation(tid, to_ls_result(fa_set("ali", with_event=True), TEXTS[0][2]),
                                   ls_live.users["ali@example.org"])
    assert pull_project(synced, actor="test").sets_saved == 1
    store = synced.store()
    pulled = store.sets.get("doc-fa", "ali")
    edited = store.sets.save(pulled.model_copy(update={"events": []}), base_revision=pulled.revision,
                                       actor="curator")
    client.sdk.annotations.delete(id=aid)
    r = pull_project(synced, actor="test")
    assert r.sets_withdrawn == 0
    (err,) = r.errors
    assert err.doc_id == "doc-fa" and f"annotation {aid}" in err.message and "edited here" in err.message
    now = store.sets.get("doc-fa", "ali")
    assert (now.status, now.revision, now.events) == ("submitted", edited.revision, [])
    assert [e.message for e in status(store).errors] == [err.message]
    assert store.sets.list_conflicts("doc-fa", "ali")  # the refused withdrawal is kept for a curator


def test_bad_annotations_are_rejected_per_task_and_nothing_is_stored(ls_live: LiveServer, synced: Project) -> None:
    client = ls_live.client()
    ids = task_ids(synced)
    text = TEXTS[0][2]
    shifted = to_ls_result(fa_set("ali", with_event=True), text)
    for item in shifted:
        if item.get("id") == "e2" and item["type"] == "labels":
            item["value"]["start"] += 1
            item["value"]["end"] += 1
    dangling = to_ls_result(fa_set("zahra", with_event=True), text)
    dangling.append({"from_id": "ev1", "to_id": "nowhere", "type": "relation", "direction": "right",
                     "labels": ["place"]})
    client.create_annotation(ids["doc-fa"], shifted, ls_live.users["ali@example.org"])
    client.create_annotation(ids["doc-fa"], dangling, ls_live.users["zahra@example.org"])
    ar_text = TEXTS[1][2]
    good = [{"id": "g1", "from_name": c.ENTITY, "to_name": c.TEXT, "type": "labels",
             "value": {**span(ar_text, "بغداد"), "labels": ["GPE"]}}]
    client.create_annotation(ids["doc-ar"], good, ls_live.users["ali@example.org"])
    r = pull_project(synced, actor="test")
    messages = "\n".join(e.message for e in r.errors)
    tid = ids["doc-fa"]
    assert f"task {tid}, annotation" in messages and "by ali@example.org" in messages
    assert "region 'e2' value.text: 'بغداد' does not match the document text" in messages
    assert "by zahra@example.org" in messages
    assert "relation 'ev1' -> 'nowhere': dangling relation: to_id 'nowhere'" in messages
    store = synced.store()
    assert {(s.doc_id, s.author) for s in store.sets.list_info() if s.author in ("ali", "zahra")} == {("doc-ar", "ali")}
    s = status(store)
    assert [e.task_id for e in s.errors] == [tid]
    assert "dangling relation" in s.errors[0].message


def test_cli_push_pull_status_never_show_or_log_the_key(
    ls_live: LiveServer, synced: Project, caplog: pytest.LogCaptureFixture
) -> None:
    runner = CliRunner()
    args = ["--project", str(synced.path)]
    with caplog.at_level(logging.DEBUG):
        for cmd in (["ls", "push", "--quiet"], ["ls", "pull", "--quiet"], ["ls", "status"]):
            out = runner.invoke(cli, args + cmd)
            assert out.exit_code == 0, out.output
            assert ls_live.api_key not in out.output
    assert caplog.records, "nothing was logged at DEBUG: the check below would prove nothing"
    assert ls_live.api_key not in caplog.text
    assert "3 of 3 document(s) pushed" in runner.invoke(cli, [*args, "ls", "status"]).output


def _one_line(exc: LabelStudioError, key: str) -> str:
    text = str(exc)
    assert key not in text
    return text.splitlines()[0]


def test_server_down_wrong_key_and_deleted_project_are_one_line_errors(
    ls_live: LiveServer, synced: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    key = ls_live.api_key
    with pytest.raises(LabelStudioError) as down:
        pull_project(synced, actor="test", url=f"http://127.0.0.1:{free_port()}")
    assert _one_line(down.value, key).startswith("cannot reach Label Studio at http://127.0.0.1:")
    wrong = "wrong-" + key[::-1]
    with pytest.raises(LabelStudioError) as refused:
        pull_project(synced, actor="test", api_key=wrong)
    assert "refused the API key (401)" in _one_line(refused.value, wrong)
    assert wrong not in str(refused.value)
    ls_live.client().delete_project(linked_project_id(synced.store()))
    with pytest.raises(LabelStudioError) as gone:
        pull_project(synced, actor="test")
    assert "no such object (404)" in _one_line(gone.value, key)
    out = CliRunner().invoke(cli, ["--project", str(synced.path), "ls", "push", "--quiet"])
    assert out.exit_code == 1 and "(404)" in out.output and key not in out.output
    moved = CliRunner().invoke(cli, ["--project", str(synced.path), "ls", "push", "--url", "http://127.0.0.1:9"])
    assert moved.exit_code == 1 and "is linked to Label Studio project" in moved.output
    fresh = push_project(synced, actor="test", new_project=True)
    assert fresh.project_created and fresh.tasks_created == 3


def test_an_interrupted_push_is_recovered_without_duplicates(ls_live: LiveServer, synced: Project) -> None:
    store = synced.store()
    pid = linked_project_id(store)
    # forget one mapping, as if the process died right after the import request
    client = ls_live.client()
    from sqlalchemy import delete

    from annotate.store.schema import external_ids_table

    with store.engine.begin() as conn:
        conn.execute(delete(external_ids_table).where(external_ids_table.c.local_id == "doc-prs"))
    r = push_project(synced, actor="test")
    assert (r.tasks_created, r.tasks_recovered) == (0, 1)
    assert len(list(client.iter_tasks(pid))) == 3


def test_connection_settings_come_from_flags_env_and_project_json(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotate.errors import ConfigError
    from annotate.labelstudio.client import resolve_connection

    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    cfg = project.path / "project.json"
    cfg.write_text('{"title": "t", "labelstudio": {"url": "http://ls.example:8080"}}', encoding="utf-8")
    with pytest.raises(ConfigError, match="no Label Studio API key"):
        resolve_connection(project.path)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "k-env")
    assert resolve_connection(project.path) == Connection("http://ls.example:8080", "k-env")
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://env:1/")
    assert resolve_connection(project.path).url == "http://env:1"
    conn = resolve_connection(project.path, url="http://flag:2", api_key="k-flag")
    assert (conn.url, conn.api_key) == ("http://flag:2", "k-flag")
    assert "k-flag" not in repr(conn)
    cfg.write_text('{"title": "t", "labelstudio": {"api_key": "secret"}}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"never kept in project\.json") as info:
        resolve_connection(project.path)
    assert "secret" not in str(info.value)


def test_connect_is_lazy_and_the_client_never_repeats_the_key() -> None:
    client = connect(Connection(f"http://127.0.0.1:{free_port()}", "sekrit-key-123"))
    with pytest.raises(LabelStudioError) as info:
        client.check()
    assert "sekrit-key-123" not in str(info.value)
