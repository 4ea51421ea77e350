"""Push documents and engine pre-annotations to Label Studio; pull annotators' work back, incrementally.

Ids are mapped in the store (``put_external_id``, system ``labelstudio``): kind ``project`` (local id
``project``: the Label Studio project of this annotate project), ``task`` (local id: our document id; data: the
text hash and the prediction pushed), ``user`` (local id: the annotator; external id: the Label Studio user) and
``annotation`` (local id ``<doc_id>/<annotator>``; data: the Label Studio ``updated_at`` and our revision it
became).  So pushing again adds only new documents and updates only changed predictions, and pulling again
changes nothing.  An annotation deleted in Label Studio (which touches its task, so an incremental pull sees it)
makes the set pulled from it ``withdrawn``: a new revision with the same marks, left out of agreement and
adjudication, unless it was edited here since the pull.  The pull cursor, the time of the last push and pull
and the per-task errors of the last pull are kept with ``store.meta.put``.

What a pull asks of a task's annotators is written back to it, in its :data:`~annotate.labelstudio.config.FEEDBACK`
data field, which the labeling config shows above the text: why an annotation was not stored, and which dates of
a stored one were kept without a value (flagged for review).  What the pull completed on its own (a date read by
the engine, a relation labelled) is kept with the stored set and listed by :func:`status`.  Label
Studio Community has no comments or review states (``/api/comments/`` answers 404 in 1.23.2), so a task data
field is the one place an annotator sees it.  It is written only when it changes (its hash is kept in the store).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from tqdm import tqdm

from ..annotation.prelabel import ENGINE_AUTHOR, engine_annotations
from ..canonical import canonical_json, json_sha256, now_iso
from ..dates import ENGINE_VERSION
from ..errors import ConflictError, InvalidAnnotation, LabelStudioError, NotFound
from ..models import (
    RESERVED_AUTHORS,
    SUGGESTION_AUTHORS,
    AnnotationSet,
    AnnotationStatus,
    Document,
)
from ..project import Project
from ..redact import has_password, redact_url
from ..store import ExternalId, Store
from ..taxonomy import Taxonomy
from . import config as cfg
from .client import (
    ENV_API_KEY,
    ENV_URL,
    LabelStudioClient,
    checked_title,
    connect,
    fitted_title,
    read_project_settings,
    resolve_connection,
)
from .convert import read_ls_result, to_ls_prediction, to_ls_result

SYSTEM = "labelstudio"
PROJECT_KEY = "project"
META_CURSOR = "labelstudio.pull_cursor"
META_LAST_PULL = "labelstudio.last_pull"
META_LAST_PUSH = "labelstudio.last_push"
META_ERRORS = "labelstudio.pull_errors"
META_FEEDBACK = "labelstudio.feedback"
"""Task id -> hash of the feedback text last written to the task (so it is written only when it changes)."""
INCOMPATIBLE = "Created annotations are incompatible with provided labeling schema"
"""How Label Studio 1.23 refuses a labeling config that existing annotations do not fit."""
LS_TIME = "%Y-%m-%dT%H:%M:%S.%fZ"
"""The only datetime format Label Studio's task filter accepts."""
CURSOR_MARGIN = timedelta(seconds=2)
"""Re-read tasks updated this long before the cursor: equal content is skipped, so overlap is harmless."""

T = TypeVar("T")


@dataclass
class PushReport:
    """What a push did."""

    project_id: int
    project_created: bool = False
    config_updated: bool = False
    tasks_created: int = 0
    tasks_recovered: int = 0
    tasks_text_updated: int = 0
    predictions_updated: int = 0
    tasks_unchanged: int = 0


@dataclass(frozen=True)
class TaskError:
    """Why one task's annotation was not stored."""

    task_id: int
    doc_id: str | None
    message: str


@dataclass(frozen=True)
class TaskNote:
    """What a pull completed or fixed in an annotation it stored (one line, naming the region)."""

    task_id: int
    doc_id: str
    message: str
    flagged: bool = False
    """A date stored without a value (or with assumed fields): a curator has to complete it."""


@dataclass
class PullReport:
    """What a pull did."""

    project_id: int
    tasks_seen: int = 0
    tasks_fetched: int = 0
    sets_saved: int = 0
    sets_unchanged: int = 0
    sets_withdrawn: int = 0
    errors: list[TaskError] = field(default_factory=list)
    notes: list[TaskNote] = field(default_factory=list)
    feedback_written: int = 0
    cursor: str | None = None


