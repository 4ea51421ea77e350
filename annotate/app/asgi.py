"""The app as an ASGI application: the router (``streamlit_app.py``) plus the session-cookie routes.

``annotate serve`` runs ``streamlit run`` on this file; Streamlit finds ``app`` (an ``st.App``) and serves it with
its own server. See :mod:`annotate.app.session_routes` for why the routes exist.
"""

from __future__ import annotations

import streamlit as st

from annotate.app import session_routes
from annotate.app.navigation import APP_DIR
from annotate.serve import tune_collector

tune_collector()  # once per server process: Streamlit imports this file once to find `app`
session_routes.mounted = True
app = st.App(str(APP_DIR / "streamlit_app.py"), routes=session_routes.routes())
