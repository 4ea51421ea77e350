"""HTTP routes beside the Streamlit app that keep the session token in an HttpOnly cookie.

Streamlit's widgets talk over a websocket, which cannot set cookies, and a cookie set from JavaScript is one any
script on the page can read. So ``annotate serve`` runs the app as an ASGI application (``st.App``, see
:mod:`annotate.app.asgi`) with two routes of its own:

* ``/auth/session?ticket=...&next=...``: after a sign-in, the page navigates here with a one-time ticket (kept in
  this process for :data:`TICKET_TTL`, bound to the browser's ``_streamlit_xsrf`` cookie); the answer sets the
  session cookie (``HttpOnly; SameSite=Strict; Path=/``, ``Secure`` over https, ``Max-Age`` the session's longest
  life) and redirects to ``next``. The token never appears in a URL, a page or JavaScript.
* ``/auth/sign-out?next=...``: clears the cookie (the sessions themselves are already ended in the store).

``next`` must be a path on this server (no scheme, no ``//host``): no open redirect.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from ..auth import SESSION_COOKIE, SESSION_MAX_AGE

SESSION_PATH = "/auth/session"
SIGN_OUT_PATH = "/auth/sign-out"
XSRF_COOKIE = "_streamlit_xsrf"
TICKET_TTL = 60.0
"""Seconds a sign-in ticket may wait for the browser to fetch it."""

mounted = False
"""Whether these routes are served (set by :mod:`annotate.app.asgi`); under AppTest or a bare ``streamlit run``
they are not, and a sign-in then lasts as long as the Streamlit session."""


@dataclass(frozen=True)
class _Ticket:
    token: str
    browser: str
    expires: float


_tickets: dict[str, _Ticket] = {}
_lock = threading.Lock()


def _browser_id(xsrf: str | None) -> str:
    return hashlib.sha256((xsrf or "").encode("utf-8")).hexdigest()


def issue_ticket(token: str, xsrf: str | None) -> str:
    """A one-time ticket that ``/auth/session`` exchanges for a cookie holding ``token``, in this browser only."""
    ticket = secrets.token_urlsafe(24)
    now = time.monotonic()
    with _lock:
        for key in [k for k, t in _tickets.items() if t.expires <= now]:
            del _tickets[key]
        _tickets[ticket] = _Ticket(token, _browser_id(xsrf), now + TICKET_TTL)
    return ticket


def redeem_ticket(ticket: str, xsrf: str | None) -> str | None:
    """The token of an unexpired ticket issued to this browser (the ticket is used up either way), or None."""
    with _lock:
        found = _tickets.pop(ticket, None)
    if found is None or found.expires <= time.monotonic():
        return None
    return found.token if hmac.compare_digest(found.browser, _browser_id(xsrf)) else None


def safe_next(value: str | None) -> str:
    """``value`` if it is a path on this server, else ``/``."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value or "\n" in value:
        return "/"
    return value


def _secure(request: Any) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    return bool(request.url.scheme == "https" or forwarded.split(",")[0].strip() == "https")


async def session_route(request: Any) -> Any:
    """Exchange a sign-in ticket for the HttpOnly session cookie, then go on to ``next``."""
    from starlette.responses import RedirectResponse

    token = redeem_ticket(request.query_params.get("ticket", ""), request.cookies.get(XSRF_COOKIE))
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if token is not None:
        response.set_cookie(SESSION_COOKIE, token, max_age=int(SESSION_MAX_AGE.total_seconds()), path="/",
                            httponly=True, samesite="strict", secure=_secure(request))
    return response


async def sign_out_route(request: Any) -> Any:
    """Clear the session cookie, then go on to ``next``."""
    from starlette.responses import RedirectResponse

    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request))
    return response


def routes() -> list[Any]:
    """The Starlette routes to mount beside the app."""
    from starlette.routing import Route

    return [Route(SESSION_PATH, session_route, methods=["GET"]), Route(SIGN_OUT_PATH, sign_out_route, methods=["GET"])]
