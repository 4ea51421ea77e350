"""Secrets kept out of everything shown: messages, status lines, forms and the store."""

from __future__ import annotations

import re

_USERINFO_RE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<user>[^/?#@:]*):(?P<password>[^/?#]*)@")
"""``scheme://user:password@``; the password runs to the last ``@`` of the authority, as URL parsers read it."""

REDACTED = "***"


def redact_url(url: str) -> str:
    """``url`` with the password of a ``user:password@`` part replaced by ``***`` (the user name is kept).

    ``http://ann:s3cret@ls.example.org:8080/`` → ``http://ann:***@ls.example.org:8080/``. Works for any
    scheme, database URLs (``postgresql+psycopg://...``) included; a URL without a password is returned as is.
    """
    return _USERINFO_RE.sub(lambda m: f"{m['scheme']}{m['user']}:{REDACTED}@", url, count=1)


def has_password(url: str) -> bool:
    """Whether ``url`` carries a ``user:password@`` part."""
    return _USERINFO_RE.match(url) is not None
