"""Program: one provincial guide (申报指南) as data, loaded from templates/<id>/.

The wizard's pages, the checks and the book's outline all come from here, so a
new year's guide is a new folder, not new code.
"""
from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from desktop_app import paths

#: Part kinds the program knows how to edit and print.
PART_KINDS = ("group", "prose", "problems", "targets", "measures", "schedule")

#: What book.binding_order may list: the bound parts compose() knows how to build.
BINDING_KINDS = ("cover", "toc", "letter", "application_form", "plan", "attachments")


class ProgramError(ValueError):
    """A program folder is malformed; the message names the file and field."""


@dataclass(frozen=True)
class Threshold:
    """What the guide demands of an indicator: kind growth|total|none.

    `average` is the guide's 年均: the period's mean (total) or its compound
    yearly growth (growth) must reach `value`, not every single year.
    `alternative` names another indicator whose own threshold may be met
    instead (the guide's "100件以上或者金额超过1000万元").
    """

    kind: str = "none"
    op: str = ">="
    value: float | None = None
    text: str = ""
    average: bool = False
    alternative: str | None = None


@dataclass(frozen=True)
class Indicator:
    """绩效目标 row the 建设目标 table starts with.

    Most indicators have one requirement; a guide may set two on one figure
    (年均不少于5000万元，年均增幅不低于20%), so `thresholds` holds them all and
    `threshold` is the first, kept for the common case.
    """

    key: str
    name: str
    unit: str
    thresholds: tuple[Threshold, ...] = (Threshold(),)

    @property
    def threshold(self) -> Threshold:
        return self.thresholds[0]

    @property
    def requirement(self) -> str:
        """The guide's words for the 指南要求 column: every threshold's text."""
        return "；".join(t.text for t in self.thresholds if t.text)


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
class Choice:
    """A choice the applicant makes on the 基本信息 page (e.g. 主攻产业链), stored in
    the draft's `choices` and printed through templates as {{ choices.<id> }}.
    `editable` lets the officer type a value the guide does not list."""

    id: str
    label: str
    options: tuple[str, ...]
    required: bool = True
    editable: bool = False
    prompt: str = ""


@dataclass(frozen=True)
class OutlineNode:
    """One heading of the 建设方案 outline, printed exactly as `heading`."""

    id: str
    heading: str
    kind: str = "group"
    required: bool = False
    prompt: str = ""
    length: tuple[int, int] | None = None
    children: tuple[OutlineNode, ...] = ()

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
class Seal:
    """Where the printed book is signed or sealed: a binding part and what to do there."""

    part: str  # a BINDING_KINDS value
    text: str


@dataclass(frozen=True)
class Submission:
    """What the guide asks of the paper submission (program.yaml `submission`, optional):
    shown on the 打印装订清单. Empty fields mean the guide says nothing about them."""

    copies: int | None = None  # 一式几份
    copies_text: str = ""  # the guide's words, e.g. 一式一份
    deadline: str = ""  # YYYY-MM-DD
    deadline_text: str = ""  # what the date is for, e.g. 网上申报截止
    binding: str = ""  # e.g. 纸质封面，平装订
    seals: tuple[Seal, ...] = ()
    attachments: tuple[str, ...] = ()  # attachments the guide requires, by title
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Program:
    """A whole guide: applicant kind, conditions, tasks, indicators, outline, letter, book text.

    `letter` is None when the guide asks for no 信用承诺书: then the wizard has
    no letter page and the book no letter. `outline_note` says where the
    outline comes from when the guide prescribes none.
    """

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
    letter: Letter | None
    book: dict[str, Any]
    folder: Path | None = field(default=None, compare=False)
    choices: tuple[Choice, ...] = ()
    outline_note: str = ""
    #: Words that show the 建设目标 prose answers a qualitative target, by target text
    #: (only for targets whose program.yaml entry lists `keywords`).
    qualitative_keywords: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    default_date: str = "{{ year }}-03-01"
    submission: Submission = field(default_factory=Submission, compare=False)

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

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    @property
    def binding_order(self) -> list[str]:
        default = ["cover", "toc", "letter", "plan", "attachments"] if self.letter else \
            ["cover", "toc", "plan", "attachments"]
        return list(self.book.get("binding_order", default))


