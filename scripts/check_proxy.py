"""Check the README's nginx configuration for real: TLS, the app's websocket and the session cookie through it.

    .venv/bin/python scripts/check_proxy.py        # needs nginx (apt-get install nginx-light), openssl, chromium

The ``nginx`` block of the README's team-server section is taken as written, with only its ports, certificate
paths and temporary folders changed for a run as an ordinary process: a self-signed certificate, nginx on a free
port in front of ``annotate serve`` on the demo project, and headless Chromium signing in through it. Prints what
it saw and exits 1 when the websocket did not run over ``wss://``, the session cookie was not Secure, HttpOnly and
SameSite=Strict, or a reload lost the sign-in. Everything it starts is stopped again.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import walkthrough

sys.path.insert(0, str(walkthrough.ROOT / "tests"))
from chromium import CHROMIUM, CHROMIUM_ARGS  # (the tests' launch flags, one home)
from serving import serving  # (the tests' `annotate serve` on a free port, killed afterwards)

from annotate.auth import SESSION_COOKIE
from annotate.demo import DEMO_PASSWORD
from annotate.serve import free_port


def nginx_conf(readme: str, tmp: Path, upstream: str) -> tuple[str, int]:
    """The README's nginx server blocks inside a minimal ``nginx.conf`` for ``tmp``; and the TLS port."""
    block = re.search(r"```nginx\n(.*?)```", readme, re.S)
    if block is None:
        raise SystemExit("README.md has no ```nginx block")
    tls, plain = free_port(), free_port()
    server = (block.group(1)
              .replace("listen 443 ssl;", f"listen 127.0.0.1:{tls} ssl;")
              .replace("listen 80;", f"listen 127.0.0.1:{plain};")
              .replace("/etc/letsencrypt/live/annotate.example.org/fullchain.pem", str(tmp / "cert.pem"))
              .replace("/etc/letsencrypt/live/annotate.example.org/privkey.pem", str(tmp / "key.pem"))
              .replace("http://127.0.0.1:8501", upstream))
    temp = " ".join(f"{kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                    "scgi"))
    return (f"pid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'};\nevents {{}}\n"
            f"http {{\naccess_log {tmp / 'access.log'};\n{temp}\n{server}\n}}\n"), tls


def visit(browser: Any, url: str) -> list[str]:
    """Sign in as a demo annotator through the proxy; the problems seen (empty: all is well)."""
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 720})
    page = context.new_page()
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(url)
    page.get_by_label("User name").fill("sara")
    page.get_by_role("textbox", name="Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as sara ·").wait_for(timeout=60_000)
    cookie = None
    for _ in range(300):  # the page passes once through /auth/session, which sets the cookie
        cookie = next((c for c in context.cookies() if c["name"] == SESSION_COOKIE), None)
        if cookie is not None:
            break
        page.wait_for_timeout(100)
    page.reload()
    page.get_by_text("Signed in as sara ·").wait_for(timeout=60_000)
    flags = {k: cookie[k] for k in ("secure", "httpOnly", "sameSite")} if cookie else None
    print(f"websockets: {sockets}\nsession cookie: {flags}")
    print("a reload kept the sign-in")
    problems = [] if sockets and all(s.startswith("wss://") for s in sockets) else ["no wss:// websocket"]
    if cookie is None or not (cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Strict"):
        problems.append("the session cookie is not Secure, HttpOnly and SameSite=Strict")
    context.close()
    return problems


def main() -> int:
    """Run the check; 0 when the proxy works as the README says."""
    from playwright.sync_api import sync_playwright

    missing = [tool for tool in ("nginx", "openssl") if shutil.which(tool) is None]
    if missing or not Path(CHROMIUM).exists():
        print(f"missing: {', '.join(missing) or CHROMIUM} (apt-get install nginx-light openssl chromium)",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="annotate-proxy-") as name:
        tmp = Path(name)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=annotate.example.org", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
                       check=True, capture_output=True)
        annotate = Path(sys.executable).parent / "annotate"
        subprocess.run([str(annotate), "--project", str(tmp / "demo"), "demo", "--no-serve"], check=True,
                       capture_output=True)
        with serving(["--project", str(tmp / "demo")], tmp / "serve.log") as (_, upstream):
            conf, port = nginx_conf(walkthrough.README.read_text(encoding="utf-8"), tmp, upstream.rstrip("/"))
            (tmp / "nginx.conf").write_text(conf, encoding="utf-8")
            subprocess.run(["nginx", "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")], check=True)
            try:
                with sync_playwright() as p:
                    browser = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
                    try:
                        problems = visit(browser, f"https://127.0.0.1:{port}/")
                    finally:
                        browser.close()
            finally:
                pid = int((tmp / "nginx.pid").read_text().strip())
                os.kill(pid, signal.SIGQUIT)  # nginx's graceful stop
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    if not problems:
        print("the README's nginx configuration works")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