@dataclass(frozen=True)
class SyncStatus:
    """The state of the link with Label Studio, from the store alone (no server call)."""

    project_id: int | None
    url: str | None
    title: str | None
    documents: int
    mapped_tasks: int
    pulled_sets: int
    last_push: str | None
    last_pull: str | None
    cursor: str | None
    errors: list[TaskError]
    notes: list[TaskNote]
    """What the pulls completed in the sets they stored (from the annotations still linked)."""


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ----------------------------------------------------------------------------------------------------- push


def _ensure_project(
    store: Store, client: LabelStudioClient, taxonomy: Taxonomy, *, title: str, new_project: bool, actor: str
) -> PushReport:
    label_config = cfg.label_config(taxonomy)
    config_sha = json_sha256(label_config)
    link = None if new_project else store.external_ids.find(SYSTEM, "project", PROJECT_KEY)
    if link is not None:
        linked_url = link.data.get("url")
        if linked_url is not None and redact_url(str(linked_url)) != client.shown_url:
            raise LabelStudioError(
                f"this annotate project is linked to Label Studio project {link.external_id} at "
                f"{redact_url(str(linked_url))}, not {client.shown_url}",
                hint="push with --url of that server, or --new-project to start over on this one",
            )
        pid = int(link.external_id)
        project = client.get_project(pid)  # 404 when it was deleted in Label Studio
        report = PushReport(pid)
        fields: dict[str, Any] = {}
        if project.get("title") != title:
            fields["title"] = title
        on_server = str(project.get("label_config", "")).strip()
        if link.data.get("config_sha") != config_sha or on_server != label_config.strip():
            try:
                client.validate_config(pid, label_config)
            except LabelStudioError as exc:
                if INCOMPATIBLE not in exc.message:
                    raise
                raise LabelStudioError(
                    f"Label Studio project {pid} holds annotations made with an earlier labeling config, and Label "
                    f"Studio refuses the new one over them ({exc.message})",
                    hint="run `annotate ls pull` (it reads annotations of the earlier config too), then `annotate ls "
                    "push --new-project`: the new project gets the new config, the old one stays as it is",
                ) from None
            fields["label_config"] = label_config
            report.config_updated = True
        if fields:
            client.update_project(pid, **fields)
    else:
        pid = client.create_project(title, label_config, "Synced with annotate: edit here, curate and export there.")
        report = PushReport(pid, project_created=True)
    store.external_ids.put(SYSTEM, "project", PROJECT_KEY, str(pid),
                          {"url": client.shown_url, "title": title, "config_sha": config_sha}, actor=actor)
    return report


@dataclass(frozen=True)
class _Prediction:
    """One pre-annotation engine's output on one task, as Label Studio takes it."""

    author: str
    result: list[dict[str, Any]]
    version: str
    score: float | None = None

    def payload(self) -> dict[str, Any]:
        """The prediction as imported with its task."""
        return {"model_version": self.version, "result": self.result,
                **({} if self.score is None else {"score": self.score})}

    @property
    def sha(self) -> str:
        """What changes when the prediction must be written again."""
        return json_sha256([self.result, self.version] if self.score is None else [self.result, self.version,
                                                                                    self.score])


def _predictions(document: Document, pre: dict[str, dict[str, AnnotationSet]]) -> list[_Prediction]:
    """The predictions of a task: the date engine's output (its stored set, else a fresh run), then each entity
    and event suggester's stored set on the current text, with their confidences as scores."""
    aset = pre[ENGINE_AUTHOR].get(document.id) or engine_annotations(document)
    version = str(aset.metadata.get("engine_version") or ENGINE_VERSION)
    out = [_Prediction(ENGINE_AUTHOR, to_ls_result(aset, document.text), version)]
    for author in SUGGESTION_AUTHORS:
        s = pre[author].get(document.id)
        if s is None or (s.text_sha256 is not None and s.text_sha256 != document.text_sha256):
            continue
        if s.entities or s.events:
            result, score = to_ls_prediction(s, document.text)
            out.append(_Prediction(author, result, str(s.metadata.get("model_version") or author), score))
    return out


