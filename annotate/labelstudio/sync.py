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
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from tqdm import tqdm

from ..annotation.prelabel import ENGINE_AUTHOR, engine_annotations
from ..dates import ENGINE_VERSION
from ..errors import ConflictError, InputError, InvalidAnnotation, LabelStudioError, NotFound
from ..models import GOLD_AUTHOR, AnnotationSet, AnnotationStatus, Document, utcnow
from ..project import Project
from ..store import ExternalId, Store
from ..taxonomy import Taxonomy
from . import config as cfg
from .client import ENV_API_KEY, ENV_URL, LabelStudioClient, connect, read_project_settings, resolve_connection
from .convert import from_ls_result, to_ls_result

SYSTEM = "labelstudio"
PROJECT_KEY = "project"
META_CURSOR = "labelstudio.pull_cursor"
META_LAST_PULL = "labelstudio.last_pull"
META_LAST_PUSH = "labelstudio.last_push"
META_ERRORS = "labelstudio.pull_errors"
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


def _sha(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _batches(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


# ----------------------------------------------------------------------------------------------------- push


def _ensure_project(
    store: Store, client: LabelStudioClient, taxonomy: Taxonomy, *, title: str, new_project: bool, actor: str
) -> PushReport:
    label_config = cfg.label_config(taxonomy)
    config_sha = _sha(label_config)
    link = None if new_project else store.external_ids.find(SYSTEM, "project", PROJECT_KEY)
    if link is not None:
        if link.data.get("url") not in (None, client.url):
            raise LabelStudioError(
                f"this annotate project is linked to Label Studio project {link.external_id} at "
                f"{link.data.get('url')}, not {client.url}",
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
            client.validate_config(pid, label_config)
            fields["label_config"] = label_config
            report.config_updated = True
        if fields:
            client.update_project(pid, **fields)
    else:
        pid = client.create_project(title, label_config, "Synced with annotate: edit here, curate and export there.")
        report = PushReport(pid, project_created=True)
    store.external_ids.put(SYSTEM, "project", PROJECT_KEY, str(pid),
                          {"url": client.url, "title": title, "config_sha": config_sha}, actor=actor)
    return report


def _prediction(document: Document, engine_sets: dict[str, AnnotationSet]) -> tuple[list[dict[str, Any]], str]:
    aset = engine_sets.get(document.id) or engine_annotations(document)
    version = str(aset.metadata.get("engine_version") or ENGINE_VERSION)
    return to_ls_result(aset, document.text), version


def _task_payload(document: Document) -> dict[str, Any]:
    return {cfg.TEXT: document.text, cfg.DOC_ID: document.id, "lang": document.lang,
            "title": document.title or ""}


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
    prediction with the engine version as ``model_version``.  Idempotent: the mapping of documents to tasks is
    stored after every batch, and tasks already in the project but missing from the mapping (an interrupted
    push) are recognised by their ``doc_id`` instead of being imported twice.
    """
    report = _ensure_project(store, client, taxonomy, title=title, new_project=new_project, actor=actor)
    pid = report.project_id
    documents = store.documents.list()
    engine_sets = {s.doc_id: s for s in store.sets.list(author=ENGINE_AUTHOR)}
    links = {} if new_project else {m.local_id: m for m in store.external_ids.list(SYSTEM, "task")}
    unmapped = [d for d in documents if d.id not in links]
    if unmapped and not report.project_created:
        # An interrupted push may have imported tasks whose mapping was never written.
        wanted = {d.id for d in unmapped}
        for task in client.iter_tasks(pid):
            doc_id = (task.get("data") or {}).get(cfg.DOC_ID)
            if doc_id in wanted:
                m = store.external_ids.put(SYSTEM, "task", doc_id, str(task["id"]),
                                          {"text_sha256": None, "prediction_sha": None}, actor=actor)
                links[doc_id] = m
                report.tasks_recovered += 1
        unmapped = [d for d in documents if d.id not in links]
    bar = tqdm(total=len(documents), desc="push", unit="doc", disable=not progress, leave=False)
    try:
        for batch in _batches(unmapped, batch_size):
            payload, shas = [], []
            for d in batch:
                result, version = _prediction(d, engine_sets)
                payload.append({"data": _task_payload(d),
                                "predictions": [{"model_version": version, "result": result}]})
                shas.append(_sha([result, version]))
            ids = client.import_tasks(pid, payload)
            for d, tid, sha in zip(batch, ids, shas, strict=True):
                store.external_ids.put(SYSTEM, "task", d.id, str(tid),
                                      {"text_sha256": d.text_sha256, "prediction_sha": sha, "prediction_id": None},
                                      actor=actor)
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
                    client.update_task_data(tid, _task_payload(d))
                    report.tasks_text_updated += 1
                data["text_sha256"] = d.text_sha256
                changed = True
            result, version = _prediction(d, engine_sets)
            sha = _sha([result, version])
            if data.get("prediction_sha") != sha:
                pred_id = data.get("prediction_id") or _find_prediction(client, tid)
                if pred_id is None:
                    pred_id = client.create_prediction(tid, result, version)
                else:
                    client.update_prediction(int(pred_id), result, version)
                data.update(prediction_sha=sha, prediction_id=int(pred_id))
                report.predictions_updated += 1
                changed = True
            if changed:
                store.external_ids.put(SYSTEM, "task", d.id, str(tid), data, actor=actor)
            else:
                report.tasks_unchanged += 1
            bar.update(1)
    finally:
        bar.close()
    store.meta.put(META_LAST_PUSH, utcnow().isoformat(timespec="seconds"), actor=actor)
    return report


def _find_prediction(client: LabelStudioClient, task_id: int) -> int | None:
    """The id of the engine's prediction on a task (imported predictions do not report their ids)."""
    preds = client.call(f"list the predictions of task {task_id}", client.sdk.predictions.list, task=task_id)
    ours = [p for p in preds if str(p.model_version or "").startswith("dates-engine")]
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


def _load_errors(store: Store) -> dict[str, dict[str, Any]]:
    raw = store.meta.find(META_ERRORS)
    try:
        data = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


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
    errors = _load_errors(store)
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
    bar = tqdm(total=len(wanted), desc="pull", unit="task", disable=not progress, leave=False)
    try:
        for chunk in _batches(wanted, batch_size):
            for task in client.export_tasks(pid, chunk):
                report.tasks_fetched += 1
                checked[int(task["id"])] = _pull_task(store, taxonomy, task, emails, mapping, maps, report,
                                                      actor=actor)
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
    now = utcnow().isoformat(timespec="seconds")
    if newest and newest != cursor:
        store.meta.put(META_CURSOR, newest, actor=actor)
    if json.dumps(errors, sort_keys=True) != json.dumps(_load_errors(store), sort_keys=True):
        store.meta.put(META_ERRORS, json.dumps(errors, ensure_ascii=False, sort_keys=True), actor=actor)
    store.meta.put(META_LAST_PULL, now, actor=actor)
    report.cursor = newest
    return report


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
    for ann in task.get("annotations") or []:
        uid = _user_id(ann.get("completed_by"))
        if uid is None or ann.get("was_cancelled"):
            continue
        if uid not in latest or str(ann.get("updated_at")) > str(latest[uid].get("updated_at")):
            latest[uid] = ann
    problems: list[TaskError] = []
    for uid, ann in sorted(latest.items()):
        aid = int(ann["id"])
        email = emails.get(uid, "")
        if not email:
            problems.append(TaskError(tid, doc_id, f"task {tid}, annotation {aid}: Label Studio user {uid} has no "
                                                   "e-mail to map to an annotator"))
            continue
        author = annotator_for(email, users)
        where = f"task {tid}, annotation {aid} by {email}"
        if author in (ENGINE_AUTHOR, GOLD_AUTHOR) or not author:
            problems.append(TaskError(tid, doc_id, f"{where}: {email} maps to the reserved author {author!r}; "
                                                   "map it to another name in project.json labelstudio.users"))
            continue
        key = f"{doc_id}/{author}"
        seen = maps.annotations.get(key)
        stamp = str(ann.get("updated_at"))
        if seen is not None and seen.external_id == str(aid) and seen.data.get("updated_at") == stamp:
            report.sets_unchanged += 1
            continue
        try:
            aset = from_ls_result(ann.get("result") or [], document, taxonomy, author=author,
                                  status=AnnotationStatus.submitted,
                                  metadata={"labelstudio": {"task": tid, "annotation": aid}}, where=where)
        except InvalidAnnotation as exc:
            problems.append(TaskError(tid, doc_id, str(exc)))
            continue
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
        maps.annotations[key] = store.external_ids.put(
            SYSTEM, "annotation", key, str(aid),
            {"task": tid, "updated_at": stamp, "revision": revision, "email": email}, actor=actor,
        )
        if maps.users.get(author) != str(uid):
            try:
                store.external_ids.put(SYSTEM, "user", author, str(uid), {"email": email}, actor=actor)
                maps.users[author] = str(uid)
            except InputError:  # two annotator names for one Label Studio user: keep the first mapping
                pass
    return problems


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
            note = {**current.metadata.get("labelstudio", {}), "deleted": utcnow().isoformat(timespec="seconds")}
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
        for k, v in sorted(_load_errors(store).items(), key=lambda kv: int(kv[0]))
    ]
    return SyncStatus(
        project_id=int(link.external_id) if link else None,
        url=link.data.get("url") if link else None,
        title=link.data.get("title") if link else None,
        documents=store.documents.count(),
        mapped_tasks=len(store.external_ids.list(SYSTEM, "task")),
        pulled_sets=len(store.external_ids.list(SYSTEM, "annotation")),
        last_push=store.meta.find(META_LAST_PUSH),
        last_pull=store.meta.find(META_LAST_PULL),
        cursor=store.meta.find(META_CURSOR),
        errors=errors,
    )



# ------------------------------------------------------------------------------------ with a project directory


def suggested_url(project: Project) -> str | None:
    """The URL a push or pull would use without a flag: ``$LABEL_STUDIO_URL``, else ``project.json``, else the
    URL of the Label Studio project it is already linked to."""
    url = os.environ.get(ENV_URL) or read_project_settings(project.path).url
    if url:
        return url
    link = project.store().external_ids.find(SYSTEM, "project", PROJECT_KEY)
    linked = link.data.get("url") if link is not None else None
    return str(linked) if linked else None


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
    client = client_for(project, url=url, api_key=api_key)
    store = project.store()
    link = store.external_ids.find(SYSTEM, "project", PROJECT_KEY)
    chosen = (title or read_project_settings(project.path).project_title
              or (link.data.get("title") if link is not None and not new_project else None) or project.title)
    return push(store, project.taxonomy(), client, title=str(chosen), actor=actor, new_project=new_project,
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
    client = client_for(project, url=url, api_key=api_key)
    users = read_project_settings(project.path).users
    return pull(project.store(), project.taxonomy(), client, users=users, actor=actor, full=full,
                progress=progress)
