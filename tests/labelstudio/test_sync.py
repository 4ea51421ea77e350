"""Against a real Label Studio: config accepted, push/pull round trips, idempotence, rejections, errors."""

from __future__ import annotations

import json
import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ls_helpers import LiveServer, linked_project_id, ui_region

from annotate.annotation.editing import UNRECOGNISED_NOTE
from annotate.annotation.prelabel import ENGINE_AUTHOR, prelabel
from annotate.cli import cli
from annotate.curation.agreement import load_document_sets
from annotate.curation.comparison import annotator_sets
from annotate.curation.gold_sets import adjudication_queue
from annotate.errors import LabelStudioError
from annotate.labelstudio import config as c
from annotate.labelstudio.client import Connection, connect
from annotate.labelstudio.config import label_config
from annotate.labelstudio.convert import READ_NOTE, to_ls_result
from annotate.labelstudio.sync import CURSOR_MARGIN, META_ERRORS, META_FEEDBACK, pull_project, push_project, status
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
    Tense,
    Trigger,
)
from annotate.project import Project, init_project
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
                        tense=Tense.past,
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


def test_event_attributes_are_pushed_as_predictions_and_pulled_from_annotations(
    ls_live: LiveServer, synced: Project
) -> None:
    """A prediction carries each event's modality, polarity and tense as choices on its trigger; an annotator's
    choices (and choices left out: the defaults) come back into the store."""
    store, client = synced.store(), ls_live.client()
    text = TEXTS[2][2]
    engine = store.sets.get("doc-prs", ENGINE_AUTHOR)
    planned = Event(id="ev-plan", type="MEETING", trigger=Trigger(**span(text, "دیدار کرد")),
                    modality="other", polarity="negative", tense="future")
    store.sets.save(engine.model_copy(update={"events": [planned]}), base_revision=engine.revision, actor="test")
    push_project(synced, actor="test")
    tid = task_ids(synced)["doc-prs"]
    (pred,) = client.sdk.tasks.get(id=tid).predictions or []
    pred_result = pred["result"] if isinstance(pred, dict) else pred.result
    chosen = {r["from_name"]: r["value"]["choices"] for r in pred_result if r.get("id") == "ev-plan"
              and r["type"] == "choices"}
    assert chosen == {c.MODALITY: ["other"], c.POLARITY: ["negative"], c.TENSE: ["future"]}
    # As the editor saves a trigger drawn by hand with only the modality and tense chosen (polarity untouched).
    region = ui_region("Xk2-9aQ", text, "دیدار کرد", "MEETING")
    where = {k: region["value"][k] for k in ("start", "end", "text")}
    result = [region] + [
        {"id": "Xk2-9aQ", "from_name": name, "to_name": c.TEXT, "type": "choices", "origin": "manual",
         "value": {**where, "choices": [value]}}
        for name, value in ((c.MODALITY, "other"), (c.TENSE, "future"))
    ]
    client.create_annotation(tid, result, ls_live.users["ali@example.org"])
    r = pull_project(synced, actor="test")
    assert r.errors == []
    (ev,) = store.sets.get("doc-prs", "ali").events
    assert (ev.type, ev.trigger.text) == ("MEETING", "دیدار کرد")
    assert ev.attributes() == {"modality": "other", "polarity": "positive", "tense": "future"}


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


# --- what a pull completes, and what it tells the task ----------------------------------------------------------


def ui_relation(src: str, dst: str, *labels: str) -> dict[str, Any]:
    return {"from_id": src, "to_id": dst, "type": "relation", "direction": "right", "labels": list(labels)}


def feedback_of(server: LiveServer, tid: int) -> str:
    return str(server.client().sdk.tasks.get(id=tid).data.get(c.FEEDBACK, ""))


