"""Publish against a fake Hub (``fake_hub.py``): a local HTTP server on 127.0.0.1 implementing the few endpoints
used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import release
from click.testing import CliRunner
from fake_hub import COMMIT, FakeHub, serving_fake_hub

from annotate.cli import cli
from annotate.errors import ExportError, InputError
from annotate.project import Project
from annotate.release.export import export_release
from annotate.release.publish import publish_export
from annotate.release.versions import release_path


def _send_card_validation_to(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``DatasetCard.validate`` posts to a fixed https://huggingface.co before huggingface_hub 2.2 (then to the
    configured endpoint): send that request to the fake Hub too, so no test reaches the network."""
    import huggingface_hub.repocard as repocard

    session = repocard.get_session

    class ToFakeHub:
        def __init__(self, real: Any) -> None:
            self._real = real

        def post(self, target: str, *args: Any, **kwargs: Any) -> Any:
            return self._real.post(target.replace("https://huggingface.co", url, 1), *args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._real, name)

    monkeypatch.setattr(repocard, "get_session", lambda: ToFakeHub(session()))


@pytest.fixture
def fake_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeHub, str]]:
    with serving_fake_hub() as (hub, url):
        monkeypatch.setenv("HF_ENDPOINT", url)
        import huggingface_hub.constants

        monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", url)  # read once at import otherwise
        _send_card_validation_to(url, monkeypatch)
        monkeypatch.setenv("HF_TOKEN", "hf_fake_token_for_tests")
        monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
        yield hub, url


@pytest.fixture
def exported(gold_project: Project, tmp_path: Path) -> tuple[Path, str]:
    v = release(gold_project)
    out = tmp_path / "export"
    export_release(release_path(gold_project.path, v), out)
    return out, v


def test_publish_uploads_every_file_and_tags_the_version(fake_hub: tuple[FakeHub, str],
                                                         exported: tuple[Path, str]) -> None:
    hub, url = fake_hub
    out, v = exported
    result = publish_export(out, v, "org/news", endpoint=url)
    local = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert hub.files == local
    assert hub.tags == {f"v{v}": COMMIT}
    assert result.tag == f"v{v}" and result.commit == COMMIT
    assert ("POST", "/api/repos/create") in hub.requests
    assert hub.validated and hub.validated[0]["repoType"] == "dataset"  # the Hub's card check ran


def test_card_validates_with_huggingface_hub(fake_hub: tuple[FakeHub, str], exported: tuple[Path, str]) -> None:
    from huggingface_hub import DatasetCard

    hub, _ = fake_hub
    out, _ = exported
    card = DatasetCard.load(out / "README.md")
    card.validate(repo_type="dataset")
    assert "configs:" in hub.validated[-1]["content"]


def test_publish_refuses_the_wrong_version_and_bad_repo(exported: tuple[Path, str]) -> None:
    out, _ = exported
    with pytest.raises(ExportError, match=r"is an export of version 0\.1\.0, not 2\.0\.0"):
        publish_export(out, "2.0.0", "org/news")
    with pytest.raises(InputError, match="not a Hub repository id"):
        publish_export(out, "0.1.0", "no-slash")


def test_hub_refusal_is_a_clear_error(fake_hub: tuple[FakeHub, str], exported: tuple[Path, str]) -> None:
    hub, url = fake_hub
    hub.refuse_tags = True
    out, v = exported
    with pytest.raises(ExportError, match=r"refused the publication of v0\.1\.0 to org/news \(HTTP 409\)"):
        publish_export(out, v, "org/news", endpoint=url)


def test_cli_export_then_publish(fake_hub: tuple[FakeHub, str], gold_project: Project) -> None:
    hub, _ = fake_hub
    release(gold_project)
    gold_project.close()
    runner = CliRunner()
    base = ["--project", str(gold_project.path)]
    r = runner.invoke(cli, [*base, "export", "0.1.0", "--repo", "org/news"])
    assert r.exit_code == 0, r.output
    assert (gold_project.path / "exports" / "annotate-gold" / "0.1.0" / "README.md").is_file()
    r = runner.invoke(cli, [*base, "publish", "0.1.0", "--repo", "org/news"])
    assert r.exit_code == 0, r.output
    assert "published v0.1.0 to org/news" in r.output and "README.md" in hub.files
