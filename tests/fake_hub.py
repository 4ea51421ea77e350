"""A fake Hugging Face Hub for the publish tests: a local HTTP server on 127.0.0.1 implementing the few endpoints
``huggingface_hub`` uses to create a dataset repository, commit files and tag a version.

Shared by ``test_publish`` (in-process ``annotate publish``) and ``test_walkthrough`` (the README's commands run
by bash, pointed at it through ``HF_ENDPOINT``).
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

COMMIT = "a" * 40
"""The commit id the fake Hub gives every commit."""


class FakeHub:
    """What the fake Hub received."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.files: dict[str, bytes] = {}
        self.tags: dict[str, str] = {}
        self.refuse_tags = False
        self.validated: list[dict[str, Any]] = []


def hub_handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    """A request handler class that answers like the Hub and records into ``hub``."""

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


@contextmanager
def serving_fake_hub() -> Iterator[tuple[FakeHub, str]]:
    """A fake Hub served on a free port of 127.0.0.1 for the ``with`` block: ``(hub, its base URL)``."""
    hub = FakeHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), hub_handler(hub))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield hub, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
