"""Run a local Label Studio for trying the integration out and for the test suite.

The server lives in its own virtual environment (``.ls-venv`` next to the repository, or ``$ANNOTATE_LS_VENV``)
because its pinned dependencies clash with ours; :func:`ensure_venv` is the one code path that creates it (the
CLI's ``annotate ls start --install-only`` and CI call it).  :func:`start_server` checks the port is free first
(Label Studio silently moves to another port when it is taken), boots on 127.0.0.1 with a preset admin user and
a legacy API token enabled (the only headless way to get a working key on a fresh data dir), and waits until
``/health`` answers.  The key is written to ``<data dir>/api-key`` (mode 0600), never printed.
"""

from __future__ import annotations

import ast
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LabelStudioError
from ..serve import free_port

LS_VERSION = "1.23.2"
"""The Label Studio release we test against."""
LS_CONSTRAINTS: tuple[str, ...] = (
    # Label Studio 1.23.2 starts sentry with send_default_pii, which sentry-sdk 3.0 refuses: the server exits.
    "sentry-sdk<3",
)
"""Pins on Label Studio's own dependencies that its release leaves open and a later release broke."""
STAMP_FILE = "annotate-install.txt"
"""What :func:`ensure_venv` installed into a venv (the Label Studio version and :data:`LS_CONSTRAINTS`)."""
ENV_VENV = "ANNOTATE_LS_VENV"
KEY_FILE = "api-key"
DEFAULT_USER = "admin@example.org"
BOOT_TIMEOUT_S = 240.0
"""First boot runs every migration on an empty SQLite file: about 60-70 s here, more on a slow CI runner."""


def default_venv() -> Path:
    """``$ANNOTATE_LS_VENV``, else ``.ls-venv`` in the repository (or the current directory when installed)."""
    env = os.environ.get(ENV_VENV)
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    return (repo if (repo / "pyproject.toml").is_file() else Path.cwd()) / ".ls-venv"


def executable(venv: Path) -> Path:
    """The ``label-studio`` script of ``venv``."""
    return venv / ("Scripts/label-studio.exe" if os.name == "nt" else "bin/label-studio")


def is_installed(venv: Path) -> bool:
    """Whether ``venv`` has a ``label-studio`` command."""
    return executable(venv).is_file()


def ensure_venv(venv: Path | None = None, *, version: str = LS_VERSION,
                echo: Callable[[str], None] = lambda _m: None) -> Path:
    """Create ``venv`` with Label Studio ``version`` if it has none; return the ``label-studio`` path.

    Takes about 3.5 minutes on a fresh machine (pip resolves and installs ~150 packages).  The install is held to
    :data:`LS_CONSTRAINTS`; a venv installed without the current ones (see :data:`STAMP_FILE`) has them applied
    (pip changes only what they exclude).  The pip output goes to ``<venv>/install.log``; a failure names that file.
    """
    venv = venv or default_venv()
    exe = executable(venv)
    wanted = "\n".join((f"label-studio=={version}", *LS_CONSTRAINTS)) + "\n"
    stamp = venv / STAMP_FILE
    if exe.is_file() and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return exe
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    steps: list[list[str]] = []
    if not exe.is_file():
        echo(f"installing label-studio=={version} into {venv} (a few minutes) ...")
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True,
                              check=False)
        if made.returncode != 0:
            raise LabelStudioError(f"cannot create the virtual environment {venv}: {made.stderr.strip()[-300:]}")
        steps.append([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    else:
        echo(f"bringing {venv} to label-studio=={version} with {', '.join(LS_CONSTRAINTS)} ...")
    constraints = venv / "constraints.txt"
    constraints.write_text("\n".join(LS_CONSTRAINTS) + "\n", encoding="utf-8")
    steps.append([str(python), "-m", "pip", "install", "--quiet", "-c", str(constraints), f"label-studio=={version}"])
    log = venv / "install.log"
    with log.open("w", encoding="utf-8") as out:
        for cmd in steps:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False)
            if proc.returncode != 0:
                raise LabelStudioError(f"installing Label Studio failed at `{' '.join(cmd[-3:])}`; see {log}",
                                       hint=f"fix the cause, delete {venv} and run `annotate ls start "
                                       "--install-only` again")
    if not exe.is_file():
        raise LabelStudioError(f"pip finished but {exe} is missing; see {log}")
    stamp.write_text(wanted, encoding="utf-8")
    echo(f"installed: {exe}")
    return exe


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether nothing listens on ``host:port`` (a bind succeeds)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


@dataclass
class LocalServer:
    """A running local Label Studio."""

    url: str
    port: int
    data_dir: Path
    username: str
    api_key: str = field(repr=False)
    process: subprocess.Popen[bytes] = field(repr=False)
    log_path: Path
    password: str | None = field(default=None, repr=False)
    """The admin's password when this start created the user (None for an existing data dir)."""

    @property
    def key_file(self) -> Path:
        """The file holding the API key (mode 0600)."""
        return self.data_dir / KEY_FILE

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server process (terminate, then kill)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)


