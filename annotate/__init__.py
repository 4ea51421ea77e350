"""annotate: annotation and gold-dataset curation for Persian, Dari and Arabic news."""

from __future__ import annotations

__version__ = "0.1.0"
