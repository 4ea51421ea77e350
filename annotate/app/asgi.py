"""The app as an ASGI application: the router (``streamlit_app.py``) plus the session-cookie routes.

``annotate serve`` runs ``streamlit run`` on this file; Streamlit finds ``app`` (an ``st.App``) and serves it with
its own server. See :mod:`annotate.app.session_routes` for why the routes exist.
"""

from __future__ import annotations

import gc

import streamlit as st

from annotate.app import session_routes
from annotate.app.navigation import APP_DIR

SERVER_GC_THRESHOLDS = (50_000, 20, 20)
"""Python's collector thresholds in the app's server process (set when Streamlit loads this file, once)."""

# Each edit on a long document makes thousands of suggestion models; with the default thresholds (700, 10, 10) a
# full collection of the server's heap came every two to five edits and held the GIL 20-30 ms in that edit's
# reply (a create of 35 ms in the core took 55-67 ms then).  Cycles are rare in a run and Streamlit's own
# collection after each run is off (annotate.serve), so they are still collected, less often.
gc.set_threshold(*SERVER_GC_THRESHOLDS)
session_routes.mounted = True
app = st.App(str(APP_DIR / "streamlit_app.py"), routes=session_routes.routes())
