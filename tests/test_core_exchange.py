"""The .json draft file: validation against the schema, round trips, and every way a file is refused.

A refused file must raise DraftFormatError with a Chinese reason, and importing it through
the CLI must return non-zero and leave the draft store empty.
"""
from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path

import jsonschema
import pytest

from desktop_app.cli import main
from desktop_app.core import exchange
from desktop_app.core.draft import FORMAT_VERSION
from desktop_app.core.exchange import (
    DraftFormatError, draft_from_json_text, draft_schema, read_draft_file, validate_document,
    write_draft_file,
)
from desktop_app.core.store import DraftStore

SAMPLE = Path(__file__).resolve().parent.parent / "resources" / "samples" / "yangzhou_2021_sample.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def sample_data():
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


def _write_json(path, data):
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _cli_import_refused(tmp_path, bad, capsys):
    """Import `bad` through the CLI: non-zero, a Chinese message, and an empty store."""
    db = tmp_path / "drafts.sqlite3"
    code = main(["--db", str(db), "import", str(bad)])
    err = capsys.readouterr().err
    assert code != 0
    assert CJK.search(err)
    s = DraftStore(db)
    try:
        assert s.list() == []
    finally:
        s.close()
    return err


# the schema and the sample ------------------------------------------------------------
def test_schema_is_a_valid_2020_12_schema():
    schema = json.loads(exchange.paths.resource("schema", "draft.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["format_version"]["maximum"] == FORMAT_VERSION


def test_sample_validates(sample_data):
    assert validate_document(sample_data) == []
    jsonschema.Draft202012Validator(draft_schema()).validate(sample_data)
    draft = read_draft_file(SAMPLE)
    assert draft.id == "sample-yangzhou-2021"
    assert draft.is_sample
    assert draft.city == "扬州市"
    assert draft.plan_years == [2021, 2022, 2023]


def test_write_then_read_round_trip(tmp_path, sample_draft):
    out = tmp_path / "草稿.json"
    write_draft_file(sample_draft, out)
    raw = out.read_bytes()
    assert "扬州市人民政府".encode() in raw  # Chinese kept readable, not \u-escaped
    assert json.loads(raw.decode("utf-8")) == sample_draft.data
    assert read_draft_file(out) == sample_draft
    assert sorted(p.name for p in tmp_path.iterdir()) == ["草稿.json"]


def test_round_trip_of_an_edited_new_draft(tmp_path, program):
    from desktop_app.core.draft import new_draft

    draft = new_draft(program, organization="镇江市人民政府", city="镇江市", contact="李", phone="0511-1")
    draft.set_text("overview", "镇江概述。\n第二段。")
    draft.part("targets")["indicators"][0]["baseline"] = 12.5
    draft.part("targets")["indicators"][0]["targets"] = [15, None, 21.6]
    out = tmp_path / "zj.json"
    write_draft_file(draft, out)
    back = read_draft_file(out)
    assert back == draft
    assert back.part("targets")["indicators"][0]["targets"] == [15, None, 21.6]


def test_utf8_bom_is_accepted(tmp_path, sample_data):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(sample_data, ensure_ascii=False).encode("utf-8"))
    assert read_draft_file(path).data == sample_data


def test_write_refuses_an_invalid_draft_and_creates_nothing(tmp_path, sample_draft):
    sample_draft.data["year"] = "2021"
    out = tmp_path / "bad.json"
    with pytest.raises(DraftFormatError) as info:
        write_draft_file(sample_draft, out)
    assert "申报年度" in str(info.value)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_write_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path, sample_draft, monkeypatch):
    out = tmp_path / "draft.json"
    out.write_bytes(b"old content")

    def refuse(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exchange.os, "replace", refuse)
    with pytest.raises(OSError):
        write_draft_file(sample_draft, out)
    assert out.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.json"]


# refusals ---------------------------------------------------------------------------------
def test_malformed_json_names_the_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "format": "patent-conversion-draft",\n  "id": "x",\n}\n', encoding="utf-8")
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    assert "行" in str(info.value)
    assert "第4行" in info.value.problems[0]
    assert "损坏" in info.value.problems[0] and "Expecting" not in info.value.problems[0]
    err = _cli_import_refused(tmp_path, bad, capsys)
    assert "行" in err


