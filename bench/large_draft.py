"""A large draft for the benchmark, made deterministically from the bundled sample.

The sample (扬州 2021) prints as a 36-page book. The large draft is what a busy
city hands in: 66 pages in LibreOffice 7.4 (cover, 目录 and the blank pages before
each part's odd-page start included). Every part has long prose — the sample's
own sentences recombined, so the text reads like a real plan, with its numbers,
《》 titles and long department names; the intros the sample keeps to one line
(problems, measures, schedule) get several paragraphs — plus 5 problems, 30
indicators (the guide's 7 and 23 broken down by industry, each with its 说明),
20 专栏 of key projects spread over the seven measures, and 100 rows of 进度安排.

Nothing here is random in the usual sense: one seeded generator, so every run,
on every machine, builds the same draft (make_large_draft() == make_large_draft()).
"""
from __future__ import annotations

import copy
import random
import re
from pathlib import Path

from desktop_app.core.draft import Draft

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "yangzhou_2021_sample.json"

LARGE_ID = "bench-large-draft"
SEED = 20210301

#: Target sizes (see the module docstring).
SCHEDULE_ROWS = 100
INDICATORS = 30
PANELS = 20
PROBLEMS = 5
#: Characters of prose per part (at least; the sample's text is kept and added to).
PROSE_CHARS = {
    "overview": 1150, "foundation": 1150, "problems": 300, "approach": 800, "targets": 750,
    "measures": 300, "safeguards": 900, "schedule": 250,
}
TASK_CHARS = 480

#: Industries and places the sample names; indicators and projects are broken down by them.
_INDUSTRIES = ("汽车及零部件", "高端装备", "新型电力装备", "功率半导体", "新型医疗器械", "生物医药",
               "新材料", "软件和信息服务", "食品", "船舶海工")
_PLACES = ("宝应县", "高邮市", "仪征市", "江都区", "邗江区", "广陵区", "扬州经济技术开发区", "扬州高新区",
           "生态科技新城", "蜀冈—瘦西湖风景名胜区")
_HEAD_RE = re.compile(r"^(（[一二三四五六七八九十]+）|[0-9]+\.|[一二三四五六七八九十]+、)")


def load_sample() -> Draft:
    from desktop_app.core.exchange import read_draft_file

    return read_draft_file(SAMPLE)


def _sentences(text: str) -> list[str]:
    """Whole sentences (ending 。！？) of the prose lines; short heading lines are left out."""
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or (_HEAD_RE.match(line) and len(line) <= 30 and not line.endswith("。")):
            continue
        line = _HEAD_RE.sub("", line) if len(line) > 30 else line
        for s in re.findall(r"[^。！？]+[。！？]", line):
            s = s.strip()
            if len(s) >= 12:
                found.append(s)
    return found


class _Writer:
    """Recombines sentences: paragraphs of 2–5 sentences, own part's sentences first."""

    def __init__(self, pool: list[str], rng: random.Random):
        self.pool = pool
        self.rng = rng

    def paragraph(self, own: list[str]) -> str:
        n = self.rng.randint(2, 5)
        picks = []
        for _ in range(n):
            source = own if own and self.rng.random() < 0.7 else self.pool
            picks.append(self.rng.choice(source))
        return "".join(dict.fromkeys(picks))  # no sentence twice in one paragraph

    def grow(self, text: str, target_chars: int, own: list[str]) -> str:
        """The original text, then recombined paragraphs until it is target_chars long."""
        lines = [text.rstrip()] if text.strip() else []
        while sum(len(x) for x in lines) < target_chars:
            lines.append(self.paragraph(own))
        return "\n".join(lines)


def make_large_draft(sample: Draft | None = None) -> Draft:
    """The benchmark's large draft (id LARGE_ID), valid against the draft schema."""
    sample = sample or load_sample()
    rng = random.Random(SEED)
    data = copy.deepcopy(sample.data)
    data.update(id=LARGE_ID, is_sample=False, parent_id=None)
    data["applicant"] = dict(data["applicant"], contact="李华")
    parts = data["parts"]
    tasks = parts["measures"]["tasks"]

    own: dict[str, list[str]] = {k: _sentences(p.get("text", "")) for k, p in parts.items()}
    own["problems"] += [s for i in parts["problems"]["items"] for s in _sentences(i["problem"] + i["countermeasure"])]
    task_own = {t["task"]: _sentences(t["text"]) for t in tasks}
    pool = sorted({s for sents in [*own.values(), *task_own.values()] for s in sents})
    w = _Writer(pool, rng)

    for key, chars in PROSE_CHARS.items():
        parts[key]["text"] = w.grow(parts[key].get("text", ""), chars, own.get(key, []))

    # 面临问题及对策: the sample's four, then four more made of its sentences.
    items = parts["problems"]["items"]
    base_problems = list(items)
    while len(items) < PROBLEMS:
        src = base_problems[len(items) % len(base_problems)]
        items.append({
            "problem": w.paragraph(_sentences(src["problem"]) + own["problems"]),
            "countermeasure": w.paragraph(_sentences(src["countermeasure"]) + own["problems"]),
        })

    # 绩效目标指标: the guide's seven, then each broken down by an industry.
    indicators = parts["targets"]["indicators"]
    base_ind = list(indicators)
    n = 0
    while len(indicators) < INDICATORS:
        src = base_ind[n % len(base_ind)]
        industry = _INDUSTRIES[n % len(_INDUSTRIES)]
        factor = rng.uniform(0.08, 0.22)

        def part_of(value, f=factor, src=src):
            if value is None:
                return None
            v = value * f
            return round(v, 1) if isinstance(src["baseline"], float) else max(1, round(v))

        indicators.append({
            "key": None,
            "name": f"其中：{industry}产业{src['name']}",
            "unit": src["unit"],
            "baseline": part_of(src["baseline"]),
            "targets": [part_of(t) for t in src["targets"]],
            "note": f"{industry}产业口径：{src['note']}",
        })
        n += 1

    # 专栏: the sample's six, then recombined ones until there are PANELS, spread over the measures.
    all_items = [i for t in tasks for p in t["projects"] for i in p["items"]]
    for t in tasks:
        t["text"] = w.grow(t["text"], TASK_CHARS, task_own[t["task"]])
    count = sum(len(t["projects"]) for t in tasks)
    k = 0
    while count < PANELS:
        t = tasks[k % len(tasks)]
        place = _PLACES[k % len(_PLACES)]
        picks = rng.sample(all_items, rng.randint(3, 4))
        t["projects"].append({
            "title": f"专栏：{place}{t['title'].replace('实施', '').strip('“”')}重点项目",
            "items": [f"{place}{item}" if not item.startswith(place) else item for item in picks],
        })
        count += 1
        k += 1

    # 进度安排: 100 rows over the three years, the sample's rows varied by place.
    rows = parts["schedule"]["rows"]
    base_rows = list(rows)
    years = list(range(data["period"]["start"], data["period"]["end"] + 1))
    k = 0
    while len(rows) < SCHEDULE_ROWS:
        src = base_rows[k % len(base_rows)]
        place = _PLACES[k % len(_PLACES)]
        rows.append({
            "year": years[k % len(years)],
            "task": src["task"],
            "progress": f"指导{place}{src['progress']}",
            "lead": src["lead"],
            "partners": list(src["partners"]),
        })
        k += 1
    return Draft(data)


def main() -> None:
    """python -m bench.large_draft OUT.json — write the large draft as a draft file."""
    import sys

    from desktop_app.core.exchange import write_draft_file

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "large_draft.json")
    write_draft_file(make_large_draft(), out)
    print(out)


if __name__ == "__main__":
    main()
