"""A release's Hugging Face export as one zip file, for a download from the browser.

The export is written by :func:`annotate.release.export.export_release` into a temporary directory (never into
the project), zipped under one top folder ``NAME-VERSION/`` and the directory removed: unzipped anywhere,
``datasets.load_dataset("NAME-VERSION")`` reads it offline.  Entries are sorted and dated 1980-01-01, so the same
release gives the same zip bytes every time.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .export import ExportStats, export_release
from .versions import load_manifest

__all__ = ["ZipExport", "export_zip"]

_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ZipExport:
    """The zip's bytes, the file name to offer, its top folder and what the export wrote."""

    data: bytes
    filename: str
    folder: str
    stats: ExportStats


def export_zip(release_dir: str | Path, *, name: str = "annotate-gold", **options: Any) -> ZipExport:
    """Export the release at ``release_dir`` (verified first) and return it zipped; ``options`` go to
    :func:`~annotate.release.export.export_release` (taxonomy, agreement, hub repository, ...)."""
    version = load_manifest(release_dir).version
    folder = f"{name}-{version}"
    with tempfile.TemporaryDirectory(prefix="annotate-export-") as tmp:
        target = Path(tmp) / folder
        stats = export_release(release_dir, target, name=name, **options)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(p for p in target.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f"{folder}/{path.relative_to(target).as_posix()}", date_time=_EPOCH)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
    return ZipExport(buf.getvalue(), f"{folder}.zip", folder, stats)
