"""The canonical forms annotate writes: JSON text and UTC timestamps (one home for both).

The store keeps JSON columns in :func:`canonical_json`, releases hash files written with it, and every "now"
comes from :func:`utcnow` / :func:`now_iso`, so that what is written, dumped and hashed has one spelling.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal


def canonical_json(data: Any, *, allow_nan: bool = True) -> str:
    """JSON with sorted keys, no ASCII escaping and no spaces; ``allow_nan=False`` refuses NaN and Infinity."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=allow_nan)


def utcnow() -> datetime:
    """Timezone-aware now, in UTC."""
    return datetime.now(UTC)


def now_iso(timespec: Literal["seconds", "microseconds"] = "seconds") -> str:
    """The current UTC time as ISO 8601 with offset (the store keeps ``microseconds``)."""
    return utcnow().isoformat(timespec=timespec)