def _require(data: dict, key: str, where: str):
    if key not in data or data[key] in (None, ""):
        raise ProgramError(f"{where} 缺少字段“{key}”")
    return data[key]


def _threshold(raw: dict, where: str) -> Threshold:
    known = set(Threshold.__dataclass_fields__)
    unknown = set(raw) - known
    if unknown:
        raise ProgramError(f"{where} 的 threshold 有未知字段：{'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(known))}）")
    threshold = Threshold(**raw)
    if threshold.kind not in ("growth", "total", "none"):
        raise ProgramError(f"{where} 的 threshold 类型“{threshold.kind}”未知，可用：growth、total、none")
    if threshold.op not in (">=", ">"):
        raise ProgramError(f"{where} 的 threshold 比较符“{threshold.op}”未知，可用：>=、>")
    return threshold


def _indicator(raw: dict, where: str) -> Indicator:
    key = _require(raw, "key", f"{where} 的 indicators")
    here = f"{where} 的指标“{key}”"
    if "threshold" in raw and "thresholds" in raw:
        raise ProgramError(f"{here} 不能同时写 threshold 和 thresholds")
    listed = raw["thresholds"] if "thresholds" in raw else [raw.get("threshold", {})]
    if not listed:
        listed = [{}]
    return Indicator(key, _require(raw, "name", here), raw.get("unit", ""),
                     tuple(_threshold(t or {}, here) for t in listed))


def _choice(raw: dict, where: str) -> Choice:
    choice_id = str(_require(raw, "id", f"{where} 的 choices"))
    here = f"{where} 的选项“{choice_id}”"
    if not re.fullmatch(r"[a-z0-9_]+", choice_id):
        # The id is a key of the draft's `choices`, which the draft schema limits to these.
        raise ProgramError(f"{here} 的编号只能用小写字母、数字和下划线")
    options = tuple(str(o) for o in raw.get("options", ()))
    if not options:
        raise ProgramError(f"{here} 缺少可选项 options")
    return Choice(choice_id, _require(raw, "label", here), options, bool(raw.get("required", True)),
                  bool(raw.get("editable", False)), "".join(str(raw.get("prompt") or "").split()))


