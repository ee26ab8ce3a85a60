"""Program: one provincial guide (申报指南) as data, loaded from templates/<id>/.

The wizard's pages, the checks and the book's outline all come from here, so a
new year's guide is a new folder, not new code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

from desktop_app import paths

#: Part kinds the program knows how to edit and print.
PART_KINDS = ("group", "prose", "problems", "targets", "measures", "schedule")


class ProgramError(ValueError):
    """A program folder is malformed; the message names the file and field."""


@dataclass(frozen=True)
class Threshold:
    """What the guide demands of an indicator: kind growth|total|none."""

    kind: str = "none"
    op: str = ">="
    value: float | None = None
    text: str = ""


@dataclass(frozen=True)
class Indicator:
    """绩效目标 row the 建设目标 table starts with."""

    key: str
    name: str
    unit: str
    threshold: Threshold


@dataclass(frozen=True)
class Task:
    """项目任务: one task of the guide that 建设举措 must answer."""

    id: str
    title: str
    guide: str


@dataclass(frozen=True)
class Condition:
    """申报条件: one condition the applicant must meet."""

    id: str
    text: str


@dataclass(frozen=True)
class OutlineNode:
    """One heading of the 建设方案 outline, printed exactly as `heading`."""

    id: str
    heading: str
    kind: str = "group"
    required: bool = False
    prompt: str = ""
    length: tuple[int, int] | None = None
    children: tuple["OutlineNode", ...] = ()

    @property
    def title(self) -> str:
        """The heading without its number: 1.概述 → 概述."""
        from desktop_app.core.numbering import strip_number

        return strip_number(self.heading)


@dataclass(frozen=True)
class Letter:
    """信用承诺书: fixed paragraphs (jinja2 strings), signer, seal mark, date."""

    title: str
    paragraphs: tuple[str, ...]
    signer: str
    seal: str
    default_date: str


@dataclass(frozen=True)
class Program:
    """A whole guide: applicant kind, conditions, tasks, indicators, outline, letter, book text."""

    id: str
    name: str
    short_name: str
    guide_title: str
    year: int
    period_years: int
    applicant: dict[str, str]
    conditions: tuple[Condition, ...]
    tasks: tuple[Task, ...]
    indicators: tuple[Indicator, ...]
    qualitative_targets: tuple[str, ...]
    outline: tuple[OutlineNode, ...]
    letter: Letter
    book: dict[str, Any]
    folder: Path | None = field(default=None, compare=False)

    def walk(self) -> Iterator[OutlineNode]:
        """Every outline node, depth first, in printed order."""

        def _walk(nodes):
            for node in nodes:
                yield node
                yield from _walk(node.children)

        return _walk(self.outline)

    def parts(self) -> list[OutlineNode]:
        """The nodes that hold content (everything but pure groups)."""
        return [n for n in self.walk() if n.kind != "group"]

    def node(self, node_id: str) -> OutlineNode:
        for n in self.walk():
            if n.id == node_id:
                return n
        raise KeyError(node_id)

    def task(self, task_id: str) -> Task | None:
        return next((t for t in self.tasks if t.id == task_id), None)

    def indicator(self, key: str | None) -> Indicator | None:
        return next((i for i in self.indicators if i.key == key), None) if key else None

    def part_of_kind(self, kind: str) -> OutlineNode | None:
        return next((n for n in self.walk() if n.kind == kind), None)


def _require(data: dict, key: str, where: str):
    if key not in data or data[key] in (None, ""):
        raise ProgramError(f"{where} 缺少字段“{key}”")
    return data[key]


def _threshold(raw: dict, where: str) -> Threshold:
    known = set(Threshold.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise ProgramError(f"{where} 的 threshold 有未知字段：{'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(known))}）")
    return Threshold(**raw)


def _node(raw: dict, where: str) -> OutlineNode:
    node_id = _require(raw, "id", where)
    kind = raw.get("kind", "group" if raw.get("children") else "prose")
    if kind not in PART_KINDS:
        raise ProgramError(f"{where} 的部分“{node_id}”类型“{kind}”未知，可用：{'、'.join(PART_KINDS)}")
    length = raw.get("length")
    return OutlineNode(
        id=node_id,
        heading=_require(raw, "heading", where),
        kind=kind,
        required=bool(raw.get("required", False)),
        prompt=str(raw.get("prompt", "")).strip(),
        length=(int(length[0]), int(length[1])) if length else None,
        children=tuple(_node(c, where) for c in raw.get("children", ())),
    )


def program_from_dict(data: dict, folder: Path | None = None) -> Program:
    """Build a Program from parsed program.yaml content, checking what the code relies on."""
    where = f"{folder.name}/program.yaml" if folder else "program.yaml"
    letter = _require(data, "letter", where)
    program = Program(
        id=_require(data, "id", where),
        name=_require(data, "name", where),
        short_name=data.get("short_name", data["name"]),
        guide_title=data.get("guide_title", data["name"]),
        year=int(_require(data, "year", where)),
        period_years=int(data.get("period_years", 3)),
        applicant=dict(data.get("applicant", {})),
        conditions=tuple(
            Condition(_require(c, "id", f"{where} 的 conditions"), _require(c, "text", f"{where} 的条件“{c.get('id')}”"))
            for c in data.get("conditions", ())
        ),
        tasks=tuple(
            Task(_require(t, "id", f"{where} 的 tasks"), _require(t, "title", f"{where} 的任务“{t.get('id')}”"),
                 # YAML folds the guide's lines with spaces; Chinese text has none.
                 " ".join(str(t.get("guide", "")).split()).replace(" ", ""))
            for t in data.get("tasks", ())
        ),
        indicators=tuple(
            Indicator(_require(i, "key", f"{where} 的 indicators"),
                      _require(i, "name", f"{where} 的指标“{i.get('key')}”"),
                      i.get("unit", ""), _threshold(i.get("threshold", {}), f"{where} 的指标“{i.get('key')}”"))
            for i in data.get("indicators", ())
        ),
        qualitative_targets=tuple(data.get("qualitative_targets", ())),
        outline=tuple(_node(n, where) for n in _require(data, "outline", where)),
        letter=Letter(
            title=letter.get("title", "信用承诺书"),
            paragraphs=tuple(letter.get("paragraphs", ())),
            signer=letter.get("signer", "{{ organization }}"),
            seal=letter.get("seal", "（公章）"),
            default_date=letter.get("default_date", "{{ year }}-03-01"),
        ),
        book=dict(data.get("book", {})),
        folder=folder,
    )
    ids = [n.id for n in program.walk()]
    if len(ids) != len(set(ids)):
        raise ProgramError(f"{where} 的提纲中有重复的部分编号")
    return program


def load_program(folder: Path) -> Program:
    """Read templates/<id>/program.yaml."""
    path = folder / "program.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ProgramError(f"找不到项目文件：{path}") from exc
    except yaml.YAMLError as exc:
        raise ProgramError(f"{path} 格式有误：{exc}") from exc
    if not isinstance(data, dict):
        raise ProgramError(f"{path} 内容不是一个项目定义")
    return program_from_dict(data, folder)


_cache: dict[tuple[Path, str], Program] = {}


def available_programs(root: Path | None = None) -> list[Program]:
    """Every program folder under templates/, newest year first."""
    root = root or paths.templates_dir()
    found = []
    for folder in sorted(p for p in root.iterdir() if (p / "program.yaml").is_file()):
        found.append(get_program(folder.name, root))
    return sorted(found, key=lambda p: (-p.year, p.id))


def get_program(program_id: str, root: Path | None = None) -> Program:
    """The program with this id, loaded once per process."""
    root = root or paths.templates_dir()
    key = (root, program_id)
    if key not in _cache:
        folder = root / program_id
        if not (folder / "program.yaml").is_file():
            raise ProgramError(f"未安装申报项目“{program_id}”（在 {root} 中找不到）")
        _cache[key] = load_program(folder)
    return _cache[key]
