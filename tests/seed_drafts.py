"""Three real city plans (seeds 002–004: 扬州, 鄂尔多斯, 天津) put into the draft format the
way an officer would: measures from the plan's numbered tasks, schedule rows naming those
measures by title (format 1 has no other way), indicators as the plan states them — then
upgraded to format 2 exactly as an old file is on import (core.draft_format.upgrade).

Only what the plan says is used; the program is key_city_2021 (2021—2023), so every plan is
laid on that period. Each measure is matched to a guide task by the words of its title.
"""
from __future__ import annotations

import re
from pathlib import Path

from desktop_app.core.draft import Draft, new_draft
from desktop_app.core.draft_format import upgrade
from desktop_app.core.program import get_program

SEEDS = Path("/work/shared/seeds")
#: A seed file's shared/ copy sits beside the repository in CI as well.
SEED_DIRS = [SEEDS, Path(__file__).resolve().parents[1].parent / "shared" / "seeds"]

#: Guide task of key_city_2021 a measure answers, by the first word of its title found here.
TASK_WORDS = [
    ("finance", ("金融", "质押", "融资")),
    ("talent", ("人才", "培训")),
    ("international", ("国际", "海外", "境外")),
    ("matchmaking", ("对接", "供需", "交流")),
    ("service_network", ("运营", "服务", "平台", "联盟", "中心", "策源地", "生态园")),
    ("patent_empowerment", ("赋能", "产业", "企业", "存量", "转化", "培育", "专利")),
    ("top_design", ("方案", "政策", "机制", "制度", "改革")),
]


def seed_text(number: str) -> str:
    for folder in SEED_DIRS:
        found = sorted(folder.glob(f"{number}_*.txt")) if folder.is_dir() else []
        if found:
            return found[0].read_text(encoding="utf-8")
    raise FileNotFoundError(f"seed {number}")


def guide_task(title: str) -> str:
    for task, words in TASK_WORDS:
        if any(w in title for w in words):
            return task
    return "top_design"


def _between(text: str, start: str, end: str) -> list[str]:
    body = text[text.index(start) + len(start):text.index(end, text.index(start))]
    return [line.strip() for line in body.splitlines()]


def _lead(text: str) -> str:
    m = re.search(r"〔([^〕]+)〕", text)
    if not m:
        return ""
    return re.split(r"[、，]", m.group(1).replace("按职责分工负责", ""))[0].strip()


def _measures_yangzhou(text: str) -> list[dict]:
    out = []
    for line in _between(text, "二、重点任务", "三、保障措施"):
        m = re.match(r"^(\d+)\.([^。]+)。(.*)$", line)
        if m:
            out.append({"title": m.group(2), "text": m.group(3), "lead": _lead(m.group(3)), "projects": []})
    return out


def _measures_ordos(text: str) -> list[dict]:
    out = []
    for line in _between(text, "五、工作措施", "五、实施步骤"):
        m = re.match(r"^(\d+)\s*\.\s*([^。]+?)(?:。(.*))?$", line)
        if m:
            out.append({"title": m.group(2).strip(), "text": (m.group(3) or "").strip() or m.group(2).strip(),
                        "lead": "市市场监管局（知识产权局）", "projects": []})
    return out


def _measures_tianjin(text: str) -> list[dict]:
    out: list[dict] = []
    project = None
    for line in _between(text, "四、重点任务", "五、保障措施"):
        m = re.match(r"^（[一二三四五六七八九十]+）(.+)$", line)
        if m:
            out.append({"title": m.group(1), "text": "", "lead": "市知识产权局", "projects": []})
            project = None
        elif out and line.startswith("专栏："):
            project = {"title": line[len("专栏："):], "items": []}
            out[-1]["projects"].append(project)
        elif project is not None and line.startswith("●"):
            project["items"].append(line.lstrip("● ").strip())
        elif out and line and not out[-1]["text"]:
            out[-1]["text"] = line
    return out


def _stages_ordos(text: str) -> list[tuple[int, int, str]]:
    """实施步骤: each stage with the years it spans (2021年7月-2023年7月 → 2021, 2023)."""
    out = []
    for m in re.finditer(r"（[一二三]）(\S+?)（(\d{4})年\d+月-(\d{4})年\d+月）", text):
        out.append((int(m.group(2)), int(m.group(3)), m.group(1)))
    return out


