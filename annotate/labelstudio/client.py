"""Connecting to Label Studio: settings from flags, the environment or ``project.json``, and one error path.

The URL comes from ``--url``, else ``$LABEL_STUDIO_URL``, else the ``labelstudio.url`` of the project's
``project.json``; the API key only from ``--api-key`` or ``$LABEL_STUDIO_API_KEY`` (never from a file we write).
Every call to the server goes through :class:`LabelStudioClient`, which turns the SDK's ``ApiError`` and
connection errors into one-line :class:`~annotate.errors.LabelStudioError` messages that never carry the key.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import ConfigError, InputError, LabelStudioError
from ..project import LabelStudioSettings, is_initialised, read_config
from ..redact import redact_url

if TYPE_CHECKING:
    import httpx

ENV_URL = "LABEL_STUDIO_URL"
ENV_API_KEY = "LABEL_STUDIO_API_KEY"
TIMEOUT_S = 300.0
"""Imports of a few thousand tasks are synchronous in Label Studio Community; give them time."""

T = TypeVar("T")


def read_project_settings(project_dir: Path) -> LabelStudioSettings:
    """The ``labelstudio`` section of ``project_dir/project.json`` (empty settings when there is no project.json)."""
    return read_config(project_dir).labelstudio if is_initialised(project_dir) else LabelStudioSettings()


TITLE_LENGTHS = (3, 50)
"""Label Studio's bounds on a project title (``PROJECT_TITLE_MIN_LEN``/``MAX_LEN``): outside them it answers 400."""


def checked_title(title: str, where: str) -> str:
    """A title the user chose, refused before any request when Label Studio would refuse it."""
    low, high = TITLE_LENGTHS
    if not low <= len(title.strip()) <= high:
        raise InputError(f"a Label Studio project title must be {low} to {high} characters; {title!r} has "
                         f"{len(title.strip())}", where=where, hint="choose a title of that length")
    return title.strip()


def fitted_title(name: str) -> str:
    """The default title from the annotate project's name (its directory), made to fit Label Studio's bounds:
    a short name gets an ``annotate `` prefix, a long one is cut with an ellipsis."""
    low, high = TITLE_LENGTHS
    t = name.strip()
    if len(t) < low:
        t = f"annotate {t}".strip()
    return t if len(t) <= high else t[: high - 1] + "…"


@dataclass(frozen=True)
class Connection:
    """Where Label Studio is and the key to use (the key is kept out of ``repr``)."""

    url: str
    api_key: str = field(repr=False)


def resolve_connection(project_dir: Path | None, *, url: str | None = None, api_key: str | None = None) -> Connection:
    """The connection in force: flags, else the environment, else ``project.json`` (URL only)."""
    settings = read_project_settings(project_dir) if project_dir is not None else LabelStudioSettings()
    chosen = url or os.environ.get(ENV_URL) or settings.url
    if not chosen:
        raise ConfigError(
            "no Label Studio URL",
            hint=f"pass --url, export {ENV_URL}, or set labelstudio.url in project.json",
        )
    if not chosen.startswith(("http://", "https://")):
        raise ConfigError(f"Label Studio URL {redact_url(chosen)!r} must start with http:// or https://")
    key = api_key or os.environ.get(ENV_API_KEY)
    if not key:
        raise ConfigError("no Label Studio API key", hint=f"export {ENV_API_KEY} (or pass --api-key)")
    return Connection(chosen.rstrip("/"), key)


def _detail(body: Any) -> str:
    if isinstance(body, dict):
        parts = [str(body[k]) for k in ("detail", "validation_errors", "error", "message") if body.get(k)]
        if parts:
            return "; ".join(parts)[:500]
    return str(body)[:300] if body else ""


