"""The README's walk-through, run as written: its ``bash`` blocks in order, in a fresh folder, with the real CLI.

Used by ``tests/test_walkthrough.py`` (the walk-through works on a fresh checkout) and ``scripts/screenshots.py``
(the screenshots show the project the walk-through builds), so README, test and screenshots cannot drift apart.

Each block runs in ``bash -euo pipefail`` in a new session (no terminal: the password prompts read the piped
password) with the repository's ``annotate`` first on ``PATH``; the variables a block exports carry over to the
next. Two commands are not run by bash, because they do not end: ``annotate serve`` is left to the caller (who
starts the server with the same arguments on a free port, see :func:`serve_args`), and a password prompt is
answered with :data:`PASSWORD`. What people do in the app between two blocks (annotating) is the caller's hook.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"
SECTION = "## Walk-through"
PASSWORD = "walk-through-password"
"""The password every account of the walk-through gets (the prompts ask for it twice)."""

PRELUDE = r"""
annotate() {
    case "${1:-}" in
        serve) echo "walkthrough: annotate serve $* is started by the caller" ;;
        users) printf '%s\n%s\n' "$WALKTHROUGH_PASSWORD" "$WALKTHROUGH_PASSWORD" | command annotate "$@" ;;
        *) command annotate "$@" ;;
    esac
}
"""
"""Bash functions defined before every block: what the walk-through's reader would type at a prompt."""


_KEYWORDS = frozenset({"do", "then", "else", "if", "while", "until", "time", "!"})
"""Shell words after which a new command starts (``for d in $(annotate ...); do annotate ...; done``)."""


@dataclass(frozen=True)
class Block:
    """One fenced ``bash`` block of the walk-through section: the step heading above it and its code."""

    index: int
    heading: str
    code: str

    def commands(self) -> list[list[str]]:
        """Every ``annotate ...`` command line of the block as argv (comments and continuations handled)."""
        out: list[list[str]] = []
        for line in self.code.replace("\\\n", " ").splitlines():
            lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
            lexer.whitespace_split, lexer.commenters = True, "#"
            command: list[str] = []
            for word in [*lexer, ";"]:
                if set(word) <= set("();<>|&$") or (not command and word in _KEYWORDS):
                    if command and command[0] == "annotate":
                        out.append(command)
                    command = []
                else:
                    command.append(word)
        return out

    def runs(self, *command: str) -> bool:
        """Whether the block runs ``annotate COMMAND...`` (e.g. ``runs("serve")``)."""
        return any(argv[1:1 + len(command)] == list(command) for argv in self.commands())


def blocks(readme: str | None = None) -> list[Block]:
    """The ``bash`` blocks of the README's walk-through section, in order."""
    text = readme if readme is not None else README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start:end if end != -1 else len(text)]
    out: list[Block] = []
    heading = ""
    for m in re.finditer(r"^(#{3,4} [^\n]+)$|^```bash\n(.*?)^```$", section, re.M | re.S):
        if m.group(1):
            heading = m.group(1).lstrip("# ").strip()
        else:
            out.append(Block(len(out), heading, m.group(2)))
    return out


def serve_args(block: Block) -> list[str]:
    """The arguments the block gives ``annotate serve`` (a ``--port`` left out: the caller picks a free one)."""
    argv = next(a for a in block.commands() if a[1:2] == ["serve"])[2:]
    out, skip = [], False
    for word in argv:
        if skip:
            skip = False
        elif word == "--port":
            skip = True
        elif not word.startswith("--port="):
            out.append(word)
    return out


def prepare(workdir: Path) -> None:
    """A folder like a fresh checkout's root for the walk-through: the ``examples/`` corpus, nothing else."""
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copytree(EXAMPLES, workdir / "examples")


@dataclass
class Runner:
    """Runs blocks one after the other in ``workdir``, carrying exported variables from block to block."""

    workdir: Path
    env: dict[str, str]
    log: list[str]

    @classmethod
    def create(cls, workdir: Path, env: dict[str, str] | None = None) -> Runner:
        """A runner with the repository's ``annotate`` first on ``PATH`` and no project chosen yet."""
        base = {k: v for k, v in os.environ.items() if not k.startswith("ANNOTATE_")}
        bindir = str(Path(sys.executable).parent)
        base.update({"PATH": bindir + os.pathsep + base.get("PATH", ""), "WALKTHROUGH_PASSWORD": PASSWORD,
                     "HF_HUB_DISABLE_TELEMETRY": "1", "PYTHONUNBUFFERED": "1"})
        base.update(env or {})
        return cls(workdir, base, [])

    def run(self, block: Block, timeout: float = 900) -> str:
        """Run ``block``; its output. :class:`RuntimeError` with the output when a command fails."""
        state = self.workdir / ".walkthrough-env"
        script = "\n".join([PRELUDE, block.code, f"export -p > {shlex.quote(str(state))}"])
        proc = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=self.workdir, env=self.env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
                              start_new_session=True)
        output = proc.stdout + proc.stderr
        self.log.append(f"$ # {block.heading}\n{block.code}{output}")
        if proc.returncode != 0:
            raise RuntimeError(f"walk-through step {block.heading!r} failed (exit {proc.returncode}):\n"
                               f"{block.code}\n{output}")
        self.env = _exported(state.read_text(encoding="utf-8"), self.env)
        state.unlink()
        return output

    def project_dir(self) -> Path:
        """The project the walk-through works on (``ANNOTATE_PROJECT`` once a block exported it)."""
        return Path(self.env.get("ANNOTATE_PROJECT") or self.workdir / "annotate-project")


