"""The app shell in AppTest: every registered page for every role, sign-in, sign-out, role and blind-queue rules."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from apptest_helpers import ROUTER, TIMEOUT, make_app
from hypothesis import example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from annotate import auth
from annotate.annotation.guidelines import PACKAGE_GUIDELINES, REPO_GUIDELINES, guidelines_path
from annotate.app import navigation
from annotate.app.context import SESSION_DOC, SESSION_USER
from annotate.app.navigation import ALL_ROLES, ANNOTATION_PAGE, PAGES, PageSpec, find_page
from annotate.app.ui import plain
from annotate.demo import DEMO_PASSWORD, setup_demo
from annotate.models import AnnotationSet, EntityMention
from annotate.project import Project, init_project

USER_OF_ROLE = {"annotator": "sara", "curator": "curator", "admin": "admin"}
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    """The demo project (corpus, pre-labels, demo accounts) with one saved set by omid."""
    setup = setup_demo(tmp_path_factory.mktemp("app") / "demo", actor="test")
    store = setup.project.store()
    doc = store.documents.list()[0]
    word = doc.text.split()[0]
    store.sets.save(
        AnnotationSet(doc_id=doc.id, author="omid", entities=[
            EntityMention(id="e1", type="PER", start=0, end=len(word), text=word)]),
        base_revision=0, actor="omid",
    )
    yield setup.project
    setup.project.close()


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("title", "markdown", "caption", "info", "warning", "error", "success")
             for e in getattr(at, kind)]
    parts += [e.value for e in at.sidebar.markdown] + [e.value for e in at.sidebar.caption]
    return "\n".join(str(p) for p in parts)


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


CASES = [(spec, role) for spec in PAGES for role in sorted(spec.roles)]


@pytest.mark.parametrize(("spec", "role"), CASES, ids=[f"{s.path}-{r}" for s, r in CASES])
def test_every_registered_page_runs_for_every_role_that_may_see_it(demo: Project, spec: PageSpec, role: str) -> None:
    at = _ok(make_app(demo.path, USER_OF_ROLE[role], spec.path))
    assert not at.error, [e.value for e in at.error]
    assert at.title or at.markdown, "the page rendered nothing"
    assert f"Signed in as **{USER_OF_ROLE[role]}** · {role}" in _texts(at)  # ran inside the router


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_sidebar_shows_who_is_signed_in_the_guidelines_link_and_sign_out(demo: Project, role: str) -> None:
    at = _ok(make_app(demo.path, USER_OF_ROLE[role]))
    assert f"Signed in as **{USER_OF_ROLE[role]}** · {role}" in _texts(at)
    assert [p.proto.label for p in at.sidebar.get("page_link")] == ["Guidelines"]
    assert at.sidebar.button(key="annotate_sign_out").label == "Sign out"


def test_registry_paths_exist_and_every_role_has_a_landing_page() -> None:
    for spec in PAGES:
        assert (navigation.APP_DIR / spec.path).is_file(), spec.path
        assert spec.roles <= ALL_ROLES and spec.icon.startswith(":material/")
    assert len({s.path for s in PAGES}) == len(PAGES)
    for role in ALL_ROLES:
        landing = navigation.default_page(role)
        assert landing is not None and role in landing.roles


def test_sections_keep_their_order_and_unknown_ones_go_before_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(navigation, "PAGES", [
        PageSpec("views/account.py", "H", ":material/help:", "Help", ALL_ROLES),
        PageSpec("views/queue.py", "X", ":material/star:", "Extra", ALL_ROLES),
        PageSpec("views/guidelines.py", "C", ":material/star:", "Curate", frozenset({"curator"})),
        PageSpec("views/sign_in.py", "A", ":material/star:", "Annotate", ALL_ROLES),
    ])
    assert list(navigation.sections_for("curator")) == ["Annotate", "Curate", "Extra", "Help"]
    assert list(navigation.sections_for("annotator")) == ["Annotate", "Extra", "Help"]


# ------------------------------------------------------------------------------------------------ sign-in


def _sign_in(demo: Project, name: str, password: str) -> AppTest:
    at = _ok(make_app(demo.path, None))
    assert at.title[0].value == demo.title
    at.text_input(key="sign_in_name").input(name)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click()
    return _ok(at.run())


def test_sign_in_with_the_right_password_lands_on_the_queue(demo: Project) -> None:
    at = _sign_in(demo, "sara", DEMO_PASSWORD)
    assert at.session_state[SESSION_USER] == "sara"
    assert at.title[0].value == "Documents"
    assert "Signed in as **sara** · annotator" in _texts(at)


@pytest.mark.parametrize(("name", "password"), [("sara", "wrong"), ("nobody", DEMO_PASSWORD), ("", "")])
def test_sign_in_with_a_wrong_password_stays_out(demo: Project, name: str, password: str) -> None:
    at = _sign_in(demo, name, password)
    assert SESSION_USER not in at.session_state
    assert at.error and ("wrong password" in at.error[0].value or "enter your user name" in at.error[0].value)
    assert at.title[0].value == demo.title
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/queue.py")


def test_nobody_signed_in_reaches_no_page(demo: Project) -> None:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        make_app(demo.path, None, "views/queue.py")
    at = _ok(make_app(demo.path, "no-such-user"))  # e.g. a deleted account still in the session
    assert at.text_input(key="sign_in_password") is not None


def test_sign_out_returns_to_the_sign_in_page(demo: Project) -> None:
    at = make_app(demo.path, "curator", "views/account.py")
    assert "role **curator**" in _texts(at)
    at.session_state[SESSION_DOC] = "some-doc"
    at.sidebar.button(key="annotate_sign_out").click()
    _ok(at.run())
    assert SESSION_USER not in at.session_state and SESSION_DOC not in at.session_state
    assert at.text_input(key="sign_in_name") is not None


def test_a_project_without_users_says_how_to_create_one(tmp_path: Path) -> None:
    at = _ok(make_app(init_project(tmp_path / "empty").path, None))
    assert "no users yet" in _texts(at)
    assert "annotate users add NAME --role admin" in at.code[0].value


def test_a_missing_project_is_an_error_with_the_fix_not_a_traceback(tmp_path: Path) -> None:
    at = _ok(make_app(tmp_path / "nothing-here", "sara"))
    assert at.error and "annotate init" in at.error[0].value


# ------------------------------------------------------------------------------------------------ roles


def test_an_annotator_never_sees_curator_pages(demo: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    probe = PageSpec("views/account.py", "Curator only", ":material/gavel:", "Curate", frozenset({"curator", "admin"}))
    monkeypatch.setattr(navigation, "PAGES", [*navigation.PAGES[:2], probe])  # account.py now curator-only
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        make_app(demo.path, "sara", "views/account.py")
    assert "role **curator**" in _texts(_ok(make_app(demo.path, "curator", "views/account.py")))
    for spec in PAGES:  # and in the real registry
        if "annotator" not in spec.roles:
            with pytest.raises(ValueError):
                make_app(demo.path, "sara", spec.path)


def test_an_annotator_never_sees_another_annotators_sets_in_the_queue(demo: Project) -> None:
    table = make_app(demo.path, "sara", "views/queue.py").dataframe[0].value
    assert "annotators" not in table.columns
    assert "omid" not in table.to_csv()
    curator = make_app(demo.path, "curator", "views/queue.py").dataframe[0].value
    assert "omid: in_progress (1)" in curator.to_csv()


def test_queue_filters_by_language(demo: Project) -> None:
    at = make_app(demo.path, "omid", "views/queue.py")
    at.selectbox(key="queue_lang").select("prs")
    table = _ok(at.run()).dataframe[0].value
    assert len(table) >= 1 and set(table["language"]) == {"prs"}


def test_queue_opens_a_document_on_the_annotation_page(demo: Project) -> None:
    if find_page(ANNOTATION_PAGE, "annotator") is None:
        pytest.skip("the annotation page is not registered yet")
    at = make_app(demo.path, "sara", "views/queue.py")
    doc_id = demo.store().documents.list()[-1].id
    at.selectbox(key="queue_doc").select(doc_id)
    at.button(key="queue_open").click()
    _ok(at.run())
    assert at.session_state[SESSION_DOC] == doc_id


# ------------------------------------------------------------------------------------------------ guidelines


def test_guidelines_page_renders_the_guidelines_with_per_paragraph_direction(demo: Project) -> None:
    md = _ok(make_app(demo.path, "sara", "views/guidelines.py")).markdown[0].value
    assert '<div dir="auto" class="annot-md">' in md and "unicode-bidi: plaintext" in md
    assert guidelines_path().read_text(encoding="utf-8") in md


def test_the_packaged_guidelines_are_the_repository_guidelines() -> None:
    packaged = ROOT / "annotate" / PACKAGE_GUIDELINES
    assert REPO_GUIDELINES == ROOT / "guidelines.md"
    assert packaged.read_bytes() == REPO_GUIDELINES.read_bytes(), "run: cp guidelines.md annotate/data/guidelines.md"


# ------------------------------------------------------------------------------------------------ OIDC

OIDC_SECRETS = """[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "not-a-real-secret"
[auth.google]
client_id = "id"
client_secret = "s"
server_metadata_url = "https://accounts.google.com/.well-known/openid-configuration"
"""


@pytest.fixture
def oidc_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    project = init_project(tmp_path / "oidc")
    project.store().users.add("lead@example.org", "curator", "password1", actor="t")
    (project.path / ".streamlit").mkdir()
    (project.path / ".streamlit" / "secrets.toml").write_text(OIDC_SECRETS, encoding="utf-8")
    monkeypatch.setattr(auth, "authlib_installed", lambda: True)
    yield project
    project.close()


def _oidc_app(project: Project, claims: dict[str, object], session_user: str | None = None) -> AppTest:
    make_app(project.path, None)  # sets ANNOTATE_PROJECT the way every app test does
    at = AppTest.from_file(ROUTER, default_timeout=TIMEOUT)
    at.user = claims
    if session_user:
        at.session_state[SESSION_USER] = session_user
    return _ok(at.run())


def test_oidc_sign_in_offers_the_providers_and_no_password_form(oidc_project: Project) -> None:
    at = _oidc_app(oidc_project, {"is_logged_in": False})
    assert [b.label for b in at.button] == ["Sign in with google"]
    assert not at.text_input


def test_oidc_identity_maps_to_the_project_user_and_ignores_a_session_name(oidc_project: Project) -> None:
    oidc_project.store().users.add("sara", "annotator", "password1", actor="t")
    at = _oidc_app(oidc_project, {"is_logged_in": True, "email": "lead@example.org"}, session_user="sara")
    assert at.title[0].value == "Documents"
    assert "Signed in as **lead@example.org** · curator" in _texts(at)
    at = _oidc_app(oidc_project, {"is_logged_in": False}, session_user="sara")
    assert "Documents" not in [t.value for t in at.title]


def test_oidc_identity_without_a_project_user_says_who_must_add_it(oidc_project: Project) -> None:
    at = _oidc_app(oidc_project, {"is_logged_in": True, "email": "stranger@example.org"})
    assert "annotate users add stranger@example.org" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.title


# ------------------------------------------------------------------------------------------------ messages


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40))
@example("a&amp;b *x* [l](u) <b>")
@example("ستاره* و _زیرخط_ در نام")
def test_plain_shows_names_and_messages_exactly_as_typed(text: str) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").renderInline(f"x {plain(text)} x")
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)) == f"x {text} x"
