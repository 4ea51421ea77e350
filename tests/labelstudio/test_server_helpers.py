"""The local-server helper without starting a server: port checks, the venv short-cut, the CLI's install step."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotate.cli import cli
from annotate.errors import LabelStudioError
from annotate.labelstudio import server


def fake_venv(tmp_path: Path, *, stamped: bool = True) -> Path:
    """A venv whose label-studio exits at once with code 3 and whose python records its arguments in pip.args."""
    venv = tmp_path / "ls-venv"
    exe = server.executable(venv)
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    exe.chmod(0o755)
    python = exe.parent / "python"
    python.write_text(f'#!/bin/sh\necho "$@" >> {venv / "pip.args"}\n', encoding="utf-8")
    python.chmod(0o755)
    if stamped:
        stamp(venv)
    return venv


def stamp(venv: Path) -> None:
    """Mark ``venv`` as installed with the current Label Studio version and constraints."""
    (venv / server.STAMP_FILE).write_text(
        "\n".join((f"label-studio=={server.LS_VERSION}", *server.LS_CONSTRAINTS)) + "\n", encoding="utf-8")


def test_a_taken_port_is_refused_before_anything_is_installed_or_started(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert not server.port_is_free(port)
        with pytest.raises(LabelStudioError, match=f"port {port} on 127.0.0.1 is taken"):
            server.start_server(tmp_path / "never-created", port=port)
    assert not (tmp_path / "never-created").exists()
    assert server.port_is_free(server.free_port())


def test_an_existing_venv_is_used_as_is(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path)
    assert server.ensure_venv(venv) == server.executable(venv)
    out = CliRunner().invoke(cli, ["ls", "start", "--install-only", "--venv", str(venv)])
    assert out.exit_code == 0 and str(server.executable(venv)) in out.output
    assert not (venv / "pip.args").exists()


def test_a_venv_installed_without_the_current_constraints_gets_them(tmp_path: Path) -> None:
    """Label Studio 1.23.2 with sentry-sdk 3.0 exits at start: a venv made before the pin is brought in line once."""
    venv = fake_venv(tmp_path, stamped=False)
    assert "sentry-sdk<3" in server.LS_CONSTRAINTS
    assert server.ensure_venv(venv) == server.executable(venv)
    calls = (venv / "pip.args").read_text(encoding="utf-8").splitlines()
    assert calls == [f"-m pip install --quiet -c {venv / 'constraints.txt'} label-studio=={server.LS_VERSION}"]
    assert (venv / "constraints.txt").read_text(encoding="utf-8").splitlines() == list(server.LS_CONSTRAINTS)
    assert server.ensure_venv(venv) == server.executable(venv)  # stamped now: pip is not run again
    assert len((venv / "pip.args").read_text(encoding="utf-8").splitlines()) == 1


def test_a_server_that_exits_while_starting_is_reported_with_its_log(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path)  # its label-studio exits at once with code 3
    with pytest.raises(LabelStudioError, match="exited with code 3 while starting") as info:
        server.start_server(venv, data_dir=tmp_path / "data", timeout=30)
    assert "server.log" in str(info.value)


def test_default_venv_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(server.ENV_VENV, str(tmp_path / "v"))
    assert server.default_venv() == tmp_path / "v"
    monkeypatch.delenv(server.ENV_VENV)
    assert server.default_venv().name == ".ls-venv"


HEALTHY_SERVER = """#!{python}
import http.server, os, sys
port = int(sys.argv[sys.argv.index("--port") + 1])
open(os.environ["FAKE_LS_PIDFILE"], "w").write(str(os.getpid()))
class Ok(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Ok).serve_forever()
"""


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:  # a zombie has exited: only its parent's wait is due
        return f.read().split(") ")[1][0] != "Z"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_terminated_ls_start_stops_the_server_it_started(tmp_path: Path, signum: int) -> None:
    venv = tmp_path / "ls-venv"
    exe = server.executable(venv)
    exe.parent.mkdir(parents=True)
    exe.write_text(HEALTHY_SERVER.format(python=sys.executable), encoding="utf-8")
    exe.chmod(0o755)
    stamp(venv)
    pidfile = tmp_path / "server.pid"
    port = server.free_port()
    cmd = [str(Path(sys.executable).parent / "annotate"), "ls", "start", "--venv", str(venv), "--port", str(port),
           "--data-dir", str(tmp_path / "data")]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                          env={**os.environ, "FAKE_LS_PIDFILE": str(pidfile)}) as cli_process:
        assert cli_process.stdout is not None
        for line in cli_process.stdout:
            if "press Ctrl-C to stop" in line:
                break
        child = int(pidfile.read_text())
        assert pid_alive(child) and not server.port_is_free(port)
        cli_process.send_signal(signum)
        cli_process.wait(30)
    deadline = time.monotonic() + 20
    while pid_alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    survived = pid_alive(child)
    if survived:
        os.kill(child, signal.SIGKILL)  # the test's own clean-up: a failure here must not leave a server behind
    assert not survived, f"the server (pid {child}) outlived `annotate ls start`"