def _indicator(program, key, name, unit, baseline, targets, kind="yearly"):
    ind = program.indicator(key)
    return {"key": key, "name": name or (ind.name if ind else ""), "kind": kind, "unit": unit,
            "baseline": baseline, "targets": targets, "note": ""}


CITIES = {"002": ("扬州市", _measures_yangzhou), "003": ("鄂尔多斯市", _measures_ordos),
          "004": ("天津市", _measures_tianjin)}


def plan_draft(number: str, *, upgraded: bool = True) -> Draft:
    """Seed `number` as a draft of key_city_2021: format 1 as an officer would have typed it
    (rows naming measures by title), then upgraded to format 2 unless `upgraded` is False."""
    program = get_program("key_city_2021")
    city, parse = CITIES[number]
    text = seed_text(number)
    draft = new_draft(program, organization=f"{city}人民政府", city=city, year=2021)
    data = draft.data
    measures = parse(text)
    assert measures, f"no measures found in seed {number}"
    data["parts"]["measures"]["tasks"] = [
        {"task": guide_task(m["title"]), "title": m["title"], "text": m["text"] or m["title"],
         "lead": m["lead"] or "市市场监管局（知识产权局）", "partners": [], "projects": m["projects"]}
        for m in measures]
    years = draft.plan_years
    rows = []
    stages = _stages_ordos(text) if number == "003" else []
    for m in measures:
        for y in years:
            rows.append({"year": y, "task": m["title"], "progress": f"推进{m['title']}",
                         "lead": m["lead"] or "市市场监管局（知识产权局）", "partners": []})
    data["parts"]["schedule"]["rows"] = rows
    if stages:  # the plan's own stages, over the years they span (format 2 only: year_end)
        data["parts"]["schedule"]["stages"] = stages
    ind = []
    if number == "002":  # 到2025年 … 技术合同成交额达50亿元，质押融资金额达80亿元，… 比重达20%
        # only the end year is stated: the other years say why they are empty
        ind = [_indicator(program, "conversion_amount", "涉及专利的技术合同成交额", "亿元", "未统计", ["不适用", "不适用", 50]),
               _indicator(program, "pledge_amount", "知识产权质押融资金额", "亿元", "未统计", ["不适用", "不适用", 80]),
               _indicator(program, None, "专利密集型产业增加值占GDP的比重", "%", "未统计", ["不适用", "不适用", 20]),
               _indicator(program, None, "累计培训技术转移专业人才", "名", 0, [None, None, 100], "total")]
    elif number == "003":  # 年均增幅20%以上；质押融资金额与数量年均增幅 20%
        ind = [_indicator(program, "sme_licensees", "接受专利转让许可的中小微企业数量", "%", 35, [20, 20, 20], "growth"),
               _indicator(program, "pledge_amount", "中小微企业专利质押融资金额", "%", 3.2, [20, 20, 20], "growth"),
               _indicator(program, "pledge_projects", "中小微企业专利质押融资数量", "%", 40, [20, 20, 20], "growth")]
    elif number == "004":  # 质押融资金额年均增幅达到20%，项目数量年均增幅达到20%以上
        ind = [_indicator(program, "pledge_amount", "专利质押融资金额", "%", 60, [20, 20, 20], "growth"),
               _indicator(program, "pledge_projects", "专利质押融资项目数量", "%", 300, [21, 22, 25], "growth")]
    data["parts"]["targets"]["indicators"] = ind
    data["format_version"] = 1
    for m in data["parts"]["measures"]["tasks"]:
        m.pop("id", None)  # format 1 had no measure ids
    for part in data["parts"].values():
        for i in part.get("indicators", []):
            if i.get("kind") == "yearly":
                i.pop("kind")
    stages = data["parts"]["schedule"].pop("stages", None)
    if not upgraded:
        return Draft(data)
    upgrade(data)
    for start, end, name in stages or ():
        data["parts"]["schedule"]["rows"].append(
            {"year": start, "year_end": min(end, years[-1]), "measure": None, "task": name,
             "progress": name, "lead": "市市场监管局（知识产权局）", "partners": []})
    return Draft(data)