class LabelStudioClient:
    """The calls our sync makes, each mapped to :class:`LabelStudioError` on failure."""

    def __init__(self, conn: Connection, *, http: httpx.Client | None = None) -> None:
        """``http``: the HTTP client the SDK sends through (tests give one with a mock transport; its owner closes
        it); by default one of our own, closed by :meth:`close`."""
        import httpx
        from label_studio_sdk import LabelStudio  # heavy import (pandas, ...): only when talking to a server

        self.url = conn.url
        self.shown_url = redact_url(conn.url)
        """The URL as messages, status and the store show it: a ``user:password@`` part redacted."""
        self._key = conn.api_key
        self._own_http = http is None
        self._http = http if http is not None else httpx.Client(timeout=TIMEOUT_S, follow_redirects=True)
        # Typed as Any: the generated SDK's models are looser than mypy --strict (ids are Optional, extras untyped).
        self.sdk: Any = LabelStudio(  # type: ignore[no-untyped-call]
            base_url=conn.url, api_key=conn.api_key, timeout=TIMEOUT_S, max_retries=0, httpx_client=self._http
        )

    def close(self) -> None:
        """Close the connections this client opened (an ``http`` client handed in is left to its owner)."""
        if self._own_http:
            self._http.close()

    def __enter__(self) -> LabelStudioClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _scrub(self, text: str) -> str:
        return text.replace(self._key, "***") if self._key else text

    def call(self, what: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one SDK call; any failure becomes a one-line :class:`LabelStudioError` saying ``what`` failed."""
        import httpx
        from label_studio_sdk.core.api_error import ApiError

        try:
            return fn(*args, **kwargs)
        except ApiError as exc:
            status = exc.status_code
            if status == 401:
                msg = f"Label Studio at {self.shown_url} refused the API key (401) while trying to {what}"
                hint = f"check {ENV_API_KEY}; legacy tokens must be enabled for the organisation"
            elif status == 403:
                msg = f"Label Studio at {self.shown_url} forbids this user to {what} (403)"
                hint = "use the key of a user of the project's organisation"
            elif status == 404:
                msg = f"Label Studio at {self.shown_url} has no such object (404) while trying to {what}"
                hint = "it was deleted in Label Studio; `annotate ls push --new-project` makes a new project"
            elif status is not None and status < 400:
                # The SDK raises ApiError with the success status when the body is not JSON.
                msg = f"{self.shown_url} did not answer with Label Studio's JSON ({status}) while trying to {what}"
                hint = "check that the URL is Label Studio's own (not a proxy or a sign-in page in front of it)"
            elif status is not None and status >= 500:
                detail = " ".join(_detail(exc.body).split())
                msg = f"Label Studio at {self.shown_url} failed ({status}) while trying to {what}: {detail}"
                hint = "the error is on the server's side: its log says why (a local one logs to DATA_DIR/server.log)"
            else:
                detail = " ".join(_detail(exc.body).split())
                msg = f"Label Studio at {self.shown_url} could not {what} ({status}): {detail}"
                hint = None
        except httpx.TimeoutException:
            msg = f"Label Studio at {self.shown_url} did not answer in time while trying to {what}"
            hint = "it may be busy (a large import) or stuck: try again, and read its log if it keeps happening"
        except httpx.HTTPError as exc:
            msg = f"cannot reach Label Studio at {self.shown_url} to {what}: {type(exc).__name__}"
            hint = "is it running? `annotate ls start` runs a local one"
        raise LabelStudioError(self._scrub(msg), hint=self._scrub(hint) if hint else None) from None

    # -------------------------------------------------------------------------------------------- calls

    def check(self) -> str:
        """The server's version, after checking the key works (401 otherwise)."""
        self.call("check the API key", self.sdk.users.whoami)
        v = self.call("read the server version", self.sdk.versions.get)
        return str(getattr(v, "release", None) or "unknown")

    def get_project(self, project_id: int) -> dict[str, Any]:
        """Project ``project_id`` as a dict (404 -> LabelStudioError)."""
        p = self.call(f"open project {project_id}", self.sdk.projects.get, id=project_id)
        data: dict[str, Any] = p.model_dump(mode="json")
        return data

    def create_project(self, title: str, label_config: str, description: str) -> int:
        """Create a project; return its id."""
        p = self.call("create a project", self.sdk.projects.create, title=title, label_config=label_config,
                      description=description, maximum_annotations=100, show_skip_button=True)
        return int(p.id)

    def update_project(self, project_id: int, **fields: Any) -> None:
        """Change a project's title or labeling config."""
        self.call(f"update project {project_id}", self.sdk.projects.update, id=project_id, **fields)

    def validate_config(self, project_id: int, label_config: str) -> None:
        """Have the server validate ``label_config`` for project ``project_id`` (400 -> LabelStudioError)."""
        self.call(f"validate the labeling config of project {project_id}", self.sdk.projects.validate_label_config,
                  id=project_id, label_config=label_config)

    def delete_project(self, project_id: int) -> None:
        """Delete a project (tests)."""
        self.call(f"delete project {project_id}", self.sdk.projects.delete, id=project_id)

    def import_tasks(self, project_id: int, tasks: Sequence[dict[str, Any]]) -> list[int]:
        """Import tasks (with predictions) in one request; return their ids in input order."""
        r = self.call(f"import {len(tasks)} task(s) into project {project_id}", self.sdk.projects.import_tasks,
                      id=project_id, request=list(tasks), return_task_ids=True, commit_to_project=True)
        ids = [int(x) for x in (r.task_ids or [])]
        if len(ids) != len(tasks):
            raise LabelStudioError(f"Label Studio at {self.shown_url} imported {len(ids)} of {len(tasks)} task(s) "
                                   f"into project {project_id}; push again to finish")
        return ids

    def update_task_data(self, task_id: int, data: dict[str, Any]) -> None:
        """Replace a task's data (a document whose text was replaced)."""
        self.call(f"update task {task_id}", self.sdk.tasks.update, id=str(task_id), data=data)

    def iter_tasks(self, project_id: int, *, updated_after: str | None = None, page_size: int = 500,
                   brief: bool = False) -> Iterator[dict[str, Any]]:
        """Every task of the project, optionally only those updated after ``updated_after``
        (``%Y-%m-%dT%H:%M:%S.%fZ``).  ``brief`` asks only for ``id``, ``updated_at`` and the annotations' ``id`` and
        ``updated_at`` (several times cheaper for the server); otherwise tasks come with data, annotations and
        predictions in full."""
        query = None
        if updated_after is not None:
            query = json.dumps({"filters": {"conjunction": "and", "items": [
                {"filter": "filter:tasks:updated_at", "operator": "greater", "type": "Datetime",
                 "value": updated_after}]}})
        params: dict[str, Any] = {"project": project_id, "page_size": page_size, "fields": "all"}
        if brief:
            # ``include`` limits what the server computes per task (annotations shrink to id + updated_at).
            params["include"] = "id,updated_at,annotations"
        if query is not None:
            params["query"] = query
        page = 1
        while True:
            raw = self.call(f"list the tasks of project {project_id}", self._get_json, "api/tasks/",
                            {**params, "page": page}, past_end_ok=page > 1)
            tasks = raw.get("tasks", []) if isinstance(raw, dict) else raw or []
            yield from tasks
            if len(tasks) < page_size:
                return
            page += 1

    def export_tasks(self, project_id: int, task_ids: Sequence[int]) -> list[dict[str, Any]]:
        """Tasks ``task_ids`` in Label Studio's full JSON export format (data, annotations with results and
        ``completed_by``, predictions): the cheapest way to read many annotated tasks."""
        params = {"exportType": "JSON", "download_all_tasks": "true", "ids[]": [int(x) for x in task_ids]}
        got = self.call(f"export {len(task_ids)} task(s) of project {project_id}", self._get_json,
                        f"api/projects/{project_id}/export", params)
        return list(got or [])

    def _get_json(self, path: str, params: dict[str, Any], *, past_end_ok: bool = False) -> Any:
        # Raw JSON: the SDK's typed models cost more than the sync itself on large projects.
        from label_studio_sdk.core.api_error import ApiError

        resp = self.sdk._client_wrapper.httpx_client.request(path, method="GET", params=params)
        if resp.status_code == 404 and past_end_ok:
            return {"tasks": []}  # a page past the last one
        if resp.status_code >= 400:
            try:
                body = resp.json()
            except ValueError:
                body = resp.text[:200]
            raise ApiError(status_code=resp.status_code, headers=dict(resp.headers), body=body)
        try:
            return resp.json()
        except ValueError:
            # As the SDK does for its own calls: a success status with a body that is not JSON.
            raise ApiError(status_code=resp.status_code, headers=dict(resp.headers), body=resp.text[:200]) from None

    def create_prediction(self, task_id: int, result: list[dict[str, Any]], model_version: str,
                          score: float | None = None) -> int:
        """Add a prediction (with its overall ``score``, when it has one) to a task; return its id."""
        extra = {} if score is None else {"score": score}
        p = self.call(f"add a prediction to task {task_id}", self.sdk.predictions.create, task=task_id,
                      result=result, model_version=model_version, **extra)
        return int(p.id)

    def update_prediction(self, prediction_id: int, result: list[dict[str, Any]], model_version: str,
                          score: float | None = None) -> None:
        """Replace a prediction's result, model version and score."""
        extra = {} if score is None else {"score": score}
        self.call(f"update prediction {prediction_id}", self.sdk.predictions.update, id=prediction_id,
                  result=result, model_version=model_version, **extra)

    def list_users(self) -> dict[int, str]:
        """Every user's id -> e-mail."""
        users = self.call("list users", self.sdk.users.list)
        return {int(u.id): str(u.email or "") for u in users}

    def create_user(self, email: str, username: str) -> int:
        """Create a user in the organisation (tests and demos); return its id."""
        u = self.call(f"create user {email}", self.sdk.users.create, email=email, username=username)
        return int(u.id)

    def create_annotation(self, task_id: int, result: list[dict[str, Any]], user_id: int | None = None) -> int:
        """Annotate a task (as ``user_id`` when given); return the annotation id."""
        kw: dict[str, Any] = {"result": result}
        if user_id is not None:
            kw["completed_by"] = user_id
        a = self.call(f"annotate task {task_id}", self.sdk.annotations.create, id=task_id, **kw)
        return int(a.id)

    def update_annotation(self, annotation_id: int, result: list[dict[str, Any]]) -> None:
        """Replace an annotation's result."""
        self.call(f"update annotation {annotation_id}", self.sdk.annotations.update, id=annotation_id, result=result)


def connect(conn: Connection, *, http: httpx.Client | None = None) -> LabelStudioClient:
    """A client for ``conn`` (no request is made until the first call); ``http`` as in :class:`LabelStudioClient`."""
    return LabelStudioClient(conn, http=http)
