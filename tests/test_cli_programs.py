"""`python -m desktop_app programs` and the 2022 samples through the command line."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "resources" / "samples"


def run(data_dir: Path, *args: str, templates: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATENT_APP_DATA=str(data_dir), PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    env.pop("PATENT_APP_TEMPLATES", None)
    if templates is not None:
        env["PATENT_APP_TEMPLATES"] = str(templates)
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


def test_programs_lists_the_installed_programs_newest_first(tmp_path):
    result = run(tmp_path, "programs")
    assert result.returncode == 0, result.stderr
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [line[0] for line in lines] == ["industry_ip_center_2022", "university_ip_center_2022", "key_city_2021"]
    by_id = {line[0]: line[1:] for line in lines}
    assert by_id["key_city_2021"] == ["2021年度专利转化重点城市引领计划", "2021年度", "建设期3年", "任务7项"]
    assert by_id["university_ip_center_2022"][1:] == ["2022年度", "建设期2年", "任务5项"]
    assert by_id["industry_ip_center_2022"][1:] == ["2022年度", "建设期2年", "任务8项"]
    assert "产业知识产权运营中心发展" in by_id["industry_ip_center_2022"][0]


def test_programs_follows_the_templates_folder(tmp_path):
    root = tmp_path / "templates"
    (root / "tiny_2031").mkdir(parents=True)
    (root / "tiny_2031" / "program.yaml").write_text(
        "id: tiny_2031\nname: 2031年度小专项\nyear: 2031\nperiod_years: 1\n"
        "outline: [{id: body, heading: 一、正文, kind: prose}]\n", encoding="utf-8")
    result = run(tmp_path, "programs", templates=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["tiny_2031\t2031年度小专项\t2031年度\t建设期1年\t任务0项"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(tmp_path, "programs", templates=empty)
    assert result.returncode == 1 and "没有已安装的申报项目" in result.stderr


@pytest.mark.parametrize("name, title", [("changzhou_university_2022_sample.json", "【示例】常州市 2022年度申报"),
                                         ("wuxi_park_2022_sample.json", "【示例】无锡市 2022年度申报")])
def test_2022_samples_import_and_check(tmp_path, name, title):
    sample = SAMPLES / name
    result = run(tmp_path, "check", "--json", str(sample))
    assert result.returncode == 0 and "检查通过" in result.stdout, result.stdout
    result = run(tmp_path, "import", str(sample))
    assert result.returncode == 0, result.stderr
    assert title in result.stdout
    listed = run(tmp_path, "list")
    assert title in listed.stdout
