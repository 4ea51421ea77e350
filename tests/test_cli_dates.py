"""``annotate dates extract``: JSON Lines output shape, inputs (file, stdin, .jsonl) and input errors."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import date_mentions, short_strings, texts

from annotate.cli import cli
from annotate.dates.jsonl import (
    PARALLEL_MIN_CHARS,
    DocumentInput,
    link_line,
    link_record,
    mention_line,
    mention_record,
    worker_count,
    write_extraction,
)
from annotate.errors import InputError
from annotate.models import DateLink

MENTION_KEYS = ["kind", "id", "start", "end", "text", "calendar", "lexicon", "granularity", "native",
                "gregorian_start", "gregorian_end", "year_inferred", "relative", "note"]
LINK_KEYS = ["kind", "id", "type", "source", "target", "consistent", "reason"]


def run(args: list[str], stdin: str | None = None) -> tuple[int, list[dict[str, object]], str]:
    result = CliRunner().invoke(cli, ["dates", "extract", *args], input=stdin)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()] if result.exit_code == 0 else []
    return result.exit_code, lines, result.output


def test_text_file_output_shape(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("\ufeffدر 30 ژانویه (10 بهمن) ارتش\r\n", encoding="utf-8")
    code, lines, _ = run([str(path), "--lang", "fa", "--reference-date", "2020-02-02"])
    assert code == 0
    assert [list(obj) for obj in lines] == [MENTION_KEYS, MENTION_KEYS, LINK_KEYS]
    first, second, link = lines
    assert first["text"] == "30 ژانویه" and first["start"] == 3  # BOM dropped: offsets index the frozen text
    assert first["native"] == {"year": 2020, "month": 1, "day": 30}
    assert second["gregorian_start"] == second["gregorian_end"] == "2020-01-30"
    assert link == {"kind": "link", "id": f"ln-{first['id']}-{second['id']}", "type": "same_date",
                    "source": first["id"], "target": second["id"], "consistent": True, "reason": None}


def test_stdin_keeps_non_ascii_unescaped() -> None:
    code, lines, output = run(["-", "--lang", "ar"], stdin="في 10 ديسمبر/كانون الأول عام 2017")
    assert code == 0
    assert "ديسمبر" in output and "\\u" not in output
    assert [obj["kind"] for obj in lines] == ["mention", "mention", "link"]


def test_jsonl_documents_carry_doc(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    docs = [
        {"id": "d1", "text": "۲۷ جنوری (هفتم دلو)", "lang": "prs", "reference_date": "2024-01-27"},
        {"id": "d2", "text": "لا تاريخ هنا", "lang": "ar"},
        {"id": "d3", "text": "سال ۲۰۱۴"},
    ]
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs) + "\n\n", encoding="utf-8")
    code, lines, _ = run([str(path), "--lang", "fa"])
    assert code == 0
    assert [(obj["doc"], obj["kind"]) for obj in lines] == [("d1", "mention"), ("d1", "mention"), ("d1", "link"),
                                                            ("d3", "mention")]
    assert list(lines[0])[:2] == ["kind", "doc"]
    assert lines[1]["gregorian_start"] == "2024-01-27"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ('{"id": "d1", "text": "x", "lang": "fa"}\n{bad json\n', [], "docs.jsonl:2: not valid JSON"),
        ('{"id": "d1", "text": "x"}\n', [], "docs.jsonl:1: field 'lang' is missing"),
        ('{"id": "d1", "lang": "fa"}\n', [], "docs.jsonl:1: field 'text'"),
        ('["d1"]\n', [], "docs.jsonl:1: expected a JSON object per line, got an array"),
        ('{"id": "d1", "text": "x", "lang": "fa", "reference_date": "02/02/2020"}\n', [],
         "docs.jsonl:1: reference_date '02/02/2020' is not a date"),
    ],
)
def test_bad_jsonl_names_file_and_line_and_prints_nothing(tmp_path: Path, content: str, args: list[str],
                                                          message: str) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(cli, ["dates", "extract", str(path), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert '"kind"' not in result.output


def test_plain_text_needs_a_language(tmp_path: Path) -> None:
    code, _, output = run(["-"], stdin="10 بهمن 1398")
    assert code == 1 and "--lang is required" in output


def test_missing_file_and_bad_encoding(tmp_path: Path) -> None:
    code, _, output = run([str(tmp_path / "nope.txt"), "--lang", "fa"])
    assert code == 1 and "nope.txt: cannot read" in output
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("d\xe9j\xe0".encode("latin-1"))
    code, _, output = run([str(bad), "--lang", "fa"])
    assert code == 1 and "latin1.txt: not UTF-8" in output


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["dates", "extract", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_output_lines_are_what_json_dumps_gives(data: st.DataObject) -> None:
    """The CLI formats its lines directly for speed: they must be exactly json.dumps of the documented records."""
    text = data.draw(texts)
    mention = data.draw(date_mentions(text, data.draw(st.sampled_from(["m1", "dt-3-9", "x.y:z_1"]))))
    note = data.draw(st.one_of(st.none(), short_strings))
    mention = mention.model_copy(update={"note": note})
    doc = data.draw(st.one_of(st.none(), short_strings))
    assert mention_line(mention, doc) == json.dumps(mention_record(mention, doc), ensure_ascii=False)
    link = DateLink(id=data.draw(st.sampled_from(["ln-dt-1-4-dt-6-9", "l1"])), source="a", target="b",
                    consistent=data.draw(st.booleans()), reason=data.draw(st.one_of(st.none(), short_strings)))
    assert link_line(link, doc) == json.dumps(link_record(link, doc), ensure_ascii=False)


def test_extract_starts_without_the_store_and_exporters(tmp_path: Path) -> None:
    """``annotate dates extract`` loads only what it needs: the root group imports command modules lazily."""
    path = tmp_path / "a.txt"
    path.write_text("در ۲۲ تیر ۱۴۰۰", encoding="utf-8")
    code = (
        "import sys\n"
        "from annotate.cli import cli\n"
        f"cli.main(['dates', 'extract', {str(path)!r}, '--lang', 'fa'], standalone_mode=False)\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'datasets', 'pyarrow', 'pandas', 'streamlit') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert '"text": "۲۲ تیر ۱۴۰۰"' in out
    assert "HEAVY []" in out


def test_output_is_written_in_blocks(tmp_path: Path) -> None:
    """Many documents: every line arrives, in order, across several blocks."""
    docs = [DocumentInput(f"d{i}", f"در {i % 28 + 1} مهر ۱۴۰۲ و {i % 12 + 1}/۵/۱۴۰۲", "fa", None) for i in range(300)]
    out = io.StringIO()
    count = write_extraction(docs, out, block=1000)
    lines = out.getvalue().splitlines()
    assert count == len(lines) == 600
    assert [json.loads(line)["doc"] for line in lines[::2]] == [f"d{i}" for i in range(300)]


def _mixed_documents(n: int) -> list[DocumentInput]:
    samples = [("fa", "کابل، ۲۰ ثور ۱۴۰۳ برابر با ۹ می ۲۰۲۴ و {i} مهر"),
             ("prs", "جلسه روز شنبه ۱۵ ثور سال جاری برگزار شد"),
             ("ar", "الخميس 9 مايو 2024 الموافق 1 ذو القعدة 1445هـ، وفي {i} يونيو")]
    return [DocumentInput(f"d{i}", samples[i % 3][1].format(i=i % 28 + 1), samples[i % 3][0], dt.date(2024, 5, 10))
            for i in range(n)]


def test_parallel_output_equals_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two worker processes give the same lines, in the same order, as one; small chunks exercise the order."""
    monkeypatch.setattr("annotate.dates.jsonl._CHUNK_CHARS", 500)
    docs = _mixed_documents(240)
    one, two = io.StringIO(), io.StringIO()
    assert write_extraction(docs, one, jobs=1) == write_extraction(docs, two, jobs=2) > 240
    assert two.getvalue() == one.getvalue()


