"""Screenshots of the app's main pages for the README, taken from the project the README's walk-through builds.

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/*.png (about two minutes)

The walk-through's blocks run in a temporary folder (:mod:`walkthrough`); ``annotate serve`` starts on a free
port once the walk-through opens the app; the annotators' work is done; each page of :data:`SHOTS` is opened in
Debian's headless Chromium at 1280x720, at the step of the walk-through it illustrates, as the user it names.
Before a screenshot is written, the page must show the title and main controls :data:`SHOTS` records: the same
check ``tests/test_walkthrough.py`` makes, so a page that changes its title or main controls fails the tests until
:data:`SHOTS` and the screenshots are brought up to date (run this script).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import walkthrough

sys.path.insert(0, str(walkthrough.ROOT / "tests"))
from chromium import CHROMIUM, CHROMIUM_ARGS  # (the tests' launch flags, one home)
from serving import serving  # (the tests' `annotate serve` on a free port, killed afterwards)

OUT = walkthrough.ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 720}

CONTROL_SELECTORS = {
    "button": '[data-testid^="stBaseButton"]',
    "selectbox": '[data-testid="stSelectbox"]',
    "radio": '[data-testid="stRadio"]',
    "multiselect": '[data-testid="stMultiSelect"]',
    "table": '[data-testid="stDataFrame"]',
    "text": '[data-testid="stTextInput"]',
    "number": '[data-testid="stNumberInput"]',
    "labeler": ".annot-labeler .annot-doc:not(:empty)",
}
"""How each kind of control is found on a Streamlit page (filtered by its visible label); tabs by their role."""


@dataclass(frozen=True)
class Shot:
    """One screenshot: the page (its address), who is signed in, after which walk-through step, and what the
    page must show: its title (the ``h1``) and its main controls as ``(kind, label)``."""

    name: str
    path: str
    user: str
    after: str
    """The heading of the walk-through block after which the page is shot (``people_annotate`` runs first)."""
    title: str
    controls: tuple[tuple[str, str], ...]


SHOTS: list[Shot] = [
    Shot("assign", "assign", "lena", "6. Open the app", "Assign documents",
         (("multiselect", "Annotators"), ("number", "Annotators per document"), ("button", "Preview"),
          ("button", "Assign"))),
    Shot("documents", "queue", "sara", "6. Open the app", "Documents",
         (("text", "Search"), ("table", ""))),
    Shot("annotate", "annotate?doc=news-fa-bridge", "lena", "6. Open the app", "Annotate",
         (("labeler", ""), ("button", "Undo"), ("button", "Redo"), ("button", "Save"), ("button", "Submit"))),
    Shot("agreement", "agreement", "lena", "6. Open the app", "Agreement",
         (("tab", "Per layer"), ("tab", "Per label"), ("tab", "Per pair"), ("tab", "Per language"),
          ("selectbox", "Document"), ("button", "Adjudicate"))),
    Shot("adjudicate", "adjudicate", "lena", "6. Open the app", "Adjudicate",
         (("selectbox", "Document"), ("button", "Save draft"), ("button", "Save as gold"))),
    Shot("releases", "releases", "lena", "10. Release", "Releases",
         (("button", "Preview the next release"), ("selectbox", "Version"))),
]


@dataclass(frozen=True)
class Seen:
    """What a page showed: its title and which of its shot's controls were there."""

    title: str
    controls: tuple[tuple[str, str], ...]


def sign_in(browser: Any, url: str, user: str, path: str) -> tuple[Any, Any]:
    """A new browser context signed in as ``user`` on page ``path`` (which may carry a query: ``annotate?doc=ID``)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(url + path)
    page.get_by_label("User name").fill(user)
    page.get_by_role("textbox", name="Password").fill(walkthrough.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Signed in as {user} ·").wait_for(timeout=30_000)
    return context, page


def look(browser: Any, url: str, shot: Shot) -> tuple[Seen, Any, Any]:
    """Open ``shot``'s page as its user and read what it shows; also the context and page (for a screenshot)."""
    context, page = sign_in(browser, url, shot.user, shot.path)
    page.locator("h1").first.wait_for(timeout=30_000)
    deadline = time.monotonic() + 60  # a control not there a minute after the title (5 s each at least) is missing
    found = tuple(c for c in shot.controls if _shows(page, *c, deadline))
    page.wait_for_timeout(500)  # let fonts and the last widgets settle before a screenshot
    title = page.locator("h1").first.inner_text().strip()
    return Seen(title, found), context, page


def _shows(page: Any, kind: str, label: str, deadline: float) -> bool:
    """Whether the page shows the control ``kind`` labelled ``label`` before ``deadline``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if kind == "tab":
        locator = page.get_by_role("tab", name=label)
    else:
        locator = page.locator(CONTROL_SELECTORS[kind])
        if label:
            locator = locator.filter(has_text=label)
    try:
        locator.first.wait_for(state="visible", timeout=max(5_000.0, (deadline - time.monotonic()) * 1000))
    except PlaywrightTimeout:
        return False
    return True


def differences(shot: Shot, seen: Seen) -> list[str]:
    """What the page shows differently from what ``shot`` records (empty: it matches)."""
    out = []
    if seen.title != shot.title:
        out.append(f"{shot.name}: title {seen.title!r}, recorded {shot.title!r}")
    out += [f"{shot.name}: no {kind} {label!r}" for kind, label in shot.controls if (kind, label) not in seen.controls]
    return out


def launch(playwright: Any) -> Any:
    """Debian's headless Chromium."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


def walk(workdir: Path, browser: Any | None, on_page: Callable[[Shot, Seen, Any], None], *,
         stop_before: str | None = None, env: dict[str, str] | None = None) -> walkthrough.Runner:
    """Run the walk-through in ``workdir`` with the app served from its serve step on.

    After each block, look at the pages :data:`SHOTS` places there and call ``on_page(shot, seen, page)`` (no
    ``browser``: no pages). Stops before the block that runs ``annotate STOP_BEFORE`` (e.g. ``"publish"``).
    Returns the runner (its log and environment).
    """
    walkthrough.prepare(workdir)
    runner = walkthrough.Runner.create(workdir, env)
    with ExitStack() as stack:
        url = ""
        for block in walkthrough.blocks():
            if stop_before and block.runs(stop_before):
                break
            runner.run(block)
            if block.runs("serve"):
                _, url = stack.enter_context(serving(
                    ["--project", str(runner.project_dir())], workdir / "serve.log",
                    serve_args=(*walkthrough.serve_args(block), "--no-browser"), env=runner.env))
                walkthrough.people_annotate(runner.project_dir())
            for shot in (s for s in SHOTS if browser is not None and s.after == block.heading):
                seen, context, page = look(browser, url, shot)
                try:
                    on_page(shot, seen, page)
                finally:
                    context.close()
    return runner


def main() -> int:
    """Write every screenshot of :data:`SHOTS` into ``docs/screenshots/``; 1 when a page differs from its record."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []

    def shoot(shot: Shot, seen: Seen, page: Any) -> None:
        found = differences(shot, seen)
        if found:
            problems.extend(found)
            return
        page.screenshot(path=str(OUT / f"{shot.name}.png"))
        print(f"wrote {OUT / (shot.name + '.png')}")

    with tempfile.TemporaryDirectory(prefix="annotate-screenshots-") as tmp, sync_playwright() as p:
        browser = launch(p)
        try:
            walk(Path(tmp), browser, shoot, stop_before="publish")
        finally:
            browser.close()
    for problem in problems:
        print(f"differs from SHOTS (update it, then run again): {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
