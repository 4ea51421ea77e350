"""``annotate users`` and ``annotate serve``: accounts from the command line, and the app actually serving."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from chromium import CHROMIUM, launch
from click.testing import CliRunner
from serving import get as _get
from serving import serving as _serving

from annotate.cli import cli
from annotate.cli import serve as serve_cli
from annotate.demo import DEMO_PASSWORD
from annotate.errors import ConfigError, InputError
from annotate.project import ENV_PROJECT, open_project
from annotate.serve import APP_ENTRY, ROUTER, ServeCommand, build_serve_command

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def proj(tmp_path: Path) -> list[str]:
    path = tmp_path / "proj"
    result = CliRunner().invoke(cli, ["--project", str(path), "init"])
    assert result.exit_code == 0, result.output
    return ["--project", str(path)]


def _users(proj: list[str]) -> list[list[str]]:
    out = CliRunner().invoke(cli, [*proj, "users", "list"])
    assert out.exit_code == 0, out.output
    return [line.split("\t")[:2] for line in out.output.splitlines()]


# ------------------------------------------------------------------------------------------------ users


def test_users_add_reads_the_password_from_stdin(proj: list[str]) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, [*proj, "users", "add", "sara", "--role", "annotator", "--password-stdin"],
                           input="  spaces kept \r\nsecond line ignored\n")
    assert result.exit_code == 0, result.output
    assert "added sara (annotator)" in result.output
    store = open_project(proj[1]).store()
    assert store.users.verify("sara", "  spaces kept ").name == "sara"
    assert _users(proj) == [["sara", "annotator"]]


def test_users_add_prompts_twice_with_hidden_input(proj: list[str]) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, [*proj, "users", "add", "boss", "--role", "admin"],
                           input="first-try1\nmismatch1\nsecret-pw\nsecret-pw\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output.lower()
    assert "secret-pw" not in result.output
    assert open_project(proj[1]).store().users.verify("boss", "secret-pw").role.value == "admin"


@pytest.mark.parametrize(
    ("args", "stdin", "expected"),
    [
        (["users", "add", "sara", "--role", "annotator", "--password-stdin"], "short\n", "at least 8 characters"),
        (["users", "add", "sara", "--role", "boss", "--password-stdin"], "long enough\n", "'boss' is not one of"),
        (["users", "add", "sara", "--password-stdin"], "long enough\n", "Missing option '--role'"),
        (["users", "add", " ", "--role", "admin", "--password-stdin"], "long enough\n", "user name is empty"),
    ],
)
def test_users_add_rejects_bad_input_and_stores_nothing(
    proj: list[str], args: list[str], stdin: str, expected: str
) -> None:
    result = CliRunner().invoke(cli, [*proj, *args], input=stdin)
    assert result.exit_code != 0
    assert expected in result.output
    assert _users(proj) == []


def test_users_add_twice_is_an_error(proj: list[str]) -> None:
    args = [*proj, "users", "add", "sara", "--role", "annotator", "--password-stdin"]
    assert CliRunner().invoke(cli, args, input="password1\n").exit_code == 0
    again = CliRunner().invoke(cli, args, input="password2\n")
    assert again.exit_code == 1 and "already exists" in again.output


def test_users_need_a_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--project", str(tmp_path / "none"), "users", "list"])
    assert result.exit_code == 1 and "annotate init" in result.output


# ------------------------------------------------------------------------------------------------ serve command


def test_serve_command_runs_the_packaged_router_in_the_project(proj: list[str]) -> None:
    cmd = build_serve_command(proj[1], port=8765, address="0.0.0.0", python="/py")
    project_dir = Path(proj[1]).resolve()
    assert cmd.argv == (
        "/py", "-m", "streamlit", "run", str(APP_ENTRY),
        "--server.port", "8765", "--server.address", "0.0.0.0", "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
        "--server.fileWatcherType", "none", "--runner.postScriptGC", "false",
    )
    assert ROUTER.name == "streamlit_app.py" and ROUTER.is_file() and APP_ENTRY.is_file()
    assert cmd.cwd == project_dir
    assert dict(cmd.env) == {ENV_PROJECT: str(project_dir)}
    assert cmd.url == "http://localhost:8765/" and not cmd.open_browser


def test_the_apps_entry_makes_pythons_collector_run_less_often() -> None:
    """What ``streamlit run`` loads in the server process sets the collector's thresholds (a fresh interpreter:
    the test process's own are left alone)."""
    import subprocess
    import sys

    code = ("import gc; before = gc.get_threshold(); import annotate.app.asgi as entry; "
            "print(before, gc.get_threshold(), entry.SERVER_GC_THRESHOLDS)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[-2] == "(700, 10, 10) (50000, 20, 20) (50000, 20, 20)"


@pytest.mark.parametrize(
    ("kwargs", "flag", "url"),
    [
        ({}, ("--server.address", "127.0.0.1"), "http://localhost:8501/"),
        ({"open_browser": True}, ("--server.headless", "true"), "http://localhost:8501/"),
        ({"address": "10.1.2.3", "port": 80}, ("--server.port", "80"), "http://10.1.2.3:80/"),
    ],
)
def test_serve_command_defaults_and_options(
    proj: list[str], kwargs: dict[str, object], flag: tuple[str, str], url: str
) -> None:
    cmd = build_serve_command(proj[1], **kwargs)  # type: ignore[arg-type]
    i = cmd.argv.index(flag[0])
    assert cmd.argv[i + 1] == flag[1]
    assert cmd.url == url


@pytest.mark.parametrize(
    ("kwargs", "error", "where"),
    [({"port": 70000}, InputError, "--port"), ({"port": -1}, InputError, "--port"),
     ({"address": " "}, InputError, "--address")],
)
def test_serve_command_rejects_bad_options(
    proj: list[str], kwargs: dict[str, object], error: type[Exception], where: str
) -> None:
    with pytest.raises(error, match=where):
        build_serve_command(proj[1], **kwargs)  # type: ignore[arg-type]


def test_serve_needs_a_project(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="annotate init"):
        build_serve_command(tmp_path)
    result = CliRunner().invoke(cli, ["--project", str(tmp_path / "nope"), "serve", "--no-browser"])
    assert result.exit_code == 1 and "not an annotate project" in result.output



def test_annotate_serve_serves_the_app_and_stops_cleanly(proj: list[str], tmp_path: Path) -> None:
    log_path = tmp_path / "serve.log"
    with _serving(proj, log_path) as (proc, base):
        status, page = _get(base)
        assert status == 200 and "<title>" in page.lower() and "streamlit" in page.lower()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) is not None
        with pytest.raises(OSError):  # the Streamlit child went with it
            _get(base + "_stcore/health")
    port = base.rsplit(":", 1)[1].strip("/")
    assert f"Starting the app on http://localhost:{port}/" in log_path.read_text()


