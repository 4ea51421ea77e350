"""``project.json`` through its one model (ProjectConfig): what init writes, what open reads, and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate.errors import ConfigError
from annotate.labelstudio.client import read_project_settings
from annotate.project import CONFIG_FILE, ProjectConfig, init_project, open_project, read_config


def test_init_writes_what_open_reads(tmp_path: Path) -> None:
    with init_project(tmp_path / "p", title="اخبار ۱۴۰۳") as project:
        assert project.title == "اخبار ۱۴۰۳"
    text = (tmp_path / "p" / CONFIG_FILE).read_text(encoding="utf-8")
    assert json.loads(text) == {"title": "اخبار ۱۴۰۳"} and "\\u" not in text
    with open_project(tmp_path / "p") as again:
        assert (again.title, again.config_database_url) == ("اخبار ۱۴۰۳", None)
    assert read_config(tmp_path / "p") == ProjectConfig(title="اخبار ۱۴۰۳")


def test_label_studio_settings_are_read_with_e_mails_folded(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(json.dumps({
        "title": "t", "extra": "kept for other tools",
        "labelstudio": {"url": "http://ls:8080", "project_title": "Dates", "users": {" Ali@Example.org ": "ali"}},
    }), encoding="utf-8")
    settings = read_project_settings(tmp_path)
    assert (settings.url, settings.project_title, settings.users) == ("http://ls:8080", "Dates",
                                                                      {"ali@example.org": "ali"})
    assert read_project_settings(tmp_path / "no-project").users == {}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", r"cannot read project config: Expecting property name"),
        ("[1]", r"project\.json: Input should be a valid dictionary"),
        ('{"title": 3}', r"project\.json: title: Input should be a valid string"),
        ('{"database_url": ["x"]}', r"database_url: Input should be a valid string"),
        ('{"labelstudio": "http://ls"}', r"labelstudio: Input should be a valid dictionary"),
        ('{"labelstudio": {"adress": "x"}}', r"labelstudio\.adress: Extra inputs are not permitted"),
        ('{"labelstudio": {"users": {"a@b.c": 1}}}', r"labelstudio\.users\.a@b\.c: Input should be a valid string"),
        ('{"labelstudio": {"url": 8080}}', r"labelstudio\.url: Input should be a valid string"),
    ],
)
def test_a_bad_project_json_names_the_file_and_the_field(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / CONFIG_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        open_project(tmp_path)
    assert str(tmp_path / CONFIG_FILE) in str(info.value)


def test_an_api_key_in_project_json_is_refused_without_repeating_it(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text('{"labelstudio": {"api_key": "sekrit-123"}}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"never kept in project\.json") as info:
        read_project_settings(tmp_path)
    assert "sekrit-123" not in str(info.value) and "LABEL_STUDIO_API_KEY" in str(info.value)
