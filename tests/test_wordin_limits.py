"""导入 Word 方案 keeps to the one limit table (core.limits): a plan whose section is longer
than a part may hold is refused with the part named in plain words — it was refused with
"方案各部分（parts） › overview › 正文（text）" in the window, and by the command line as
"草稿文件 … 无法导入" though no draft file was being imported."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.core import limits

ROOT = Path(__file__).resolve().parent.parent


def _long_plan(path: Path) -> Path:
    import docx

    d = docx.Document()
    for text in ("一、建设基础", "1.概述"):
        d.add_paragraph(text)
    sentence = "扬州市专利转化工作稳步推进，成效明显。"
    for _ in range(limits.TEXT_MAX_CHARS // 5000 + 2):
        d.add_paragraph((sentence * 300)[:5000])
    d.add_paragraph("四、保障措施")
    d.add_paragraph("成立领导小组。")
    d.save(str(path))
    return path


def test_a_section_longer_than_a_part_is_refused_in_plain_words(tmp_path):
    from desktop_app.app.word_import import WordInError, open_word_plan

    plan = open_word_plan(_long_plan(tmp_path / "长方案.docx"), "key_city_2021")
    with pytest.raises(WordInError) as caught:
        plan.build()
    message = str(caught.value)
    assert "“1.概述”的正文" in message and f"{limits.TEXT_MAX_CHARS}" in message
    assert "parts" not in message and "text" not in message and "草稿文件" not in message


def test_the_command_line_says_the_same_and_writes_nothing(tmp_path):
    plan = _long_plan(tmp_path / "长方案.docx")
    out = tmp_path / "导入的方案.json"
    run = subprocess.run([sys.executable, "-m", "desktop_app", "import-docx", str(plan), "--program",
                          "key_city_2021", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                         encoding="utf-8", timeout=120)
    assert run.returncode == 2
    assert "“1.概述”的正文" in run.stderr and "草稿文件" not in run.stderr
    assert not out.exists()