def test_wrong_types_name_the_field_labels(tmp_path, sample_data, capsys):
    sample_data["year"] = "2021"
    sample_data["parts"]["targets"]["indicators"][1]["baseline"] = "三百"
    bad = _write_json(tmp_path / "types.json", sample_data)
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    problems = info.value.problems
    assert len(problems) == 2
    year_problem = next(p for p in problems if "申报年度" in p)
    assert "整数" in year_problem
    baseline_problem = next(p for p in problems if "基期值" in p)
    assert "第2行" in baseline_problem
    assert "绩效目标指标" in baseline_problem
    assert "三百" in baseline_problem
    err = _cli_import_refused(tmp_path, bad, capsys)
    assert "基期值" in err and "申报年度" in err


def test_unknown_fields_are_named(tmp_path, sample_data, capsys):
    sample_data["budget"] = 100
    sample_data["parts"]["overview"]["summary"] = "多余"
    bad = _write_json(tmp_path / "extra.json", sample_data)
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    text = str(info.value)
    assert "“budget”" in text
    assert "“summary”" in text
    assert "不认识" in text
    _cli_import_refused(tmp_path, bad, capsys)


def test_missing_required_field_is_named(tmp_path, sample_data, capsys):
    del sample_data["program_id"]
    bad = _write_json(tmp_path / "missing.json", sample_data)
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    assert info.value.problems == ["文件整体：缺少必填字段“program_id”，请补上"]
    _cli_import_refused(tmp_path, bad, capsys)


def test_missing_nested_required_field_is_named(sample_data):
    del sample_data["applicant"]["city"]
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(json.dumps(sample_data, ensure_ascii=False))
    assert "申报单位信息" in str(info.value)
    assert "“city”" in str(info.value)


def test_newer_format_version_says_upgrade(tmp_path, sample_data, capsys):
    sample_data["format_version"] = FORMAT_VERSION + 1
    sample_data["new_field_of_the_future"] = {"x": 1}
    bad = _write_json(tmp_path / "newer.json", sample_data)
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    assert len(info.value.problems) == 1
    assert "升级" in info.value.problems[0]
    assert str(FORMAT_VERSION + 1) in info.value.problems[0]
    err = _cli_import_refused(tmp_path, bad, capsys)
    assert "升级" in err


def test_not_a_draft_file_format(sample_data):
    sample_data["format"] = "something-else"
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(json.dumps(sample_data))
    assert "文件类型" in str(info.value)


def test_period_end_before_start(tmp_path, sample_data, capsys):
    sample_data["period"] = {"start": 2023, "end": 2021}
    bad = _write_json(tmp_path / "period.json", sample_data)
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    assert info.value.problems == ["建设期：结束年 2021 早于起始年 2023"]
    _cli_import_refused(tmp_path, bad, capsys)


def test_blank_city_is_refused(sample_data):
    sample_data["applicant"]["city"] = "   "
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(json.dumps(sample_data, ensure_ascii=False))
    assert "所在城市" in str(info.value)


def test_non_utf8_file(tmp_path, sample_data, capsys):
    bad = tmp_path / "gbk.json"
    bad.write_bytes(json.dumps(sample_data, ensure_ascii=False).encode("gbk"))
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    assert "读不出" in str(info.value) and "UTF" not in str(info.value)
    _cli_import_refused(tmp_path, bad, capsys)