def _slots(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The predictions pushed to a task, by author: ``{author: {"sha", "id"}}`` (a task pushed before there
    were several kept the date engine's as ``prediction_sha`` and ``prediction_id``)."""
    slots = data.get("predictions")
    if isinstance(slots, dict):
        return {str(k): dict(v) for k, v in slots.items() if isinstance(v, dict)}
    return {ENGINE_AUTHOR: {"sha": data.get("prediction_sha"), "id": data.get("prediction_id")}}


def _task_payload(document: Document, feedback: str = "") -> dict[str, Any]:
    return {cfg.TEXT: document.text, cfg.DOC_ID: document.id, "lang": document.lang,
            "title": document.title or "", cfg.FEEDBACK: feedback}


def push(
    store: Store,
    taxonomy: Taxonomy,
    client: LabelStudioClient,
    *,
    title: str,
    actor: str,
    new_project: bool = False,
    batch_size: int = 500,
    progress: bool = False,
) -> PushReport:
    """Create or update the Label Studio project, import new documents as tasks, update changed predictions.

    The engine's output (the stored ``dates-engine`` set, else a fresh :func:`engine_annotations`) goes in as a
    prediction with the engine version as ``model_version``, and each entity and event suggester's stored set
    (``suggest-strings``, ``suggest-model``) as a prediction of its own, with each region's confidence as its
    ``score`` and their mean as the prediction's.  Idempotent: the mapping of documents to tasks is
    stored after every batch, and tasks already in the project but missing from the mapping (an interrupted
    push) are recognised by their ``doc_id`` instead of being imported twice.
    """
    report = _ensure_project(store, client, taxonomy, title=title, new_project=new_project, actor=actor)
    pid = report.project_id
    documents = store.documents.list()
    pre = {author: {s.doc_id: s for s in store.sets.list(author=author)}
           for author in (ENGINE_AUTHOR, *SUGGESTION_AUTHORS)}
    links = {} if new_project else {m.local_id: m for m in store.external_ids.list(SYSTEM, "task")}
    unmapped = [d for d in documents if d.id not in links]
    if unmapped and not report.project_created:
        # An interrupted push may have imported tasks whose mapping was never written.
        wanted = {d.id for d in unmapped}
        for task in client.iter_tasks(pid):
            doc_id = (task.get("data") or {}).get(cfg.DOC_ID)
            if doc_id in wanted:
                m = store.external_ids.put(SYSTEM, "task", doc_id, str(task["id"]),
                                          {"text_sha256": None, "predictions": {}}, actor=actor)
                links[doc_id] = m
                report.tasks_recovered += 1
        unmapped = [d for d in documents if d.id not in links]
    feedback = _load_record(store, META_FEEDBACK)
    bar = tqdm(total=len(documents), desc="push", unit="doc", disable=not progress, leave=False)
    try:
        for batch in _batches(unmapped, batch_size):
            payload, pushed = [], []
            for d in batch:
                preds = _predictions(d, pre)
                payload.append({"data": _task_payload(d), "predictions": [p.payload() for p in preds]})
                pushed.append({p.author: {"sha": p.sha, "id": None} for p in preds})
            ids = client.import_tasks(pid, payload)
            for d, tid, sent in zip(batch, ids, pushed, strict=True):
                store.external_ids.put(SYSTEM, "task", d.id, str(tid),
                                      {"text_sha256": d.text_sha256, "predictions": sent}, actor=actor)
            report.tasks_created += len(batch)
            bar.update(len(batch))
        fresh = {d.id for d in unmapped}
        for d in documents:
            if d.id in fresh:
                continue
            link = links[d.id]
            tid, data = int(link.external_id), dict(link.data)
            changed = False
            if data.get("text_sha256") != d.text_sha256:
                if data.get("text_sha256") is not None:
                    client.update_task_data(tid, _task_payload(d))  # the feedback was about the old text
                    feedback.pop(str(tid), None)
                    report.tasks_text_updated += 1
                data["text_sha256"] = d.text_sha256
                changed = True
            slots = _slots(data)
            for p in _predictions(d, pre):
                known: dict[str, Any] = slots.get(p.author, {})
                if known.get("sha") == p.sha:
                    continue
                pred_id = known.get("id") or _find_prediction(client, tid, p.author)
                if pred_id is None:
                    pred_id = client.create_prediction(tid, p.result, p.version, p.score)
                else:
                    client.update_prediction(int(pred_id), p.result, p.version, p.score)
                slots[p.author] = {"sha": p.sha, "id": int(pred_id)}
                report.predictions_updated += 1
                changed = True
            if changed:
                data.pop("prediction_sha", None)
                data.pop("prediction_id", None)
                data["predictions"] = slots
                store.external_ids.put(SYSTEM, "task", d.id, str(tid), data, actor=actor)
            else:
                report.tasks_unchanged += 1
            bar.update(1)
    finally:
        bar.close()
        _save_record(store, META_FEEDBACK, feedback, actor=actor)
    store.meta.put(META_LAST_PUSH, now_iso(), actor=actor)
    return report


def _find_prediction(client: LabelStudioClient, task_id: int, author: str) -> int | None:
    """The id of ``author``'s prediction on a task (imported predictions do not report their ids): its model
    version starts with the author's name (``dates-engine 0.1.0``, ``suggest-model m2-...``)."""
    preds = client.call(f"list the predictions of task {task_id}", client.sdk.predictions.list, task=task_id)
    ours = [p for p in preds if str(p.model_version or "").split(" ")[0] == author]
    return int(ours[-1].id) if ours else None


# ----------------------------------------------------------------------------------------------------- pull


def annotator_for(email: str, users: dict[str, str]) -> str:
    """Our annotator name for a Label Studio e-mail: the ``users`` mapping of project.json, else the local part."""
    key = email.strip().lower()
    if key in users:
        return users[key]
    return key.split("@", 1)[0]


def _user_id(value: Any) -> int | None:
    if isinstance(value, dict):
        value = value.get("id")
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else None


def _load_record(store: Store, key: str, *, rebuild: bool = False) -> dict[str, Any]:
    """A JSON object kept with ``store.meta.put`` by the sync (empty when there is none yet).

    Raises :class:`LabelStudioError` when it does not read as one, unless ``rebuild`` (``annotate ls pull
    --full``, which recomputes it): then it starts empty.
    """
    raw = store.meta.find(key)
    try:
        data = json.loads(raw) if raw else {}
    except json.JSONDecodeError as exc:
        data = exc
    if not isinstance(data, dict):
        if rebuild:
            return {}
        raise LabelStudioError(f"the sync's record {key!r} in this project's store is not a JSON object "
                               f"({str(data)[:80]})", hint="`annotate ls pull --full` rebuilds it")
    return data


def _save_record(store: Store, key: str, data: dict[str, Any], *, actor: str) -> None:
    """Keep ``data`` as the record ``key`` (no write, so no audit entry, when it is unchanged)."""
    text = canonical_json(data)
    if store.meta.find(key) != text:
        store.meta.put(key, text, actor=actor)


def pull(
    store: Store,
    taxonomy: Taxonomy,
    client: LabelStudioClient,
    *,
    users: dict[str, str] | None = None,
    actor: str,
    full: bool = False,
    batch_size: int = 500,
    progress: bool = False,
) -> PullReport:
    """Store every annotation updated in Label Studio since the last pull as its annotator's annotation set.

    Each Label Studio user's latest non-cancelled annotation of a task becomes the set of the annotator their
    e-mail maps to (``users``, else the e-mail's local part), saved on top of the revision the previous pull
    wrote (a local edit since then makes it a conflict, kept by the store).  A task whose annotation does not
    convert or validate is reported in :attr:`PullReport.errors` and nothing of it is stored.  A set pulled from
    an annotation since deleted in Label Studio is withdrawn (see the module docstring).  ``full`` ignores the
    cursor (unchanged annotations are still skipped).
    """
    link = store.external_ids.find(SYSTEM, "project", PROJECT_KEY)
    if link is None:
        raise LabelStudioError("this annotate project has no Label Studio project yet",
                               hint="run `annotate ls push` first")
    pid = int(link.external_id)
    client.get_project(pid)  # 404 when it was deleted in Label Studio
    report = PullReport(pid)
    cursor = None if full else store.meta.find(META_CURSOR)
    since = None
    if cursor:
        since = (datetime.strptime(cursor, LS_TIME) - CURSOR_MARGIN).strftime(LS_TIME)
    emails = client.list_users()
    mapping = {k.strip().lower(): v for k, v in (users or {}).items()}
    errors = {} if full else _load_record(store, META_ERRORS)
    maps = _Maps(
        tasks={m.external_id: m.local_id for m in store.external_ids.list(SYSTEM, "task")},
        annotations={m.local_id: m for m in store.external_ids.list(SYSTEM, "annotation")},
        users={m.local_id: m.external_id for m in store.external_ids.list(SYSTEM, "user")},
    )
    known = {(m.external_id, m.data.get("updated_at")) for m in maps.annotations.values()}
    pulled_from: dict[int, list[str]] = {}  # task -> the keys of the sets pulled from its annotations
    for key, m in maps.annotations.items():
        pulled_from.setdefault(int(m.data.get("task", -1)), []).append(key)
    newest = cursor
    wanted: list[int] = []
    gone: dict[int, set[str]] = {}  # tasks that lost an annotation we pulled -> the annotations they still have
    checked: dict[int, list[TaskError]] = {}  # tasks whose errors this pull settles -> their problems
    # A cheap listing first (ids and times only); only tasks with an annotation not pulled yet are read in full.
    for brief in client.iter_tasks(pid, updated_after=since, brief=True):
        report.tasks_seen += 1
        updated = str(brief.get("updated_at") or "")
        if updated and (newest is None or updated > newest):
            newest = updated
        tid = int(brief["id"])
        anns = brief.get("annotations") or []
        ids = {str(a.get("id")) for a in anns}
        if any(maps.annotations[key].external_id not in ids for key in pulled_from.get(tid, ())):
            gone[tid] = ids
        if not anns:
            checked[tid] = []
        elif all((str(a.get("id")), str(a.get("updated_at"))) in known for a in anns):
            report.sets_unchanged += len(anns)
        else:
            wanted.append(tid)
    task_data: dict[int, dict[str, Any]] = {}  # the data of the tasks read in full (to write feedback into)
    bar = tqdm(total=len(wanted), desc="pull", unit="task", disable=not progress, leave=False)
    try:
        for chunk in _batches(wanted, batch_size):
            for task in client.export_tasks(pid, chunk):
                report.tasks_fetched += 1
                tid = int(task["id"])
                task_data[tid] = dict(task.get("data") or {})
                checked[tid] = _pull_task(store, taxonomy, task, emails, mapping, maps, report, actor=actor)
                bar.update(1)
    finally:
        bar.close()
    for tid, ids in gone.items():
        # After the fetch: a set whose annotation was replaced by a new one has just been pulled from that one.
        keys = [k for k in pulled_from[tid] if k in maps.annotations and maps.annotations[k].external_id not in ids]
        checked.setdefault(tid, []).extend(_withdraw_deleted(store, tid, keys, maps, report, actor=actor))
    for tid, problems in checked.items():
        if problems:
            errors[str(tid)] = {"doc_id": problems[0].doc_id, "message": "\n".join(p.message for p in problems)}
            report.errors.extend(problems)
        else:
            errors.pop(str(tid), None)
    now = now_iso()
    if newest and newest != cursor:
        store.meta.put(META_CURSOR, newest, actor=actor)
    _save_record(store, META_ERRORS, errors, actor=actor)
    store.meta.put(META_LAST_PULL, now, actor=actor)
    report.cursor = newest
    _write_feedback(store, client, checked, maps, task_data, report, actor=actor, rebuild=full)
    return report


def feedback_text(problems: list[TaskError], flagged: dict[str, list[str]]) -> str:
    """What annotate asks of a task's annotators: the problems that kept annotations out of the store, then, per
    stored annotation (``flagged`` keys name them), the dates it stored without a value.  Empty when nothing is
    asked.  What a pull completed on its own is not repeated here (see :func:`status`): every task write costs
    Label Studio about 0.6 s, so the task is written only when an annotator has something to do."""
    lines: list[str] = []
    if problems:
        lines.append("NOT STORED in annotate; fix the annotation and submit it again:")
        lines.extend(p.message for p in problems)
    for who, items in sorted(flagged.items()):
        if items:
            lines.append(f"Stored in annotate ({who}), but give these dates a calendar and a value:")
            lines.extend(f"  - {x}" for x in items)
    return "\n".join(lines)


def _write_feedback(
    store: Store, client: LabelStudioClient, checked: dict[int, list[TaskError]], maps: _Maps,
    task_data: dict[int, dict[str, Any]], report: PullReport, *, actor: str, rebuild: bool,
) -> None:
    """Write the feedback of every task this pull settled into its data, where it changed."""
    written = _load_record(store, META_FEEDBACK, rebuild=rebuild)
    notes: dict[int, dict[str, list[str]]] = {}
    for m in maps.annotations.values():
        items = [text for text, flagged in _stored_notes(m) if flagged]
        if items:
            who = f"annotation {m.external_id} by {m.data.get('email') or m.local_id.partition('/')[2]}"
            notes.setdefault(int(m.data.get("task", -1)), {})[who] = items
    try:
        for tid, problems in sorted(checked.items()):
            text = feedback_text(problems, notes.get(tid, {}))
            sha = json_sha256(text)
            if written.get(str(tid), json_sha256("")) == sha:
                continue
            data = task_data.get(tid)
            if data is None:
                doc_id = maps.tasks.get(str(tid))
                if doc_id is None:
                    continue  # a task not pushed from here: nothing of it is stored, and its data is not ours
                data = _task_payload(store.documents.get(doc_id))
            client.update_task_data(tid, {**data, cfg.FEEDBACK: text})
            report.feedback_written += 1
            if text:
                written[str(tid)] = sha
            else:
                written.pop(str(tid), None)
    finally:
        _save_record(store, META_FEEDBACK, written, actor=actor)


@dataclass
class _Maps:
    """The id mappings a pull reads, loaded once (one query each instead of several per task)."""

    tasks: dict[str, str]  # Label Studio task id -> our document id
    annotations: dict[str, ExternalId]  # "<doc_id>/<annotator>" -> the annotation last pulled
    users: dict[str, str]  # annotator -> Label Studio user id


def _pull_task(
    store: Store,
    taxonomy: Taxonomy,
    task: dict[str, Any],
    emails: dict[int, str],
    users: dict[str, str],
    maps: _Maps,
    report: PullReport,
    *,
    actor: str,
) -> list[TaskError]:
    tid = int(task["id"])
    doc_id = maps.tasks.get(str(tid)) or (task.get("data") or {}).get(cfg.DOC_ID)
    if not isinstance(doc_id, str):
        return [TaskError(tid, None, f"task {tid}: no {cfg.DOC_ID} in its data and not pushed from here")]
    try:
        document = store.documents.get(doc_id)
    except NotFound:
        return [TaskError(tid, doc_id, f"task {tid}: document {doc_id!r} is not in this annotate project")]
    latest: dict[int, dict[str, Any]] = {}
    problems: list[TaskError] = []
    for ann in task.get("annotations") or []:
        if ann.get("was_cancelled"):
            continue  # skipped in Label Studio: nothing to store
        uid = _user_id(ann.get("completed_by"))
        if uid is None:
            problems.append(TaskError(tid, doc_id, f"task {tid}, annotation {ann.get('id')}: no Label Studio user "
                                                   "completed it, so it has no annotator"))
            continue
        if uid not in latest or str(ann.get("updated_at")) > str(latest[uid].get("updated_at")):
            latest[uid] = ann
    for uid, ann in sorted(latest.items()):
        aid = int(ann["id"])
        email = emails.get(uid, "")
        if not email:
            problems.append(TaskError(tid, doc_id, f"task {tid}, annotation {aid}: Label Studio user {uid} has no "
                                                   "e-mail to map to an annotator"))
            continue
        author = annotator_for(email, users)
        where = f"task {tid}, annotation {aid} by {email}"
        if author in RESERVED_AUTHORS or not author:
            problems.append(TaskError(tid, doc_id, f"{where}: {email} maps to the reserved author {author!r}; "
                                                   "map it to another name in project.json labelstudio.users"))
            continue
        clash = _user_clash(author, uid, email, emails, maps)
        if clash:
            problems.append(TaskError(tid, doc_id, f"{where}: {clash}"))
            continue
        key = f"{doc_id}/{author}"
        seen = maps.annotations.get(key)
        stamp = str(ann.get("updated_at"))
        if seen is not None and seen.external_id == str(aid) and seen.data.get("updated_at") == stamp:
            report.sets_unchanged += 1
            continue
        meta: dict[str, Any] = {"task": tid, "annotation": aid}
        try:
            read = read_ls_result(ann.get("result") or [], document, taxonomy, author=author,
                                  status=AnnotationStatus.submitted, metadata={"labelstudio": meta}, where=where)
        except InvalidAnnotation as exc:
            problems.append(TaskError(tid, doc_id, str(exc)))
            continue
        aset = read.aset
        notes = [{"text": n.text, "flagged": n.flagged} for n in read.notes]
        if notes:
            meta["notes"] = [n.text for n in read.notes]
            meta["flagged_dates"] = read.flagged
        try:
            current: AnnotationSet | None = store.sets.get(doc_id, author)
        except NotFound:
            current = None
        if current is not None and current.content() == aset.content():
            revision = current.revision
            report.sets_unchanged += 1
        else:
            base = int(seen.data.get("revision", 0)) if seen is not None else (current.revision if current else 0)
            try:
                revision = store.sets.save(aset, base_revision=base, actor=actor).revision
            except (ConflictError, InvalidAnnotation) as exc:
                problems.append(TaskError(tid, doc_id, f"{where}: {exc}"))
                continue
            report.sets_saved += 1
        report.notes.extend(TaskNote(tid, doc_id, f"{where}: {n.text}", n.flagged) for n in read.notes)
        maps.annotations[key] = store.external_ids.put(
            SYSTEM, "annotation", key, str(aid),
            {"task": tid, "updated_at": stamp, "revision": revision, "email": email, "notes": notes}, actor=actor,
        )
        if maps.users.get(author) != str(uid):
            store.external_ids.put(SYSTEM, "user", author, str(uid), {"email": email}, actor=actor)
            maps.users[author] = str(uid)
    return problems


def _stored_notes(m: ExternalId) -> list[tuple[str, bool]]:
    """The notes kept with an annotation's mapping: (text, flagged)."""
    return [(str(n["text"]), bool(n["flagged"])) for n in m.data.get("notes") or []]


def _user_clash(author: str, uid: int, email: str, emails: dict[int, str], maps: _Maps) -> str | None:
    """Why ``uid`` cannot write the sets of ``author`` (None when it can): an annotator's sets come from one Label
    Studio user, and a Label Studio user's work goes to one annotator."""
    holder = maps.users.get(author)
    if holder is not None and holder != str(uid):
        other = emails.get(int(holder)) or f"user {holder}"
        return (f"{email} maps to annotator {author!r}, whose sets come from {other}; two Label Studio users "
                "cannot share one annotator's sets: give them different names in project.json labelstudio.users")
    was = next((a for a, u in maps.users.items() if u == str(uid) and a != author), None)
    if was is not None:
        return (f"{email} was pulled as annotator {was!r} and now maps to {author!r}; rename the annotator's sets "
                f"or map {email} back to {was!r} in project.json labelstudio.users")
    return None


def _withdraw_deleted(
    store: Store, tid: int, keys: list[str], maps: _Maps, report: PullReport, *, actor: str
) -> list[TaskError]:
    """Withdraw the sets ``keys`` of task ``tid``, pulled from annotations Label Studio no longer has.  A set edited
    here since it was pulled is left as it is and reported: the refused save is kept as a conflict for a curator
    to look at."""
    problems: list[TaskError] = []
    for key in keys:
        seen = maps.annotations[key]
        doc_id, _, author = key.partition("/")
        where = f"task {tid}, annotation {seen.external_id} by {seen.data.get('email') or author}"
        try:
            current = store.sets.get(doc_id, author)
        except NotFound:
            current = None
        if current is not None and current.status is not AnnotationStatus.withdrawn:
            note = {**current.metadata.get("labelstudio", {}), "deleted": now_iso()}
            withdrawn = current.model_copy(update={
                "status": AnnotationStatus.withdrawn, "metadata": {**current.metadata, "labelstudio": note}})
            try:
                store.sets.save(withdrawn, base_revision=int(seen.data.get("revision", 0)), actor=actor)
            except ConflictError as exc:
                problems.append(TaskError(tid, doc_id, f"{where} was deleted in Label Studio, but the set was edited "
                                                       f"here since it was pulled, so it stays as it is: {exc}"))
                continue
            report.sets_withdrawn += 1
        store.external_ids.delete(SYSTEM, "annotation", key, actor=actor)
        del maps.annotations[key]
    return problems


# --------------------------------------------------------------------------------------------------- status


def status(store: Store) -> SyncStatus:
    """Counts and times of the link with Label Studio, from the store alone."""
    link = store.external_ids.find(SYSTEM, "project", PROJECT_KEY)
    errors = [
        TaskError(int(k), v.get("doc_id"), str(v.get("message", "")))
        for k, v in sorted(_load_record(store, META_ERRORS).items(), key=lambda kv: int(kv[0]))
    ]
    annotations = store.external_ids.list(SYSTEM, "annotation")
    notes: list[TaskNote] = []
    for m in sorted(annotations, key=lambda m: (int(m.data.get("task", -1)), m.local_id)):
        who = f"task {m.data.get('task')}, annotation {m.external_id} by {m.data.get('email') or m.local_id}"
        notes.extend(TaskNote(int(m.data.get("task", -1)), m.local_id.partition("/")[0], f"{who}: {text}", flagged)
                     for text, flagged in _stored_notes(m))
    return SyncStatus(
        project_id=int(link.external_id) if link else None,
        url=redact_url(str(link.data["url"])) if link and link.data.get("url") else None,
        title=link.data.get("title") if link else None,
        documents=store.documents.count(),
        mapped_tasks=len(store.external_ids.list(SYSTEM, "task")),
        pulled_sets=len(annotations),
        last_push=store.meta.find(META_LAST_PUSH),
        last_pull=store.meta.find(META_LAST_PULL),
        cursor=store.meta.find(META_CURSOR),
        errors=errors,
        notes=notes,
    )



# ------------------------------------------------------------------------------------ with a project directory


def suggested_url(project: Project) -> str | None:
    """The URL a push or pull would use without a flag: ``$LABEL_STUDIO_URL``, else ``project.json``, else the
    URL of the Label Studio project it is already linked to (unless a password was redacted from it: the store
    never keeps one)."""
    url = os.environ.get(ENV_URL) or read_project_settings(project.path).url
    if url:
        return url
    link = project.store().external_ids.find(SYSTEM, "project", PROJECT_KEY)
    linked = link.data.get("url") if link is not None else None
    return str(linked) if linked and not has_password(str(linked)) else None


def key_in_environment() -> bool:
    """Whether ``$LABEL_STUDIO_API_KEY`` is set (the app asks for a key only when it is not)."""
    return bool(os.environ.get(ENV_API_KEY))


def client_for(project: Project, *, url: str | None = None, api_key: str | None = None) -> LabelStudioClient:
    """A client for ``project``: ``url`` / ``api_key`` flags, else the environment, else ``project.json``, else
    the URL of the Label Studio project it is already linked to."""
    return connect(resolve_connection(project.path, url=url or suggested_url(project), api_key=api_key))


def push_project(
    project: Project,
    *,
    actor: str,
    url: str | None = None,
    api_key: str | None = None,
    title: str | None = None,
    new_project: bool = False,
    progress: bool = False,
) -> PushReport:
    """:func:`push` for a project directory; the title defaults to ``project.json``'s ``labelstudio.project_title``,
    else the linked project's title, else the annotate project's title."""
    store = project.store()
    link = store.external_ids.find(SYSTEM, "project", PROJECT_KEY)
    configured = read_project_settings(project.path).project_title
    linked = link.data.get("title") if link is not None and not new_project else None
    if title:
        chosen = checked_title(title, "--project-title")
    elif configured:
        chosen = checked_title(configured, f"{project.path / 'project.json'}: labelstudio.project_title")
    else:
        chosen = str(linked) if linked else fitted_title(project.title)
    with client_for(project, url=url, api_key=api_key) as client:
        return push(store, project.taxonomy(), client, title=chosen, actor=actor, new_project=new_project,
                    progress=progress)


def pull_project(
    project: Project,
    *,
    actor: str,
    url: str | None = None,
    api_key: str | None = None,
    full: bool = False,
    progress: bool = False,
) -> PullReport:
    """:func:`pull` for a project directory, mapping users with ``project.json``'s ``labelstudio.users``."""
    users = read_project_settings(project.path).users
    with client_for(project, url=url, api_key=api_key) as client:
        return pull(project.store(), project.taxonomy(), client, users=users, actor=actor, full=full,
                    progress=progress)