def _exported(listing: str, previous: dict[str, str]) -> dict[str, str]:
    """The environment ``export -p`` printed (``declare -x NAME="VALUE"`` lines, bash's quoting)."""
    env = dict(previous)
    for line in listing.splitlines():
        m = re.match(r'^declare -x ([A-Za-z_][A-Za-z0-9_]*)(?:="(.*)")?$', line)
        if m and m.group(2) is not None:
            env[m.group(1)] = re.sub(r'\\([\\"$`])', r"\1", m.group(2))
    return env


def run_all(runner: Runner, after: Callable[[Block], None] | None = None) -> Iterator[tuple[Block, str]]:
    """Run every block in order, calling ``after(block)`` once each has run; yields each block and its output."""
    for block in blocks():
        output = runner.run(block)
        if after is not None:
            after(block)
        yield block, output


# ---------------------------------------------------------------------------------------------- the people


WORK: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str, list[tuple[str, str]]]]]] = {
    "news-fa-bridge": (
        [("تهران", "GPE"), ("خبرگزاری ایرنا", "ORG"), ("شهرداری تهران", "ORG"), ("پل طبیعت", "FAC"),
         ("مریم رستگار", "PER")],
        [("بسته شده بود", "SUSPENSION", [("place", "پل طبیعت")]),
         ("گفت", "STATEMENT", [("speaker", "مریم رستگار")])],
    ),
    "news-prs-road": (
        [("کابل", "GPE"), ("وزارت فواید عامه", "ORG"), ("شاهراه کابل–جلال‌آباد", "FAC"), ("احمد ضیا رسولی", "PER")],
        [("گفت", "STATEMENT", [("speaker", "احمد ضیا رسولی")])],
    ),
    "news-ar-water": (
        [("عمّان", "GPE"), ("وزارة المياه والري", "ORG"), ("محطة الزارة وماعين", "FAC"), ("ليلى الخطيب", "PER")],
        [("استئناف", "RESUMPTION", [("agent", "وزارة المياه والري")]),
         ("وقالت", "STATEMENT", [("speaker", "ليلى الخطيب")])],
    ),
    "wire-fa-snow": ([("مشهد", "GPE"), ("اداره کل هواشناسی خراسان رضوی", "ORG"), ("بینالود", "LOC")], []),
    "wire-prs-seeds": ([("هرات", "GPE"), ("ریاست زراعت هرات", "ORG")], []),
    "wire-ar-train": ([("الرباط", "GPE"), ("المكتب الوطني للسكك الحديدية", "ORG"), ("فاس", "GPE")], []),
}
"""What the walk-through's annotators mark in each example document besides the dates: entities (text, type)
and events (trigger, type, [(role, argument text)]), each at the first occurrence of its text."""


def people_annotate(project_dir: Path) -> dict[str, list[str]]:
    """The walk-through's "annotate in the app" step, done through the app's own workspace functions.

    Each annotator opens each document assigned to them, accepts the date engine's suggestions, marks the
    entities and events of :data:`WORK` and submits. On a document with two annotators the second one (by name)
    rejects the engine's last date and misses the last entity, so that agreement and adjudication have
    something to show. Returns the documents each annotator submitted.
    """
    from annotate.annotation import editing, workspace
    from annotate.project import open_project

    project = open_project(project_dir)
    try:
        store = project.store()
        by_doc: dict[str, list[str]] = {}
        for a in store.assignments.list():
            by_doc.setdefault(a.doc_id, []).append(a.annotator)
        done: dict[str, list[str]] = {}
        for doc_id, annotators in sorted(by_doc.items()):
            entities, events = WORK[doc_id]
            for n, name in enumerate(sorted(annotators)):
                ws = workspace.open_workspace(store, project.taxonomy(), doc_id, store.users.get(name))
                ws = workspace.accept_all(store, ws)
                if n == 1 and ws.aset.dates:
                    last = ws.aset.dates[-1]
                    ws = workspace.delete(store, ws, last.id)[0]
                text = ws.document.text
                mine = entities[:-1] if n == 1 else entities
                for needle, type_ in mine:
                    start = text.index(needle)
                    ws = workspace.edit(store, ws, editing.add_entity, start, start + len(needle), type_)
                for trigger, type_, args in events:
                    start = text.index(trigger)
                    ws = workspace.edit(store, ws, editing.add_event, start, start + len(trigger), type_)
                    event = next(e for e in ws.aset.events if e.trigger.start == start)
                    for role, arg in args:
                        ref = next((m.id for m in ws.aset.entities if m.text == arg), None)
                        if ref is not None:
                            ws = workspace.edit(store, ws, editing.add_argument, event.id, role, ref)
                ws = workspace.submit(store, ws, confirmed=True)  # as after the page's list of unfinished items
                done.setdefault(name, []).append(doc_id)
        return done
    finally:
        project.close()
