"""Issue 23, item 3: template bombs and malformed program folders.

A program folder is data: program.yaml is read within limits (size, YAML aliases
and their expansion, field types, title lengths) and its templates render in a
bounded sandbox (widths, formats, lengths, loop steps, time, output). Each bomb
the attack used is refused quickly with a Chinese message naming the file or
field, never a traceback, a hang or a MemoryError.
"""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

from desktop_app.core.program import ProgramError, get_program, load_program
from desktop_app.core.textrender import TemplateTextError, render

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")

BOMBS = [
    "{{ 'a'.center(10**9) }}", "{{ 'a'|center(10**9) }}", "{{ 'a'.ljust(999999999) }}",
    "{{ 'a'.rjust(999999999) }}", "{{ '1'.zfill(999999999) }}", "{{ 'a\n'|indent(999999999) }}",
    "{{ 'a'|indent('x' * 99999) }}", "{{ '%999999999s'|format('a') }}", "{{ '%999999999s' % 'a' }}",
    "{{ '%*s' % (999999999, 'a') }}", "{{ '{:>999999999}'.format('a') }}",
    "{{ '{:>{w}}'.format('a', w=999999999) }}", "{{ '{0:>999999999}'.format_map({}) }}",
    "{{ ('a' * 100000)|replace('a', 'a' * 100000) }}", "{{ ('a' * 100000).replace('a', 'a' * 100000) }}",
    "{{ ('a' * 100000)|replace('', 'bb') }}", "{{ range(100000)|join('a' * 100000) }}",
    "{{ ('a' * 100000).join('b' * 100000) }}", "{{ [1]|slice(10**9)|list }}",
    "{{ 'a\tb'.expandtabs(10**9) }}", "{{ 'x'|wordwrap(10**9) }}",
    "{% set a = 'x' * 100000 %}{% set b = a ~ a ~ a %}{{ b }}",
    "{% set a = 'x' * 100000 %}{% set b = a + a + a %}{{ b }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
    "{{ lipsum(10**6) }}", "{% include 'x' %}", "{% import 'x' as y %}", "{% from 'x' import y %}",
    "{% extends 'x' %}", "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "{{ city + 1 }}",
]


@pytest.mark.slow
@pytest.mark.parametrize("source", BOMBS)
def test_a_template_bomb_is_refused_quickly_and_in_chinese(source):
    started = time.monotonic()
    with pytest.raises(TemplateTextError) as info:
        render(source, {"city": "扬州市"}, "book.plan_title")
    assert time.monotonic() - started < 10
    message = str(info.value)
    assert "book.plan_title" in message and CJK.search(message)
    assert "Traceback" not in message and "Error" not in message


def test_ordinary_templates_still_render():
    assert render("{{ city }}{{ '%s年' % 2021 }}{{ 'a' ~ 'b' }}{% for x in [1, 2] %}{{ x }}{% endfor %}"
                  "{{ '{:>3}'.format(1) }}{{ 'ab'|center(6) }}{{ ['甲', '乙']|join('、') }}",
                  {"city": "扬州"}) == "扬州2021年ab12  1  ab  甲、乙"


def _folder(tmp_path, text: str | None = None, change=None) -> Path:
    folder = tmp_path / "key_city_2021"
    shutil.copytree(ROOT / "templates" / "key_city_2021", folder)
    if change is not None:
        data = yaml.safe_load((folder / "program.yaml").read_text(encoding="utf-8"))
        change(data)
        text = yaml.safe_dump(data, allow_unicode=True)
    if text is not None:
        (folder / "program.yaml").write_text(text, encoding="utf-8")
    return folder


def _refused(folder, *words) -> str:
    started = time.monotonic()
    with pytest.raises(ProgramError) as info:
        load_program(folder)
    assert time.monotonic() - started < 10
    message = str(info.value)
    assert "program.yaml" in message and CJK.search(message), message
    for word in words:
        assert word in message, message
    return message


def test_a_yaml_alias_bomb_is_refused_before_it_expands(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    lines.append("id: bomb\nname: 炸弹\nyear: 2021\noutline: [*a9]")
    _refused(_folder(tmp_path, "\n".join(lines)), "别名")


def test_a_program_file_too_large_is_refused_unread(tmp_path):
    _refused(_folder(tmp_path, "# " + "x" * (2 * 1024 * 1024)), "过大")


def test_a_deeply_nested_program_file_is_refused(tmp_path):
    _refused(_folder(tmp_path, "id: deep\nname: 深\nyear: 2021\noutline: " + "[" * 5000 + "]" * 5000))


@pytest.mark.parametrize("field, value, named", [
    ("outline", 5, "outline"),
    ("tasks", [1, 2], "tasks 第1项"),
    ("conditions", "条件", "conditions"),
    ("indicators", [{"key": "x", "name": ["列表"]}], "indicators 第1项.name"),
    ("year", "二〇二一", "year"),
    ("letter", ["段落"], "letter"),
    ("name", "很长的名称" * 60, "name"),
    ("guide_title", "标" * 256, "guide_title"),
])
def test_wrong_field_types_and_overlong_titles_name_the_field(tmp_path, field, value, named):
    def change(data):
        data[field] = value

    _refused(_folder(tmp_path, change=change), named)


def test_an_overlong_heading_names_the_field(tmp_path):
    def change(data):
        data["outline"][0]["heading"] = "标题" * 200

    _refused(_folder(tmp_path, change=change), "heading")


def test_a_program_id_from_data_never_becomes_a_path(tmp_path):
    for hostile in ("../key_city_2021", "/etc", "key_city_2021/../key_city_2021"):
        with pytest.raises(ProgramError, match="未安装"):
            get_program(hostile)


def test_a_bomb_in_a_program_stops_the_export_with_a_message(tmp_path, sample_draft, monkeypatch):
    from desktop_app.book.compose import compose

    def change(data):
        data["book"]["plan_title"] = "{{ city.center(10**9) }}"

    program = load_program(_folder(tmp_path, change=change))
    with pytest.raises(TemplateTextError) as info:
        compose(program, sample_draft)
    assert "拦截" in str(info.value) and "program.yaml" in str(info.value)