def _qualitative(raw_list, where: str) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Qualitative targets are plain strings, or {text, keywords} to say which words answer one."""
    texts, keywords = [], {}
    for raw in raw_list or ():
        if isinstance(raw, dict):
            text = str(_require(raw, "text", f"{where} 的 qualitative_targets"))
            if raw.get("keywords"):
                keywords[text] = tuple(str(k) for k in raw["keywords"])
        else:
            text = str(raw)
        texts.append(text)
    return tuple(texts), keywords


def _letter(raw: dict | None) -> Letter | None:
    if not raw:
        return None
    return Letter(
        title=raw.get("title", "信用承诺书"),
        paragraphs=tuple(raw.get("paragraphs", ())),
        signer=raw.get("signer", "{{ organization }}"),
        seal=raw.get("seal", "（公章）"),
        default_date=raw.get("default_date", "{{ year }}-03-01"),
    )


def _submission(raw: dict | None, where: str) -> Submission:
    if not raw:
        return Submission()
    here = f"{where} 的 submission"
    known = {"copies", "copies_text", "deadline", "deadline_text", "binding", "seals", "attachments", "notes"}
    unknown = set(raw) - known
    if unknown:
        raise ProgramError(f"{here} 有未知字段：{'、'.join(sorted(unknown))}（可用：{'、'.join(sorted(known))}）")
    copies = raw.get("copies")
    if copies is not None and (not isinstance(copies, int) or isinstance(copies, bool) or copies < 1):
        raise ProgramError(f"{here} 的 copies 应为正整数（份数）")
    deadline = str(raw.get("deadline") or "")  # YAML reads 2022-01-30 as a date: str() gives it back
    if deadline:
        from desktop_app.core.dates import parse_iso

        if parse_iso(deadline) is None:
            raise ProgramError(f"{here} 的 deadline “{deadline}”不是 YYYY-MM-DD 格式的日期")
    seals = []
    for s in raw.get("seals") or ():
        part = _require(s, "part", f"{here} 的 seals")
        if part not in BINDING_KINDS:
            raise ProgramError(f"{here} 的 seals 中“{part}”未知，可用：{'、'.join(BINDING_KINDS)}")
        seals.append(Seal(part, "".join(str(_require(s, "text", f"{here} 的 seals")).split())))
    return Submission(copies, str(raw.get("copies_text") or ""), deadline, str(raw.get("deadline_text") or ""),
                      "".join(str(raw.get("binding") or "").split()), tuple(seals),
                      tuple(str(a) for a in raw.get("attachments") or ()),
                      tuple("".join(str(n).split()) for n in raw.get("notes") or ()))


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


_STR, _INT, _BOOL, _DICT, _LIST = "文字", "整数", "是/否", "一组字段", "列表"
#: What each field of program.yaml must be (see _check_shape). Lists of entries name the
#: shape of each entry; "*title" fields are names and headings, within PROGRAM_TITLE_MAX_CHARS.
_SHAPE: dict[str, Any] = {
    "id": _STR, "*name": _STR, "*short_name": _STR, "*guide_title": _STR, "year": _INT, "period_years": _INT,
    "applicant": _DICT, "outline_note": _STR, "default_date": _STR, "book": _DICT, "submission": _DICT,
    "qualitative_targets": _LIST,
    "conditions": [{"id": _STR, "text": _STR}],
    "tasks": [{"id": _STR, "*title": _STR, "guide": _STR}],
    "indicators": [{"key": _STR, "*name": _STR, "unit": _STR, "threshold": _DICT, "thresholds": _LIST}],
    "choices": [{"id": _STR, "*label": _STR, "options": _LIST, "required": _BOOL, "editable": _BOOL,
                 "prompt": _STR}],
    "letter": {"*title": _STR, "paragraphs": _LIST, "signer": _STR, "seal": _STR, "default_date": _STR},
    "outline": "outline",
}
_OUTLINE = {"id": _STR, "*heading": _STR, "kind": _STR, "required": _BOOL, "prompt": _STR, "length": _LIST,
            "children": "outline"}


def _check_shape(data: dict, where: str) -> None:
    """Every field of the shape table has its type, and names and headings fit; the
    message names the file and the field (a wrong type was a traceback before)."""
    from desktop_app.core.limits import PROGRAM_TITLE_MAX_CHARS

    def kind_of(value) -> str:
        if isinstance(value, bool):
            return _BOOL
        return {str: _STR, int: _INT, dict: _DICT, list: _LIST}.get(type(value), "")

    def check(value, shape, field: str) -> None:
        if shape == "outline":
            if not isinstance(value, list):
                raise ProgramError(f"{where} 的“{field}”应为{_LIST}")
            for n, entry in enumerate(value, 1):
                check(entry, _OUTLINE, f"{field} 第{n}项")
            return
        if isinstance(shape, list):
            if not isinstance(value, list):
                raise ProgramError(f"{where} 的“{field}”应为{_LIST}")
            for n, entry in enumerate(value, 1):
                check(entry, shape[0], f"{field} 第{n}项")
            return
        if isinstance(shape, dict):
            if not isinstance(value, dict):
                raise ProgramError(f"{where} 的“{field}”应为{_DICT}")
            for key, sub in shape.items():
                name = key.lstrip("*")
                if value.get(name) is None:
                    continue
                check(value[name], sub, f"{field}.{name}" if field else name)
                if key.startswith("*") and len(str(value[name])) > PROGRAM_TITLE_MAX_CHARS:
                    raise ProgramError(f"{where} 的“{field}.{name}”过长（{len(str(value[name]))} 字，"
                                       f"上限 {PROGRAM_TITLE_MAX_CHARS} 字）" if field else
                                       f"{where} 的“{name}”过长（{len(str(value[name]))} 字，上限 {PROGRAM_TITLE_MAX_CHARS} 字）")
            return
        if shape == _STR and kind_of(value) in (_STR, _INT):
            return  # a number where text is expected is read as its digits (a year, an id)
        if kind_of(value) != shape and not (shape == _INT and kind_of(value) == _STR and value.strip().isdigit()):
            raise ProgramError(f"{where} 的“{field}”应为{shape}，现在是 {str(value)[:40]!r}")

    check(data, _SHAPE, "")


def program_from_dict(data: dict, folder: Path | None = None) -> Program:
    """Build a Program from parsed program.yaml content, checking what the code relies on."""
    where = f"{folder.name}/program.yaml" if folder else "program.yaml"
    _check_shape(data, where)
    letter = _letter(data.get("letter"))
    qualitative, keywords = _qualitative(data.get("qualitative_targets"), where)
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
        indicators=tuple(_indicator(i, where) for i in data.get("indicators", ())),
        qualitative_targets=qualitative,
        qualitative_keywords=keywords,
        outline=tuple(_node(n, where) for n in _require(data, "outline", where)),
        letter=letter,
        book=dict(data.get("book", {})),
        folder=folder,
        choices=tuple(_choice(c, where) for c in data.get("choices", ())),
        # Folded YAML lines are joined without spaces, as for the tasks.
        outline_note="".join(str(data.get("outline_note") or "").split()),
        default_date=str(data.get("default_date") or (letter.default_date if letter else "{{ year }}-03-01")),
        submission=_submission(data.get("submission"), where),
    )
    _check_program(program, where)
    return program


def _check_program(program: Program, where: str) -> None:
    """What the code relies on across fields: unique ids, a known binding order, periods that exist."""
    ids = [n.id for n in program.walk()]
    if len(ids) != len(set(ids)):
        raise ProgramError(f"{where} 的提纲中有重复的部分编号")
    if program.period_years < 1:
        raise ProgramError(f"{where} 的 period_years 应为正整数")
    choice_ids = [c.id for c in program.choices]
    if len(choice_ids) != len(set(choice_ids)):
        raise ProgramError(f"{where} 的 choices 中有重复的编号")
    for kind in program.binding_order:
        if kind not in BINDING_KINDS:
            raise ProgramError(f"{where} 的 binding_order 中“{kind}”未知，可用：{'、'.join(BINDING_KINDS)}")
    if "letter" in program.binding_order and program.letter is None:
        raise ProgramError(f"{where} 的 binding_order 含 letter，但没有定义 letter（信用承诺书）")
    keys = {i.key for i in program.indicators}
    for ind in program.indicators:
        for th in ind.thresholds:
            if th.alternative is not None and th.alternative not in keys:
                raise ProgramError(f"{where} 的指标“{ind.key}”的 alternative “{th.alternative}”不是已定义的指标")


#: A program folder is data from elsewhere: program.yaml is read only within these.
MAX_PROGRAM_BYTES = 1024 * 1024  # the real ones are 10–20 KB
#: Alias uses (*name) and the size of the document with every alias expanded (the
#: "billion laughs": nine levels of ten aliases are 10⁹ elements from 1 KB of text).
MAX_YAML_ALIASES = 200
MAX_YAML_NODES = 200_000


def _check_yaml_graph(root, where: str) -> None:
    """Count alias uses and the expanded size of a composed YAML document, iteratively
    (a deep document must not exhaust Python's stack); refuse a bomb or a cycle."""
    import yaml

    sizes: dict[int, int] = {}
    seen: set[int] = set()
    aliases = 0
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            sizes[key] = 1 + sum(sizes.get(id(c), 0) for c in children)
            if sizes[key] > MAX_YAML_NODES:
                raise ProgramError(f"{where} 展开后过大（超过 {MAX_YAML_NODES} 项，多为别名 *… 层层引用），"
                                   "不是正常的申报项目文件，程序没有使用它。")
            continue
        if key in seen:
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise ProgramError(f"{where} 中别名（*…）引用过多（超过 {MAX_YAML_ALIASES} 处），"
                                   "不是正常的申报项目文件，程序没有使用它。")
            if key not in sizes:
                raise ProgramError(f"{where} 中有引用自身的别名（*…），程序没有使用它。")
            continue
        seen.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children)


