"""Missing shared material (the seed corpus, the peer cases) skips on a developer's machine and fails in CI."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_data import SEEDS, require


def test_missing_shared_material_fails_under_ci_and_skips_elsewhere(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "seeds" / "manifest.jsonl"
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"the seed corpus not found at .*manifest\.jsonl.*CI must"):
        require(missing, "the seed corpus")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="ANNOTATE_SHARED"):
        require(missing, "the seed corpus")
    assert require(tmp_path, "a directory") == tmp_path


def test_the_shared_seed_corpus_is_where_ci_puts_it() -> None:
    require(SEEDS / "manifest.jsonl", "the seed corpus")
    assert len(list(SEEDS.glob("*.txt"))) == 5
