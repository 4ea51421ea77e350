"""The canonical forms annotate writes: JSON text, digests of JSON data and UTC timestamps (one home for each).

The store keeps JSON columns in :func:`canonical_json`, releases hash files written with it, change detection
fingerprints data with :func:`json_sha256`, and every "now" comes from :func:`utcnow` / :func:`now_iso`, so that
what is written, dumped and hashed has one spelling.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, Literal


def canonical_json(data: Any, *, allow_nan: bool = True) -> str:
    """JSON with sorted keys, no ASCII escaping and no spaces; ``allow_nan=False`` refuses NaN and Infinity."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=allow_nan)


def json_sha256(data: Any) -> str:
    """Hex SHA-256 of ``data`` as JSON with sorted keys, to tell whether data changed (the Label Studio sync's
    records, a trained model's training data).  Spelled with ``json.dumps``'s default separators, not
    :func:`canonical_json`'s: the digests already recorded in projects were made so, and another spelling would
    make every one of them look changed."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def utcnow() -> datetime:
    """Timezone-aware now, in UTC."""
    return datetime.now(UTC)


def now_iso(timespec: Literal["seconds", "microseconds"] = "seconds") -> str:
    """The current UTC time as ISO 8601 with offset (the store keeps ``microseconds``)."""
    return utcnow().isoformat(timespec=timespec)
