"""`python -m desktop_app …` as a user runs it: a real subprocess, the data folder in tmp."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "appdata"
    folder.mkdir()
    return folder


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATENT_APP_DATA=str(data_dir), PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def test_export_from_json_writes_a_docx(data_dir, tmp_path):
    out = tmp_path / "扬州申报书.docx"
    result = run(data_dir, "export", "--json", str(SAMPLE), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "已导出" in result.stdout
    assert zipfile.is_zipfile(out)
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "扬州市专利转化重点城市建设方案" in texts
    assert "一、建设基础" in texts
    assert "五、进度安排" in texts
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["appdata", "扬州申报书.docx"])


def test_import_then_dump_json_round_trips(data_dir, tmp_path):
    result = run(data_dir, "import", str(SAMPLE))
    assert result.returncode == 0, result.stderr
    assert "sample-yangzhou-2021" in result.stdout
    assert (data_dir / "drafts.sqlite3").is_file()  # the default store lives in PATENT_APP_DATA

    out = tmp_path / "back.json"
    result = run(data_dir, "dump-json", "sample-yangzhou-2021", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(SAMPLE.read_text(encoding="utf-8"))


def test_list_shows_the_title(data_dir):
    empty = run(data_dir, "list")
    assert empty.returncode == 0
    assert empty.stdout.strip() == ""
    assert run(data_dir, "import", str(SAMPLE)).returncode == 0
    result = run(data_dir, "list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    draft_id, _updated, title = lines[0].split("\t")
    assert draft_id == "sample-yangzhou-2021"
    assert title == "【示例】扬州市 2021年度申报"


def test_export_from_the_store(data_dir, tmp_path):
    assert run(data_dir, "import", str(SAMPLE)).returncode == 0
    out = tmp_path / "from-store.docx"
    result = run(data_dir, "export", "--draft", "sample-yangzhou-2021", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "扬州市人民政府" in [p.text for p in docx.Document(str(out)).paragraphs]


def test_dump_json_of_unknown_id_fails_in_chinese(data_dir, tmp_path):
    out = tmp_path / "none.json"
    result = run(data_dir, "dump-json", "no-such-id", "--out", str(out))
    assert result.returncode != 0
    assert CJK.search(result.stderr)
    assert "no-such-id" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_import_of_a_bad_file_fails_in_chinese(data_dir, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "patent-conversion-draft",', encoding="utf-8")
    result = run(data_dir, "import", str(bad))
    assert result.returncode == 2
    assert "损坏" in result.stderr and "行" in result.stderr and "JSON" not in result.stderr
    assert "Traceback" not in result.stderr
    listed = run(data_dir, "list")
    assert listed.returncode == 0 and listed.stdout.strip() == ""


def test_export_to_a_missing_folder_fails_in_chinese(data_dir, tmp_path):
    out = tmp_path / "missing" / "x.docx"
    result = run(data_dir, "export", "--json", str(SAMPLE), "--out", str(out))
    assert result.returncode == 2
    assert "不存在" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.parent.exists()


def test_version(data_dir):
    from desktop_app import __version__

    result = run(data_dir, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == __version__


def test_check_exits_1_on_errors_and_0_on_the_sample(tmp_path, capsys):
    import json as _json

    from desktop_app.cli import main

    sample = Path(__file__).resolve().parent.parent / "resources" / "samples" / "yangzhou_2021_sample.json"
    assert main(["check", "--json", str(sample)]) == 0
    assert "检查通过" in capsys.readouterr().out
    data = _json.loads(sample.read_text(encoding="utf-8"))
    data["parts"]["targets"]["indicators"][2]["targets"][1] = 1500
    bad = tmp_path / "bad.json"
    bad.write_text(_json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["check", "--json", str(bad), "--format", "json"]) == 1
    findings = _json.loads(capsys.readouterr().out)
    assert [f["rule"] for f in findings] == ["targets.growth"]
    assert findings[0]["page"] == "targets" and findings[0]["field"] == "indicators.2"
    assert "1740" in findings[0]["message"]


@pytest.mark.parametrize("args, words", [
    (("export", "--json", "x.json"), "缺少必填的参数：--out"),
    (("exprot",), "没有“exprot”这一项"),
    (("list", "--wat"), "无法识别的参数：--wat"),
])
def test_command_line_mistakes_are_told_in_chinese(data_dir, args, words):
    """argparse's own lines (usage, the error) speak Chinese like the rest of the program."""
    result = run(data_dir, *args)
    assert result.returncode == 2
    assert words in result.stderr and "用法：" in result.stderr
    for english in ("usage:", "error:", "the following arguments", "invalid choice", "unrecognized"):
        assert english not in result.stderr


def test_help_is_in_chinese(data_dir):
    result = run(data_dir, "export", "--help")
    assert result.returncode == 0
    assert "用法：" in result.stdout and "显示本说明后退出" in result.stdout
    assert "show this help" not in result.stdout and "usage:" not in result.stdout
