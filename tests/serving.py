"""``annotate serve`` for tests: the real server on a free port, waited for, and killed (whole group) afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from annotate.serve import free_port

ANNOTATE = Path(sys.executable).parent / "annotate"


def get(url: str) -> tuple[int, str]:
    """Status and body of a GET."""
    with urllib.request.urlopen(url, timeout=2) as r:
        return r.status, r.read().decode("utf-8", "replace")


def kill_group(pid: int) -> bool:
    """SIGKILL the process group ``pid`` leads; False when it was gone already."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def serving(
    args: list[str], log_path: Path, *, serve_args: tuple[str, ...] = ("--no-browser",),
    env: dict[str, str] | None = None,
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``annotate ARGS serve`` on a free port until it answers /_stcore/health; killed (whole group) afterwards."""
    port = free_port()
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [str(ANNOTATE), *args, "serve", "--port", str(port), *serve_args],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        base = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    if get(base + "_stcore/health") == (200, "ok"):
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                pytest.fail(f"annotate serve did not answer; log:\n{log_path.read_text()}")
            yield proc, base
        finally:
            kill_group(proc.pid)  # whatever happened, leave no server behind
            proc.wait(timeout=30)  # reaped: no ResourceWarning for a child still running