def test_worker_count() -> None:
    """Automatic: one process below the size where workers pay off, several above it; an explicit count wins."""
    small = _mixed_documents(3)
    assert worker_count(small, 0) == 1
    assert worker_count(small, 3) == 3
    big = [DocumentInput("big", "۲۰ ثور ۱۴۰۳ " * (PARALLEL_MIN_CHARS // 10), "fa", None)]
    assert worker_count(big, 0) == len(os.sched_getaffinity(0))
    with pytest.raises(InputError, match="--jobs"):
        worker_count(small, -1)


def test_cli_jobs_option(tmp_path: Path) -> None:
    """``--jobs 2`` on a .jsonl file prints what one process prints; a negative count is refused by click."""
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps({"id": d.doc_id, "text": d.text, "lang": d.lang,
                                        "reference_date": "2024-05-10"}, ensure_ascii=False) + "\n"
                            for d in _mixed_documents(30)), encoding="utf-8")
    runner = CliRunner()
    one = runner.invoke(cli, ["dates", "extract", str(path), "--jobs", "1"])
    two = runner.invoke(cli, ["dates", "extract", str(path), "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert two.output == one.output and one.output.count("\n") > 30
    bad = runner.invoke(cli, ["dates", "extract", str(path), "--jobs", "-1"])
    assert bad.exit_code == 2 and "--jobs" in bad.output