def test_too_large_file_is_refused_before_parsing(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(exchange, "MAX_FILE_BYTES", 1024)
    big = SAMPLE.read_bytes()
    assert len(big) > 1024
    bad = tmp_path / "big.json"
    bad.write_bytes(big)  # a perfectly valid draft — only its size is wrong

    def no_parse(*_args, **_kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(exchange, "draft_from_json_text", no_parse)
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    assert "过大" in str(info.value)
    _cli_import_refused(tmp_path, bad, capsys)


@pytest.mark.parametrize("text", ["[" * 100000, '{"a":' * 100000])
def test_deep_nesting_is_refused(tmp_path, text, capsys):
    bad = tmp_path / "deep.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(bad)
    assert "嵌套" in str(info.value)
    _cli_import_refused(tmp_path, bad, capsys)


@pytest.mark.parametrize("text", ["[]", '"草稿"', "42", "null"])
def test_top_level_not_an_object(text):
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(text)
    assert info.value.problems == ["文件内容不是本程序的草稿，请选择由“导出草稿文件”保存的文件"]


def test_missing_file(tmp_path):
    with pytest.raises(DraftFormatError) as info:
        read_draft_file(tmp_path / "nowhere.json")
    assert "不存在" in str(info.value)


def test_every_problem_is_listed_at_once(sample_data):
    sample_data["year"] = 1999
    sample_data["id"] = ""
    sample_data["letter"]["date"] = "2021年3月1日"
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(json.dumps(sample_data, ensure_ascii=False))
    problems = info.value.problems
    assert len(problems) == 3
    assert any("申报年度" in p and "超出允许范围" in p for p in problems)
    assert any("落款日期" in p and "2021-03-01" in p for p in problems)
    assert any("草稿编号" in p for p in problems)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(tmp_path, sample_data, literal, capsys):
    text = json.dumps(sample_data, ensure_ascii=False).replace('"baseline": 192', f'"baseline": {literal}', 1)
    assert literal in text
    with pytest.raises(DraftFormatError) as info:
        draft_from_json_text(text)
    assert literal in str(info.value)
    assert CJK.search(info.value.problems[0])
    bad = tmp_path / "nan.json"
    bad.write_text(text, encoding="utf-8")
    _cli_import_refused(tmp_path, bad, capsys)


def test_valid_import_through_cli_then_duplicate_is_refused(tmp_path, capsys):
    db = tmp_path / "drafts.sqlite3"
    assert main(["--db", str(db), "import", str(SAMPLE)]) == 0
    assert "已导入" in capsys.readouterr().out
    assert main(["--db", str(db), "import", str(SAMPLE)]) == 1
    assert "--replace" in capsys.readouterr().err
    assert main(["--db", str(db), "import", "--replace", str(SAMPLE)]) == 0
    s = DraftStore(db)
    try:
        assert [r.id for r in s.list()] == ["sample-yangzhou-2021"]
        assert s.load("sample-yangzhou-2021").data == json.loads(SAMPLE.read_text(encoding="utf-8"))
    finally:
        s.close()


def test_refused_import_leaves_an_existing_store_untouched(tmp_path, sample_data, capsys):
    db = tmp_path / "drafts.sqlite3"
    assert main(["--db", str(db), "import", str(SAMPLE)]) == 0
    changed = copy.deepcopy(sample_data)
    changed["parts"]["overview"]["text"] = "被篡改"
    changed["year"] = "二〇二一"
    bad = _write_json(tmp_path / "bad.json", changed)
    capsys.readouterr()
    assert main(["--db", str(db), "import", "--replace", str(bad)]) == 2
    assert "申报年度" in capsys.readouterr().err
    s = DraftStore(db)
    try:
        assert s.load("sample-yangzhou-2021").data == sample_data
    finally:
        s.close()
    assert os.path.getsize(bad) > 0


def test_minimal_example_in_the_format_doc_is_valid(tmp_path, program):
    """docs/draft-format.md's minimal example must stay a file the program accepts."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "draft-format.md").read_text(encoding="utf-8")
    block = re.search(r"## 最小示例.*?```json\n(.*?)```", doc, re.S)
    assert block, "minimal example missing from docs/draft-format.md"
    path = tmp_path / "minimal.json"
    path.write_text(block.group(1), encoding="utf-8")
    draft = read_draft_file(path)
    assert draft.program_id == "key_city_2021"
    assert draft.plan_years == [2021, 2022, 2023]
    assert set(draft.data["parts"]) <= {n.id for n in program.parts()}