def _parse_yaml(text: str, path: Path | None = None):
    """libyaml's C parser with the same safe constructors as yaml.safe_load, about ten
    times faster; the pure-Python SafeLoader where libyaml is missing. Imported here:
    most starts read a program from the parsed copy (_cached_parse) instead.

    Composed first, then checked (alias uses, expanded size), then constructed."""
    import yaml

    where = str(path or "program.yaml")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_yaml_graph(node, where)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise ProgramError(f"{where} 格式有误：{exc}") from exc
    except RecursionError as exc:
        raise ProgramError(f"{where} 嵌套层次过深，不是正常的申报项目文件，程序没有使用它。") from exc
    finally:
        loader.dispose()


def _cache_file(raw: bytes) -> Path | None:
    try:
        folder = paths.data_dir() / "cache"
    except OSError:
        return None
    # CRC-32 and length only find the copy; the copy holds the source it was parsed
    # from, compared in full before use (hashlib's import alone was 3 ms of each start).
    return folder / f"program-{zlib.crc32(raw):08x}-{len(raw)}.json"


def _cached_parse(path: Path) -> Any:
    """The parsed program.yaml, from a JSON copy of it when one exists.

    Parsing YAML (with PyYAML's import) is about 15 ms of each start, reading JSON well
    under 1 ms. The copy keeps the exact text it was parsed from, so an edited
    program.yaml is simply parsed afresh; a copy that cannot be read or written is ignored."""
    if path.stat().st_size > MAX_PROGRAM_BYTES:
        raise ProgramError(f"{path} 过大（{path.stat().st_size // 1024} KB，上限 {MAX_PROGRAM_BYTES // 1024} KB），"
                           "不是正常的申报项目文件，程序没有使用它。")
    with path.open("rb") as fh:
        raw = fh.read(MAX_PROGRAM_BYTES + 1)
    if len(raw) > MAX_PROGRAM_BYTES:
        raise ProgramError(f"{path} 过大（上限 {MAX_PROGRAM_BYTES // 1024} KB），不是正常的申报项目文件，程序没有使用它。")
    source = raw.decode("utf-8")
    cache = _cache_file(raw)
    if cache is not None:
        try:
            copy = json.loads(cache.read_text(encoding="utf-8"))
            if copy["source"] == source:
                return copy["data"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    data = _parse_yaml(source, path)
    if cache is not None:
        try:
            text = json.dumps({"source": source, "data": data}, ensure_ascii=False)
            # Only a copy that reads back identical is kept: YAML's integer keys or
            # dates would come back from JSON as strings.
            if json.loads(text)["data"] == data:
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(f".{os.getpid()}.tmp")
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, cache)
        except (OSError, TypeError, ValueError):
            pass  # an optimisation only (TypeError: a value JSON cannot hold)
    return data


