"""The app's entry point (``annotate serve`` runs it): sign-in gate, then the pages the user's role may see.

Pages come from the registry in :mod:`annotate.app.navigation`; this file only builds the navigation from it.
"""

from __future__ import annotations

import streamlit as st

from annotate.app.context import get_project, show_notice, sign_out, signed_in_user, sync_session_cookie
from annotate.app.navigation import GUIDELINES_PAGE, SIGN_IN_PAGE, default_page, page_url_paths, sections_for
from annotate.app.ui import plain

st.set_page_config(page_title="annotate", page_icon=":material/edit_note:", layout="wide")

project = get_project()
user = signed_in_user()
sync_session_cookie()
show_notice()

if user is None:
    # The sign-in page also answers at every page's address, so that a link to a page shows the sign-in form
    # (not "page not found") and, once signed in, the rerun lands on the page the link asked for.
    gate = [st.Page(SIGN_IN_PAGE, title="Sign in", icon=":material/login:", default=True)]
    gate += [st.Page(SIGN_IN_PAGE, title="Sign in", url_path=stem) for stem in dict.fromkeys(page_url_paths())]
    st.navigation(gate, position="hidden").run()
    st.stop()

landing = default_page(user.role.value)
by_path = {
    spec.path: st.Page(spec.path, title=spec.title, icon=spec.icon, default=spec is landing)
    for specs in sections_for(user.role.value).values()
    for spec in specs
}
current = st.navigation(
    {section: [by_path[spec.path] for spec in specs] for section, specs in sections_for(user.role.value).items()}
)

with st.sidebar:
    st.markdown(f"**{plain(project.title)}**")
    st.caption(f"Signed in as **{plain(user.name)}** · {user.role.value}")
    if GUIDELINES_PAGE in by_path:
        st.page_link(by_path[GUIDELINES_PAGE], label="Guidelines", icon=":material/menu_book:")
    st.button("Sign out", on_click=sign_out, icon=":material/logout:", key="annotate_sign_out")

current.run()
