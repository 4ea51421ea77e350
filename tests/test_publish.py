"""Publish against a fake Hub: a local HTTP server on 127.0.0.1 implementing the few endpoints used."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from builders import release
from click.testing import CliRunner

from annotate.cli import cli
from annotate.errors import ExportError, InputError
from annotate.project import Project
from annotate.release.export import export_release
from annotate.release.publish import publish_export
from annotate.release.versions import release_path

COMMIT = "a" * 40


class FakeHub:
    """What the fake Hub received."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.files: dict[str, bytes] = {}
        self.tags: dict[str, str] = {}
        self.refuse_tags = False
        self.validated: list[dict[str, Any]] = []


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            hub.requests.append(("POST", self.path))
            if self.path == "/api/repos/create":
                self._send(200, {"url": f"http://{self.headers['Host']}/datasets/org/news", "name": "org/news"})
            elif "/preupload/" in self.path:
                files = json.loads(body)["files"]
                self._send(200, {"files": [{"path": f["path"], "uploadMode": "regular", "shouldIgnore": False}
                                           for f in files]})
            elif "/commit/" in self.path:
                for line in body.decode().splitlines():
                    item = json.loads(line)
                    if item["key"] == "file":
                        v = item["value"]
                        hub.files[v["path"]] = base64.b64decode(v["content"])
                self._send(200, {"commitUrl": f"http://{self.headers['Host']}/datasets/org/news/commit/{COMMIT}",
                                 "commitOid": COMMIT, "success": True})
            elif self.path == "/api/validate-yaml":
                hub.validated.append(json.loads(body))
                self._send(200, {})
            elif "/tag/" in self.path:
                if hub.refuse_tags:
                    self._send(409, {"error": "Tag already exists"})
                    return
                hub.tags[json.loads(body)["tag"]] = self.path.rsplit("/", 1)[1]
                self._send(200, {})
            else:
                self._send(404, {"error": f"not faked: {self.path}"})

        def do_GET(self) -> None:
            hub.requests.append(("GET", self.path))
            self._send(404, {"error": f"not faked: {self.path}"})

    return Handler


def _send_card_validation_to(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``DatasetCard.validate`` posts to a fixed https://huggingface.co before huggingface_hub 2.2 (then to the
    configured endpoint): send that request to the fake Hub too, so no test reaches the network."""
    import huggingface_hub.repocard as repocard

    session = repocard.get_session

    class ToFakeHub:
        def __init__(self, real: Any) -> None:
            self._real = real

        def post(self, target: str, *args: Any, **kwargs: Any) -> Any:
            return self._real.post(target.replace("https://huggingface.co", url, 1), *args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._real, name)

    monkeypatch.setattr(repocard, "get_session", lambda: ToFakeHub(session()))


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeHub, str]]:
    hub = FakeHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("HF_ENDPOINT", url)
    import huggingface_hub.constants

    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", url)  # read once at import otherwise
    _send_card_validation_to(url, monkeypatch)
    monkeypatch.setenv("HF_TOKEN", "hf_fake_token_for_tests")
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    try:
        yield hub, url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def exported(gold_project: Project, tmp_path: Path) -> tuple[Path, str]:
    v = release(gold_project)
    out = tmp_path / "export"
    export_release(release_path(gold_project.path, v), out)
    return out, v


def test_publish_uploads_every_file_and_tags_the_version(fake_hub: tuple[FakeHub, str],
                                                         exported: tuple[Path, str]) -> None:
    hub, url = fake_hub
    out, v = exported
    result = publish_export(out, v, "org/news", endpoint=url)
    local = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert hub.files == local
    assert hub.tags == {f"v{v}": COMMIT}
    assert result.tag == f"v{v}" and result.commit == COMMIT
    assert ("POST", "/api/repos/create") in hub.requests
    assert hub.validated and hub.validated[0]["repoType"] == "dataset"  # the Hub's card check ran


def test_card_validates_with_huggingface_hub(fake_hub: tuple[FakeHub, str], exported: tuple[Path, str]) -> None:
    from huggingface_hub import DatasetCard

    hub, _ = fake_hub
    out, _ = exported
    card = DatasetCard.load(out / "README.md")
    card.validate(repo_type="dataset")
    assert "configs:" in hub.validated[-1]["content"]


def test_publish_refuses_the_wrong_version_and_bad_repo(exported: tuple[Path, str]) -> None:
    out, _ = exported
    with pytest.raises(ExportError, match=r"is an export of version 0\.1\.0, not 2\.0\.0"):
        publish_export(out, "2.0.0", "org/news")
    with pytest.raises(InputError, match="not a Hub repository id"):
        publish_export(out, "0.1.0", "no-slash")


def test_hub_refusal_is_a_clear_error(fake_hub: tuple[FakeHub, str], exported: tuple[Path, str]) -> None:
    hub, url = fake_hub
    hub.refuse_tags = True
    out, v = exported
    with pytest.raises(ExportError, match=r"refused the publication of v0\.1\.0 to org/news \(HTTP 409\)"):
        publish_export(out, v, "org/news", endpoint=url)


def test_cli_export_then_publish(fake_hub: tuple[FakeHub, str], gold_project: Project) -> None:
    hub, _ = fake_hub
    release(gold_project)
    gold_project.close()
    runner = CliRunner()
    base = ["--project", str(gold_project.path)]
    r = runner.invoke(cli, [*base, "export", "0.1.0", "--repo", "org/news"])
    assert r.exit_code == 0, r.output
    assert (gold_project.path / "exports" / "annotate-gold" / "0.1.0" / "README.md").is_file()
    r = runner.invoke(cli, [*base, "publish", "0.1.0", "--repo", "org/news"])
    assert r.exit_code == 0, r.output
    assert "published v0.1.0 to org/news" in r.output and "README.md" in hub.files
