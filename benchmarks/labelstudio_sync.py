"""Label Studio sync speed: push N documents with predictions, annotate every task, pull them back.

    .venv/bin/python benchmarks/labelstudio_sync.py [--docs 5000] [--batch 500] [--plain-dates]

Starts a fresh Label Studio from ``.ls-venv`` (``annotate ls start --install-only`` installs it) unless
``LABEL_STUDIO_URL`` and ``LABEL_STUDIO_API_KEY`` name a running one.  The documents are the demo corpus'
paragraphs, each made unique with a numbered sentence, pre-labelled by the date engine (timed apart).  Every task
is then annotated by one of two users (the engine's prediction as the result; untimed set-up, see below) and
pulled.  Prints wall times; targets: push < 120 s and pull < 120 s for 5,000.  A second push and pull are
timed too (they must change nothing).  ``--plain-dates`` annotates every date with its label only (no calendar,
month-name set or value, as Label Studio accepts a region), so that the pull reads each one with the date engine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path

from annotate.annotation.prelabel import prelabel
from annotate.labelstudio import server
from annotate.labelstudio.client import Connection, connect
from annotate.labelstudio.config import label_config
from annotate.labelstudio.convert import to_ls_result
from annotate.labelstudio.sync import PROJECT_KEY, SYSTEM, pull, push
from annotate.models import Document
from annotate.project import init_project


def corpus(n: int) -> list[Document]:
    """``n`` distinct fa/prs/ar documents built from the demo corpus."""
    lines = resources.files("annotate").joinpath("data/demo/demo.jsonl").read_text(encoding="utf-8").splitlines()
    base = [json.loads(x) for x in lines if x.strip()]
    docs = []
    for i in range(n):
        row = base[i % len(base)]
        text = f"{row['text']}\n\n(شماره {i})"
        docs.append(Document.create(text, lang=row.get("lang", "fa"), id=f"bench-{i:05d}",
                                    reference_date=row.get("reference_date")))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--plain-dates", action="store_true", help="annotate dates with their label only")
    args = ap.parse_args()

    url, key = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
    srv = None
    work = Path(tempfile.mkdtemp(prefix="annotate-ls-bench-"))
    try:
        if not (url and key):
            t = time.perf_counter()
            srv = server.start_server(server.default_venv(), data_dir=work / "ls-data")
            url, key = srv.url, srv.api_key
            print(f"server boot (fresh data dir): {time.perf_counter() - t:.1f} s")
        client = connect(Connection(url, key))
        project = init_project(work / "project")
        store = project.store()
        docs = corpus(args.docs)
        t = time.perf_counter()
        store.documents.put(docs, actor="bench")
        list(prelabel(store, actor="bench"))
        print(f"import + prelabel {len(docs)} documents (not part of the sync): {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        r = push(store, project.taxonomy(), client, title="benchmark", actor="bench", batch_size=args.batch)
        push_s = time.perf_counter() - t
        print(f"push {r.tasks_created} tasks with predictions: {push_s:.1f} s")
        t = time.perf_counter()
        r2 = push(store, project.taxonomy(), client, title="benchmark", actor="bench", batch_size=args.batch)
        print(f"push again ({r2.tasks_created} new, {r2.predictions_updated} updated): {time.perf_counter() - t:.1f} s")

        # Set-up (untimed): the same documents as tasks of a second project, each annotated by one of two users
        # with the engine's prediction, imported in bulk (Label Studio Community has no bulk annotation API and
        # one POST per annotation takes minutes for 5,000); the store is then re-linked to that project.
        t = time.perf_counter()
        users = [client.create_user(f"bench{i}-{os.getpid()}@example.org", f"bench{i}-{os.getpid()}")
                 for i in range(2)]
        engine = {s.doc_id: s for s in store.sets.list(author="dates-engine")}
        annotated = client.create_project("benchmark (annotated)", label_config(project.taxonomy()), "benchmark")

        def result(d: Document) -> list[dict[str, object]]:
            items = to_ls_result(engine[d.id], d.text)
            if not args.plain_dates:
                return items
            dates = {m.id for m in engine[d.id].dates}
            return [x for x in items if x.get("type") in ("labels", "relation") or x.get("id") not in dates]

        payload = [{"data": {"text": d.text, "doc_id": d.id},
                    "annotations": [{"result": result(d), "completed_by": users[i % 2]}]}
                   for i, d in enumerate(docs)]
        new_ids: list[int] = []
        for i in range(0, len(payload), args.batch):
            new_ids += client.import_tasks(annotated, payload[i : i + args.batch])
        store.external_ids.put(SYSTEM, "project", PROJECT_KEY, str(annotated), {"url": client.url}, actor="bench")
        for d, tid in zip(docs, new_ids, strict=True):
            store.external_ids.put(SYSTEM, "task", d.id, str(tid), {}, actor="bench")
        print(f"set-up: {len(new_ids)} annotated tasks in project {annotated}: {time.perf_counter() - t:.1f} s")

        t = time.perf_counter()
        p = pull(store, project.taxonomy(), client, actor="bench")
        pull_s = time.perf_counter() - t
        print(f"pull {p.tasks_seen} annotated tasks: {p.sets_saved} sets saved, {len(p.errors)} rejected, "
              f"{len(p.notes)} completion(s) ({sum(n.flagged for n in p.notes)} flagged), feedback written to "
              f"{p.feedback_written} task(s): {pull_s:.1f} s")
        t = time.perf_counter()
        p2 = pull(store, project.taxonomy(), client, actor="bench", full=True)
        print(f"pull again, full ({p2.sets_saved} saved, {p2.sets_unchanged} unchanged): "
              f"{time.perf_counter() - t:.1f} s")
        for e in p.errors[:5]:
            print("  rejected:", e.message.splitlines()[0])
        mapped = len(store.external_ids.list(SYSTEM, "task"))
        ok = push_s < 120 and pull_s < 120
        print(f"summary: push {push_s:.1f} s, pull {pull_s:.1f} s for {mapped} tasks -> "
              f"{'within' if ok else 'OVER'} the 2-minute targets")
        project.close()
    finally:
        if srv is not None:
            srv.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
