"""Start the app: the ``streamlit run`` command line for the packaged router, and running it.

The page scripts live in the app package's ``views/``, not ``pages/``: a ``pages/`` folder beside the entry point would
switch Streamlit to its old folder-based navigation, which can run a page without the router's sign-in gate.

Streamlit runs in the project directory so that the project's own ``.streamlit/`` (``secrets.toml`` for OIDC
sign-in, ``config.toml``) applies, and gets the project through ``ANNOTATE_PROJECT``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, InputError
from .project import ENV_PROJECT, open_project

ROUTER = Path(__file__).resolve().parent / "app" / "streamlit_app.py"
"""The app's router (sign-in gate and navigation) inside the installed package."""

APP_ENTRY = Path(__file__).resolve().parent / "app" / "asgi.py"
"""What ``streamlit run`` starts: the router as an ``st.App`` with the routes that set the HttpOnly session cookie
(:mod:`annotate.app.session_routes`)."""

DEFAULT_PORT = 8501
DEFAULT_ADDRESS = "127.0.0.1"


def free_port(host: str = DEFAULT_ADDRESS) -> int:
    """A port that is free right now on ``host`` (for a local server: the app, Label Studio, a test's)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class ServeCommand:
    """Everything needed to start the app: argv, working directory, environment additions and the URL."""

    argv: tuple[str, ...]
    cwd: Path
    env: Mapping[str, str]
    url: str
    open_browser: bool = False
    """Open ``url`` in the user's browser once the app answers (Streamlit itself always runs headless)."""


def build_serve_command(
    project_dir: str | Path,
    *,
    port: int = DEFAULT_PORT,
    address: str = DEFAULT_ADDRESS,
    open_browser: bool = False,
    python: str | None = None,
) -> ServeCommand:
    """The ``streamlit run`` command for the app (:data:`APP_ENTRY`) on an initialised project.

    Streamlit always runs headless: without that, its first run on a machine asks for an e-mail address on the
    terminal (and exits when there is none); :func:`run_serve` opens the browser itself when ``open_browser``.

    :class:`ConfigError` when ``project_dir`` is not a project (with the hint to run ``annotate init``),
    :class:`InputError` for a port outside 0-65535 (0 lets the system choose) or an empty address.
    """
    if not 0 <= port <= 65535:
        raise InputError(f"port {port} is outside 0-65535", where="--port")
    if not address.strip():
        raise InputError("the address is empty", where="--address", hint="use 127.0.0.1, or 0.0.0.0 for all")
    project = open_project(project_dir)
    path = project.path.resolve()
    for entry in (ROUTER, APP_ENTRY):
        if not entry.is_file():
            raise ConfigError(f"the app's file {entry} is missing", hint="reinstall annotate")
    argv = (
        python or sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP_ENTRY),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "minimal",
        # An installed app's sources do not change while it serves: without watchdog Streamlit would poll every
        # module of the package five times a second.  Its full collection after every run held the GIL for some
        # 40 ms on a 20k-character document, keeping each edit's reply from the browser; Python's own collector
        # still runs (less often: see annotate/app/asgi.py).
        "--server.fileWatcherType",
        "none",
        "--runner.postScriptGC",
        "false",
    )
    host = "localhost" if address in ("127.0.0.1", "0.0.0.0", "::", "::1") else address
    return ServeCommand(argv=argv, cwd=path, env={ENV_PROJECT: str(path)}, url=f"http://{host}:{port}/",
                        open_browser=open_browser)


def _open_when_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    """Open ``url`` in the default browser as soon as the app answers its health check (while ``proc`` runs)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as r:
                if r.status == 200:
                    webbrowser.open(url)
                    return
        except OSError:
            time.sleep(0.3)


def run_serve(command: ServeCommand) -> int:
    """Run the app in the foreground until it stops (Ctrl-C or SIGTERM stops it); its exit status.

    SIGTERM is passed on to Streamlit, so that stopping ``annotate serve`` never leaves the server behind.
    With ``command.open_browser`` the user's browser (``$BROWSER``, else the system default) opens the app once
    it answers.
    """
    env = {**os.environ, **command.env}
    proc = subprocess.Popen(list(command.argv), cwd=command.cwd, env=env)
    if command.open_browser:
        threading.Thread(target=_open_when_ready, args=(command.url, proc), daemon=True).start()
    previous = signal.signal(signal.SIGTERM, lambda signum, _frame: proc.send_signal(signum))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            return proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