def load_program(folder: Path) -> Program:
    """Read templates/<id>/program.yaml."""
    path = folder / "program.yaml"
    try:
        data = _cached_parse(path)
    except FileNotFoundError as exc:
        raise ProgramError(f"找不到项目文件：{path}") from exc
    except UnicodeDecodeError as exc:
        raise ProgramError(f"{path} 不是 UTF-8 编码的文本，请用 UTF-8 保存后重试：{exc}") from exc
    if not isinstance(data, dict):
        raise ProgramError(f"{path} 内容不是一个项目定义")
    try:
        return program_from_dict(data, folder)
    except ProgramError:
        raise
    except (TypeError, AttributeError, ValueError, KeyError, IndexError, RecursionError) as exc:
        # _check_shape names most mistakes; this is what it did not foresee.
        raise ProgramError(f"{path} 中有字段的类型或写法不对，程序没有使用它。请对照已安装的申报项目检查该文件。") from exc


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
        if not isinstance(program_id, str) or paths.safe_file_stem(program_id) != program_id:
            # An id from a draft file or the library: never a path of its own ("../x").
            raise ProgramError(f"未安装申报项目“{program_id}”（编号不合规）")
        folder = root / program_id
        if not (folder / "program.yaml").is_file():
            raise ProgramError(f"未安装申报项目“{program_id}”（在 {root} 中找不到）")
        _cache[key] = load_program(folder)
    return _cache[key]