def test_first_run_on_a_fresh_machine_asks_nothing_and_opens_the_browser(proj: list[str], tmp_path: Path) -> None:
    """No Streamlit credentials in $HOME and no terminal: Streamlit would ask for an e-mail address and exit.
    ``annotate serve`` runs it headless and opens the browser itself ($BROWSER here records the URL)."""
    home, opened = tmp_path / "home", tmp_path / "opened.txt"
    home.mkdir()
    fake_browser = tmp_path / "browser.sh"
    fake_browser.write_text(f'#!/bin/sh\necho "$1" >> {opened}\n')
    fake_browser.chmod(0o755)
    log_path = tmp_path / "serve.log"
    with _serving(proj, log_path, serve_args=(), env={"HOME": str(home), "BROWSER": str(fake_browser)}) as (_, base):
        deadline = time.monotonic() + 20
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _get(base + "_stcore/health") == (200, "ok")
    port = base.rsplit(":", 1)[1].strip("/")
    assert opened.read_text().split() == [f"http://localhost:{port}/"], log_path.read_text()
    assert "Email" not in log_path.read_text()


@pytest.mark.browser
def test_a_link_to_a_page_as_the_first_request_still_meets_the_sign_in_gate(tmp_path: Path) -> None:
    """No page is ever listed or run before sign-in (page scripts live in views/, so no folder-based navigation);
    after signing in, the link's page opens; the sign-in survives a reload, and sign-out survives one too."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing and CI=true")
        pytest.skip(f"{CHROMIUM} (Debian chromium) is not installed")
    from playwright.sync_api import expect, sync_playwright

    args = ["--project", str(tmp_path / "demo")]
    assert CliRunner().invoke(cli, [*args, "demo", "--no-serve"]).exit_code == 0
    with _serving(args, tmp_path / "serve.log") as (_proc, base), sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page()
            page.goto(base + "account")
            expect(page.get_by_label("User name")).to_be_visible(timeout=20000)
            body = page.inner_text("body")
            assert "Sign in first" not in body and "adjudicate" not in body.lower()
            assert page.get_by_role("link", name="queue").count() == 0
            page.get_by_label("User name").fill("sara")
            page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_text("Signed in as sara · annotator")).to_be_visible(timeout=20000)
            expect(page.get_by_role("heading", name="Account")).to_be_visible()  # the page the link asked for
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "app-shell-deeplink.png"), full_page=True)
            page.reload()  # a reload starts a new Streamlit session; the session cookie keeps the sign-in
            expect(page.get_by_text("Signed in as sara · annotator")).to_be_visible(timeout=20000)
            page.evaluate("window.__beforeSignOut = true")
            page.get_by_role("button", name="Sign out").first.click()
            # Signing out draws the form, then sends the browser through /auth/sign-out (which clears the cookie)
            # and back: a reload before that second page has loaded is aborted by it.
            page.wait_for_function("!window.__beforeSignOut && document.readyState === 'complete'", timeout=20000)
            expect(page.get_by_label("User name")).to_be_visible(timeout=20000)
            page.reload()
            expect(page.get_by_label("User name")).to_be_visible(timeout=20000)
            assert "Signed in as" not in page.inner_text("body")
        finally:
            browser.close()


# ------------------------------------------------------------------------------------------------ demo accounts


def test_demo_creates_the_demo_accounts_once_and_warns(tmp_path: Path) -> None:
    args = ["--project", str(tmp_path / "demo"), "demo", "--no-serve"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert f"Demo accounts, all with password {DEMO_PASSWORD!r}: admin (admin), curator (curator), sara (annotator), " \
        "omid" in first.output
    assert "for trying the app on this machine only" in first.output
    store = open_project(tmp_path / "demo").store()
    assert {(n, store.users.verify(n, DEMO_PASSWORD).role.value) for n in ("admin", "curator", "sara", "omid")} == {
        ("admin", "admin"), ("curator", "curator"), ("sara", "annotator"), ("omid", "annotator")}
    assert len(store.audit.list(action="user.add")) == 4
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0 and "Demo accounts" not in second.output


def test_demo_adds_no_accounts_to_a_project_that_has_users(proj: list[str]) -> None:
    CliRunner().invoke(cli, [*proj, "users", "add", "lead", "--role", "admin", "--password-stdin"], input="password1\n")
    result = CliRunner().invoke(cli, [*proj, "demo", "--no-serve"])
    assert result.exit_code == 0 and "Demo accounts" not in result.output
    assert _users(proj) == [["lead", "admin"]]


@pytest.mark.parametrize(
    ("address", "warned"), [("127.0.0.1", False), ("localhost", False), ("0.0.0.0", True), ("10.0.0.5", True)]
)
def test_serving_demo_accounts_on_a_network_address_warns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, address: str, warned: bool
) -> None:
    started: list[ServeCommand] = []
    monkeypatch.setattr(serve_cli, "run_serve", lambda command: started.append(command) or 0)
    path = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["--project", str(path), "demo", "--address", address, "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert (f"still have the password {DEMO_PASSWORD!r}" in result.output) is warned
    assert [c.argv[c.argv.index("--server.address") + 1] for c in started] == [address]
    assert started[0].cwd == path.resolve()


def test_serve_takes_the_project_after_the_command_too(proj: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[ServeCommand] = []
    monkeypatch.setattr(serve_cli, "run_serve", lambda command: started.append(command) or 0)
    result = CliRunner().invoke(cli, ["--project", "elsewhere", "serve", "--project", proj[1], "--no-browser"])
    assert result.exit_code == 0, result.output
    assert started[0].cwd == Path(proj[1]).resolve()
    assert started[0].argv[started[0].argv.index("--server.headless") + 1] == "true"


def test_a_failing_server_is_reported(proj: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serve_cli, "run_serve", lambda command: 1)
    result = CliRunner().invoke(cli, [*proj, "serve"])
    assert result.exit_code == 1 and "exit status 1" in result.output
