"""How Label Studio failures reach people, without a server: the real SDK over an ``httpx.MockTransport``.

Every HTTP failure :meth:`annotate.labelstudio.client.LabelStudioClient.call` maps (a wrong key, a missing project,
a server error, no server, no answer, an answer that is not JSON) must become one :class:`LabelStudioError` with
the message and the fix-it hint for it, and the API key must never show. The real-server tests (``test_sync.py``)
cover the same client end to end; these cover the failures a live server cannot be made to produce on demand.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from annotate.errors import InputError, LabelStudioError
from annotate.labelstudio.client import (
    ENV_API_KEY,
    Connection,
    LabelStudioClient,
    checked_title,
    connect,
    fitted_title,
)

KEY = "k3y-0f-the-test-8d1e"
URL = "http://ls.example.test:8080"

Handler = Callable[[httpx.Request], httpx.Response]


def answer(status: int, body: object = None, *, text: str | None = None) -> Handler:
    """A server that answers every request with ``status`` and a JSON ``body`` (or raw ``text``)."""

    def handle(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers={"content-type": "text/html"})
        return httpx.Response(status, json=body if body is not None else {})

    return handle


def raising(exc: type[httpx.TransportError]) -> Handler:
    """A transport that fails before any answer: ``exc`` as httpx raises it."""

    def handle(request: httpx.Request) -> httpx.Response:
        raise exc("simulated", request=request)

    return handle


@dataclass
class Recorder:
    """The mock server: it answers with ``handler`` and keeps the requests it saw."""

    handler: Handler
    seen: list[httpx.Request]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.handler(request)


MakeClient = Callable[..., tuple[LabelStudioClient, Recorder]]


@pytest.fixture
def client_for() -> Iterator[MakeClient]:
    """``client_for(handler, url=URL)``: our client, sending through the mock server; closed after the test."""
    opened: list[httpx.Client] = []

    def make(handler: Handler, url: str = URL) -> tuple[LabelStudioClient, Recorder]:
        recorder = Recorder(handler, [])
        opened.append(httpx.Client(transport=httpx.MockTransport(recorder)))
        return connect(Connection(url, KEY), http=opened[-1]), recorder

    yield make
    for http in opened:
        http.close()


def open_project(c: LabelStudioClient) -> object:
    return c.get_project(7)


def list_tasks(c: LabelStudioClient) -> object:
    return list(c.iter_tasks(7))  # the raw-JSON path, beside the SDK's typed calls


def read_version(c: LabelStudioClient) -> object:
    return c.call("read the server version", c.sdk.versions.get)


CASES = [
    # (id, server, call, words the message must hold, words the hint must hold)
    ("401-key-wrong", answer(401, {"detail": "Invalid token."}), open_project,
     ["refused the API key (401)", "open project 7"], [ENV_API_KEY]),
    ("403-forbidden", answer(403, {"detail": "You do not have permission"}), open_project,
     ["forbids this user to open project 7 (403)"], ["key of a user of the project's organisation"]),
    ("404-project-missing", answer(404, {"detail": "Not found."}), open_project,
     ["has no such object (404)", "open project 7"], ["annotate ls push --new-project"]),
    ("404-on-the-task-list", answer(404, {"detail": "Not found."}), list_tasks,
     ["no such object (404)", "list the tasks of project 7"], ["--new-project"]),
    ("500-server-error", answer(500, {"detail": "database is locked"}), open_project,
     ["failed (500)", "open project 7", "database is locked"], ["server.log"]),
    ("502-html-from-a-proxy", answer(502, text="<html>Bad Gateway</html>"), list_tasks,
     ["failed (502)", "Bad Gateway"], ["server.log"]),
    ("503-unavailable", answer(503, {"error": "maintenance"}), read_version,
     ["failed (503)", "maintenance"], ["server.log"]),
    ("400-bad-request", answer(400, {"validation_errors": {"label_config": ["bad tag"]}}), open_project,
     ["could not open project 7 (400)", "bad tag"], None),
    ("connection-refused", raising(httpx.ConnectError), open_project,
     ["cannot reach Label Studio", "to open project 7", "ConnectError"], ["annotate ls start"]),
    ("read-timeout", raising(httpx.ReadTimeout), open_project,
     ["did not answer in time", "open project 7"], ["try again"]),
    ("connect-timeout", raising(httpx.ConnectTimeout), list_tasks,
     ["did not answer in time"], ["try again"]),
    ("invalid-json-sdk-call", answer(200, text="<html>Sign in to the proxy</html>"), read_version,
     ["did not answer with Label Studio's JSON (200)", "read the server version"], ["not a proxy"]),
    ("invalid-json-task-list", answer(200, text="<html>Sign in to the proxy</html>"), list_tasks,
     ["did not answer with Label Studio's JSON (200)", "list the tasks of project 7"], ["not a proxy"]),
    ("key-echoed-back", answer(500, {"detail": f"bad token {KEY}"}), open_project,
     ["failed (500)", "bad token ***"], ["server.log"]),
]


@pytest.mark.parametrize(("server", "call", "message", "hint"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_failure_becomes_our_error_with_its_hint(
    client_for: MakeClient, server: Handler, call: Callable[[LabelStudioClient], object], message: list[str],
    hint: list[str] | None,
) -> None:
    client, recorder = client_for(server)
    with pytest.raises(LabelStudioError) as info:
        call(client)
    err = info.value
    assert recorder.seen, "the request never reached the transport"
    assert all(r.url.host == "ls.example.test" for r in recorder.seen)
    assert str(recorder.seen[0].headers["authorization"]).endswith(KEY)  # the key was sent, and only there
    shown = err.message
    for words in message:
        assert words in shown
    assert "\n" not in shown
    if hint is None:
        assert err.hint is None
    else:
        assert err.hint is not None
        for words in hint:
            assert words in err.hint
    assert KEY not in str(err)
    assert err.__cause__ is None  # one line for people, not the SDK's traceback chained under it


def test_a_password_in_the_url_is_not_shown(client_for: MakeClient) -> None:
    client, _ = client_for(answer(401, {"detail": "Invalid token."}), url="http://admin:hunter2@ls.example.test")
    with pytest.raises(LabelStudioError) as info:
        client.get_project(7)
    assert "hunter2" not in str(info.value)
    assert "ls.example.test" in str(info.value)


def test_a_working_answer_passes_through(client_for: MakeClient) -> None:
    """The mock transport is a faithful server: a good answer gives the data, so the failures above are real ones."""
    client, recorder = client_for(answer(200, {"tasks": [{"id": 1}, {"id": 2}]}))
    assert [t["id"] for t in client.iter_tasks(7)] == [1, 2]
    assert recorder.seen[0].url.path == "/api/tasks/"
    assert recorder.seen[0].url.params["project"] == "7"


def test_the_client_closes_what_it_opened_and_leaves_a_handed_in_client_open() -> None:
    with connect(Connection(URL, KEY)) as ours:
        own = ours._http
    assert own.is_closed
    handed = httpx.Client(transport=httpx.MockTransport(answer(200, {})))
    with connect(Connection(URL, KEY), http=handed):
        pass
    assert not handed.is_closed  # its owner closes it
    handed.close()


@pytest.mark.parametrize(("name", "title"), [
    ("p", "annotate p"),
    ("ab", "annotate ab"),
    ("abc", "abc"),
    ("اخبار", "اخبار"),
    ("n" * 50, "n" * 50),
    ("n" * 60, "n" * 49 + "…"),
])
def test_the_default_title_fits_label_studios_bounds(name: str, title: str) -> None:
    assert fitted_title(name) == title and 3 <= len(title) <= 50


@pytest.mark.parametrize("bad", ["", "ab", "  ab  ", "x" * 51])
def test_a_chosen_title_out_of_bounds_names_where_it_came_from(bad: str) -> None:
    with pytest.raises(InputError, match="3 to 50 characters") as info:
        checked_title(bad, "--project-title")
    assert "--project-title" in str(info.value)