def test_plain_date_regions_made_through_the_sdk_are_read_by_the_engine_or_flagged(
    ls_live: LiveServer, synced: Project
) -> None:
    """The task the issue describes: dates drawn with nothing but the label, a relation without its label."""
    client = ls_live.client()
    tid = task_ids(synced)["doc-fa"]
    text = TEXTS[0][2]
    result = [
        ui_region("Xq7_aB3kLm", text, "۱۰ بهمن ۱۳۹۸", "DATE"),
        ui_region("-9fKd02nZa", text, "30 January 2020", "DATE"),  # English month names: the engine cannot read
        ui_region("p0Lk9VbqXe", text, "قاسم\u200cسلیمانی", "PER"),
        ui_region("gh4RtY6uIo", text, "بغداد", "GPE"),
        ui_region("tR1gg3rZZz", text, "رسید", "DEPLOYMENT"),
        ui_relation("tR1gg3rZZz", "gh4RtY6uIo", "destination"),
        ui_relation("tR1gg3rZZz", "Xq7_aB3kLm"),  # no label: "time" is the only one that fits
        ui_relation("Xq7_aB3kLm", "-9fKd02nZa", c.SAME_DATE),
    ]
    aid = client.create_annotation(tid, result, ls_live.users["ali@example.org"])
    r = pull_project(synced, actor="test")
    assert (r.errors, r.sets_saved, r.feedback_written) == ([], 1, 1)
    aset = synced.store().sets.get("doc-fa", "ali")
    read, unread = aset.dates
    assert (read.id, read.calendar, read.native, read.gregorian_start) == (
        "Xq7_aB3kLm", Calendar.solar_hijri, NativeDate(year=1398, month=11, day=10), date(2020, 1, 30))
    assert read.note is not None and READ_NOTE in read.note
    assert (unread.id, unread.native, unread.gregorian_start) == ("ls--9fKd02nZa", NativeDate(), None)
    assert unread.note is not None and UNRECOGNISED_NOTE in unread.note
    assert [(a.role, a.ref) for a in aset.events[0].arguments] == [("destination", "gh4RtY6uIo"),
                                                                  ("time", "Xq7_aB3kLm")]
    assert len(aset.links) == 1 and aset.metadata["labelstudio"]["flagged_dates"] == ["ls--9fKd02nZa"]
    assert [n.flagged for n in r.notes] == [False, True, False]
    assert all(n.message.startswith(f"task {tid}, annotation {aid} by ali@example.org: ") for n in r.notes)
    assert [(n.message, n.flagged) for n in status(synced.store()).notes] == [(n.message, n.flagged) for n in r.notes]
    shown = feedback_of(ls_live, tid)  # what the annotator has to do: the flagged date, not what was completed
    assert shown == (f"Stored in annotate (annotation {aid} by ali@example.org), but give these dates a calendar "
                     f"and a value:\n  - {r.notes[1].message.split(': ', 1)[1]}")
    out = CliRunner().invoke(cli, ["--project", str(synced.path), "ls", "status"])
    assert "1 date(s) flagged for review" in out.output and "FLAGGED task" in out.output
    for full in (False, True):
        again = pull_project(synced, actor="test", full=full)
        assert (again.sets_saved, again.errors, again.feedback_written, again.notes) == (0, [], 0, [])
    assert synced.store().sets.get("doc-fa", "ali").revision == 1


def test_a_rejection_is_written_to_the_task_and_cleared_when_fixed(ls_live: LiveServer, synced: Project) -> None:
    client = ls_live.client()
    tid = task_ids(synced)["doc-fa"]
    text = TEXTS[0][2]
    bad = to_ls_result(fa_set("zahra", with_event=True), text)
    bad.append(ui_relation("ev1", "e1", c.SAME_DATE))  # a date link between a trigger and a person
    aid = client.create_annotation(tid, bad, ls_live.users["zahra@example.org"])
    r = pull_project(synced, actor="test")
    (err,) = r.errors
    assert "'same_date' cannot join DEPLOYMENT 'رسید' and PER 'قاسم\u200cسلیمانی' (labels that fit: actor)" in (
        err.message)
    shown = feedback_of(ls_live, tid)
    assert shown == f"NOT STORED in annotate; fix the annotation and submit it again:\n{err.message}"
    again = pull_project(synced, actor="test")  # the task changed (its feedback): read again, nothing rewritten
    assert (len(again.errors), again.feedback_written) == (1, 0)
    client.update_annotation(aid, to_ls_result(fa_set("zahra", with_event=True), text))
    fixed = pull_project(synced, actor="test")
    assert (fixed.errors, fixed.sets_saved, fixed.feedback_written) == ([], 1, 1)
    assert feedback_of(ls_live, tid) == "" and status(synced.store()).errors == []


def _map_users(project: Project, users: dict[str, str]) -> None:
    path = project.path / "project.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["labelstudio"] = {"users": users}
    path.write_text(json.dumps(data), encoding="utf-8")