def _log_tail(path: Path, lines: int = 5) -> str:
    try:
        tail = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-lines:]
    except OSError:
        return ""
    return " | ".join(x.strip() for x in tail)


def wait_healthy(url: str, process: subprocess.Popen[bytes], log_path: Path, timeout: float = BOOT_TIMEOUT_S) -> None:
    """Poll ``url/health`` until it answers 200; error early if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LabelStudioError(f"Label Studio exited with code {process.returncode} while starting; "
                                   f"last lines of {log_path}: {_log_tail(log_path)}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1.0)
    raise LabelStudioError(f"Label Studio at {url} was not healthy after {timeout:.0f} s; see {log_path}")


def read_token(exe: Path, data_dir: Path, username: str) -> str:
    """The legacy token of ``username`` from an existing data dir (``label-studio user``)."""
    proc = subprocess.run([str(exe), "user", "--username", username, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, check=False, env=_server_env(data_dir))
    for line in proc.stdout.splitlines():
        if line.startswith("{") and "'token'" in line:
            info = ast.literal_eval(line)
            if isinstance(info, dict) and info.get("token"):
                return str(info["token"])
    raise LabelStudioError(f"cannot read the API token of {username} from {data_dir}",
                           hint="start on a fresh --data-dir, or copy the token from Account & Settings")


def _server_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    for k in ("LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"):  # our client settings, not the server's
        env.pop(k, None)
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "LATEST_VERSION_CHECK": "0",
        "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_hex(32),
        "PYTHONUNBUFFERED": "1",
    })
    return env


def start_server(
    venv: Path | None = None,
    *,
    port: int | None = None,
    data_dir: Path | None = None,
    host: str = "127.0.0.1",
    username: str = DEFAULT_USER,
    password: str | None = None,
    timeout: float = BOOT_TIMEOUT_S,
) -> LocalServer:
    """Start Label Studio from ``venv`` (installed if missing) and wait until it is healthy.

    A fresh ``data_dir`` (a new temporary one when None) gets ``username`` with a random password and a random
    legacy token, legacy tokens enabled; an existing one keeps its users and its token is read back.  ``port``
    must be free (:class:`LabelStudioError` otherwise); None picks a free one.
    """
    if port is None:
        port = free_port(host)
    elif not port_is_free(port, host):
        raise LabelStudioError(f"port {port} on {host} is taken; Label Studio would silently move to another "
                               "port", hint="pick another --port, or leave it out to get a free one")
    exe = ensure_venv(venv)
    data_dir = Path(data_dir) if data_dir is not None else Path(tempfile.mkdtemp(prefix="annotate-ls-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    fresh = not (data_dir / "label_studio.sqlite3").exists()
    token = secrets.token_hex(20) if fresh else None  # 40 characters: the width of DRF's token column
    password = password or secrets.token_urlsafe(16)
    cmd = [str(exe), "start", "--no-browser", "--internal-host", host, "--port", str(port),
           "--data-dir", str(data_dir), "--log-level", "WARNING"]
    env = _server_env(data_dir)
    if fresh:
        assert token is not None
        # Secrets go through the environment, not argv, where any local user could read them with ps.
        env.update({"LABEL_STUDIO_USERNAME": username, "LABEL_STUDIO_PASSWORD": password,
                    "LABEL_STUDIO_USER_TOKEN": token, "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true"})
        cmd += ["--username", username, "--enable-legacy-api-token"]
    log_path = data_dir / "server.log"
    log = log_path.open("ab")
    try:
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, stdin=subprocess.DEVNULL)
    finally:
        log.close()
    url = f"http://{host}:{port}"
    try:
        wait_healthy(url, process, log_path, timeout)
        if token is None:
            token = read_token(exe, data_dir, username)
    except BaseException:
        process.terminate()
        raise
    key_file = data_dir / KEY_FILE
    key_file.touch(mode=0o600, exist_ok=True)
    key_file.chmod(0o600)
    key_file.write_text(token + "\n", encoding="utf-8")
    return LocalServer(url, port, data_dir, username, token, process, log_path, password if fresh else None)