def test_an_ambiguous_user_mapping_is_reported_not_swallowed(ls_live: LiveServer, synced: Project) -> None:
    client = ls_live.client()
    tid = task_ids(synced)["doc-fa"]
    text = TEXTS[0][2]
    _map_users(synced, {"ali@example.org": "ali", "zahra@example.org": "ali"})
    client.create_annotation(tid, to_ls_result(fa_set("ali", with_event=True), text), ls_live.users["ali@example.org"])
    client.create_annotation(tid, to_ls_result(fa_set("x", with_event=False), text),
                             ls_live.users["zahra@example.org"])
    r = pull_project(synced, actor="test")
    (err,) = r.errors
    assert ("zahra@example.org maps to annotator 'ali', whose sets come from ali@example.org; two Label Studio "
            "users cannot share one annotator's sets") in err.message
    assert layers(synced.store().sets.get("doc-fa", "ali")) == layers(fa_set("ali", with_event=True))
    # a Label Studio user whose mapping changed after a pull is not silently split over two annotators
    _map_users(synced, {"ali@example.org": "ali-2"})
    ar_text = TEXTS[1][2]
    client.create_annotation(task_ids(synced)["doc-ar"], [ui_region("g1", ar_text, "بغداد", "GPE")],
                             ls_live.users["ali@example.org"])
    moved = pull_project(synced, actor="test")
    assert any("ali@example.org was pulled as annotator 'ali' and now maps to 'ali-2'" in e.message
               for e in moved.errors)
    assert not any(s.author == "ali-2" for s in synced.store().sets.list_info())


def test_an_unreadable_sync_record_is_an_error_a_full_pull_rebuilds(ls_live: LiveServer, synced: Project) -> None:
    store = synced.store()
    store.meta.put(META_ERRORS, "{not json", actor="test")
    store.meta.put(META_FEEDBACK, "[]", actor="test")
    with pytest.raises(LabelStudioError, match=r"labelstudio\.feedback"):
        push_project(synced, actor="test")
    with pytest.raises(LabelStudioError, match=r"labelstudio\.pull_errors") as info:
        status(store)
    assert info.value.hint is not None and "--full" in info.value.hint
    with pytest.raises(LabelStudioError, match=r"labelstudio\.pull_errors"):
        pull_project(synced, actor="test")
    assert pull_project(synced, actor="test", full=True).errors == []
    assert status(store).errors == [] and push_project(synced, actor="test").tasks_unchanged == 3


EARLIER_CONFIG = (
    '<View><Labels name="entity" toName="text"><Label value="PER"/><Label value="GPE"/></Labels>'
    '<Text name="text" value="$text"/></View>'
)
"""The shape of annotate's earlier labeling config: one <Labels> per kind, named like it."""


def test_a_project_annotated_with_the_earlier_config_is_pulled_then_moved(ls_env: LiveServer, project: Project) -> None:
    ls_live = ls_env
    client = ls_live.client()
    store = project.store()
    text = TEXTS[1][2]
    store.documents.put([Document.create(text, lang="ar", id="doc-ar")], actor="test")
    pid = client.create_project("earlier config", EARLIER_CONFIG, "made by an earlier annotate")
    (tid,) = client.import_tasks(pid, [{"data": {"text": text, "doc_id": "doc-ar"}}])
    store.external_ids.put("labelstudio", "project", "project", str(pid), {"url": ls_live.url, "title": "earlier"},
                           actor="test")
    store.external_ids.put("labelstudio", "task", "doc-ar", str(tid), {}, actor="test")
    old = {"id": "g1", "from_name": c.ENTITY, "to_name": c.TEXT, "type": "labels",
           "value": {**span(text, "بغداد"), "labels": ["GPE"]}}
    client.create_annotation(tid, [old], ls_live.users["ali@example.org"])
    with pytest.raises(LabelStudioError, match="holds annotations made with an earlier labeling config") as info:
        push_project(project, actor="test")
    assert info.value.hint is not None and "--new-project" in info.value.hint
    assert pull_project(project, actor="test").errors == []  # the earlier shape is read
    (gpe,) = store.sets.get("doc-ar", "ali").entities
    assert (gpe.id, gpe.type, gpe.text) == ("g1", "GPE", "بغداد")
    moved = push_project(project, actor="test", new_project=True)
    assert moved.project_created and moved.tasks_created == 1


def test_a_short_project_name_gets_a_title_label_studio_accepts(ls_env: LiveServer, tmp_path: Path) -> None:
    ls_live = ls_env
    with init_project(tmp_path / "p") as short:  # Label Studio refuses titles under 3 characters with a 400
        short.store().documents.put([Document.create(TEXTS[0][2], lang="fa", id="doc-fa")], actor="test")
        report = push_project(short, actor="test")
        assert report.tasks_created == 1
        assert ls_live.client().get_project(linked_project_id(short.store()))["title"] == "annotate p"


def test_a_chosen_title_label_studio_would_refuse_is_refused_before_any_request(
    ls_env: LiveServer, synced: Project
) -> None:
    before = linked_project_id(synced.store())
    for bad in ("ab", "x" * 51):
        out = CliRunner().invoke(cli, ["--project", str(synced.path), "ls", "push", "--project-title", bad])
        assert out.exit_code == 1 and "3 to 50 characters" in out.output and "--project-title" in out.output
    assert linked_project_id(synced.store()) == before
    assert ls_env.client().get_project(before)["title"] != "ab"
