"""The one-file draft format (.json): read with full validation, write atomically.

A file that fails validation is refused whole with every problem listed in
Chinese, naming the field by its label ("方案各部分 › 建设目标 › 绩效目标指标 第2行 › 基期值").
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop_app import paths
from desktop_app.core.dates import parse_iso
from desktop_app.core.draft import FORMAT_NAME, FORMAT_VERSION, Draft

if TYPE_CHECKING:
    import jsonschema

#: Refuse files larger than this before parsing: a real draft is well under 1 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024


class DraftFormatError(ValueError):
    """A draft file is not acceptable; `problems` lists each reason in Chinese."""

    def __init__(self, problems: list[str], source: str = ""):
        self.problems = problems
        self.source = source
        head = f"草稿文件 {source} 无法导入" if source else "草稿文件无法导入"
        super().__init__(head + "：\n" + "\n".join(f"· {p}" for p in problems))


@lru_cache(maxsize=1)
def draft_schema() -> dict[str, Any]:
    """The draft schema, with the limits of core.limits (the one limit table) applied."""
    from desktop_app.core.limits import apply_to_schema

    return apply_to_schema(json.loads(paths.resource("schema", "draft.schema.json").read_text(encoding="utf-8")))


_TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "是/否",
    "object": "一组字段", "array": "列表", "null": "空",
}


def field_label(path: list[str | int] | tuple[str | int, ...]) -> str:
    """A readable field path: titles from the schema where known, row numbers 1-based.

    ["parts", "targets", "indicators", 1, "baseline"] → 方案各部分 › 建设目标（targets）› … 第2行 › 基期值（baseline）
    """
    schema = draft_schema()
    labels: list[str] = []
    node: Any = schema
    for step in path:
        if isinstance(step, int):
            labels.append(f"第{step + 1}行")
            node = node.get("items", {}) if isinstance(node, dict) else {}
        else:
            props = node.get("properties", {}) if isinstance(node, dict) else {}
            if step in props:
                node = props[step]
            elif isinstance(node, dict) and isinstance(node.get("additionalProperties"), dict):
                node = node["additionalProperties"]
            else:
                node = {}
            if isinstance(node, dict) and "$ref" in node:
                node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]] | {
                    k: v for k, v in node.items() if k != "$ref"
                }
            title = node.get("title") if isinstance(node, dict) else None
            labels.append(f"{title}（{step}）" if title else str(step))
    return " › ".join(labels) or "文件整体"


def _field_label(error: jsonschema.ValidationError) -> str:
    return field_label(list(error.absolute_path))


def _describe(error: jsonschema.ValidationError) -> str:
    where = _field_label(error)
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"{where}：缺少必填字段“{missing}”，请补上"
    if v == "type":
        want: Any = error.validator_value
        wants = [want] if isinstance(want, str) else list(want)
        names = "或".join(_TYPE_NAMES.get(w, w) for w in wants)
        return f"{where}：应为{names}，现在是 {json.dumps(error.instance, ensure_ascii=False)[:40]}"
    if v == "additionalProperties":
        schema: Any = error.schema
        instance: Any = error.instance
        known = set(schema.get("properties", {}))
        extra = "、".join(f"“{k}”" for k in instance if k not in known)
        return f"{where}：有本程序不认识的字段 {extra}，请删除或检查拼写"
    if v in ("minimum", "maximum"):
        return f"{where}：数值 {error.instance} 超出允许范围"
    if v == "pattern":
        return f"{where}：格式不对（{error.instance!r}），日期请写成 2021-03-01"
    if v == "const":
        return f"{where}：应为 {error.validator_value!r}，这不是本程序的草稿文件"
    instance = error.instance
    if v == "maxLength":
        return f"{where}：内容过长（{len(instance)} 字，最多 {error.validator_value} 字），请精简"
    if v == "maxItems":
        return f"{where}：行数过多（{len(instance)} 行，最多 {error.validator_value} 行），请合并或精简"
    if v == "anyOf" and error.schema == draft_schema()["$defs"]["number"]:
        number_schema: Any = error.schema
        reasons = "、".join(f"“{r}”" for r in number_schema["anyOf"][1]["enum"])
        return (f"{where}：应为数字、空或{reasons}，"
                f"现在是 {json.dumps(error.instance, ensure_ascii=False)[:40]}")
    return f"{where}：{error.message}"


def validate_document(data: Any) -> list[str]:
    """Every problem with a draft document, in Chinese; empty when it is acceptable."""
    if not isinstance(data, dict):
        return ["文件内容不是本程序的草稿，请选择由“导出草稿文件”保存的文件"]
    if data.get("format") == FORMAT_NAME and isinstance(data.get("format_version"), int):
        if data["format_version"] > FORMAT_VERSION:
            return [f"这份草稿由更新版本的“专利转化申报助手”保存（草稿第 {data['format_version']} 版，"
                    f"本程序只能读到第 {FORMAT_VERSION} 版），请先升级程序"]
    import jsonschema  # here, not at the top: about 35 ms that only a file import needs

    validator = jsonschema.Draft202012Validator(draft_schema())
    problems = [_describe(e) for e in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))]
    if not problems:
        start, end = data["period"]["start"], data["period"]["end"]
        if end < start:
            problems.append(f"建设期：结束年 {end} 早于起始年 {start}")
        elif end - start >= 10:
            problems.append(f"建设期：{start}—{end}年超过10年，请检查起止年份")
        if not data["applicant"]["city"].strip():
            problems.append("申报单位信息 › 所在城市：不能为空")
        date = (data.get("letter") or {}).get("date", "")
        if date and parse_iso(date) is None:
            problems.append(f"信用承诺书 › 落款日期：{date} 不是实际存在的日期，请改正（如 2021-03-01）")
    return problems


def draft_from_json_text(text: str, source: str = "") -> Draft:
    """Parse and validate; raise DraftFormatError listing every problem."""
    def refuse_constant(name):
        raise ValueError(f"文件中有非数字的数值 {name}，请改为实际数字或留空")

    def bounded_int(literal):
        # Python refuses (in English) to convert more than 4300 digits; no figure has 30.
        if len(literal.lstrip("-")) > 30:
            raise ValueError(f"文件中有位数过多的数值（{len(literal)} 位），请改为实际数字")
        return int(literal)

    def finite_float(literal):
        value = float(literal)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"文件中的数值 {literal} 超出范围，请改为实际数字")
        return value

    try:
        data = json.loads(text, parse_constant=refuse_constant, parse_float=finite_float, parse_int=bounded_int)
    except json.JSONDecodeError as exc:
        raise DraftFormatError([f"文件已损坏或不完整，不是可用的草稿文件（第{exc.lineno}行第{exc.colno}列处有误）。"
                                "请重新导出一次，或向发来文件的同事要一份完整的"], source) from exc
    except ValueError as exc:  # raised by the two hooks above
        raise DraftFormatError([str(exc)], source) from exc
    except RecursionError as exc:
        raise DraftFormatError(["嵌套层次过深，不是本程序的草稿文件"], source) from exc
    from desktop_app.core.draft_format import upgrade

    data = upgrade(data)  # a format-1 file is read as format 2 (measure links, indicator kinds)
    try:
        problems = validate_document(data)
    except RecursionError as exc:  # parsed, yet too deep for the validator
        raise DraftFormatError(["嵌套层次过深，不是本程序的草稿文件"], source) from exc
    if problems:
        raise DraftFormatError(problems, source)
    return Draft(data)


def _size_text(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def read_draft_file(path: str | os.PathLike) -> Draft:
    """Read a .json draft file; a clear DraftFormatError for anything unacceptable."""
    path = Path(path)

    def too_big(size: str) -> DraftFormatError:
        return DraftFormatError([f"文件过大（{size}，上限 {_size_text(MAX_FILE_BYTES)}），不是本程序的草稿文件"
                                 "（草稿文件一般小于 1 MB），请检查选择的文件"], str(path))

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # A pipe or a device would block the read (or never end): only plain files.
            what = "文件夹" if stat.S_ISDIR(info.st_mode) else "管道或设备文件"
            raise DraftFormatError([f"这是一个{what}，不是草稿文件，请选择 .json 文件"], str(path))
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise too_big(_size_text(size))
        # Read at most one byte past the limit: a device or a file still growing
        # (whose size stat cannot tell) is refused without being read whole.
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise too_big(f"超过 {_size_text(MAX_FILE_BYTES)}")
    except IsADirectoryError as exc:
        raise DraftFormatError(["这是一个文件夹，不是草稿文件，请选择 .json 文件"], str(path)) from exc
    except FileNotFoundError as exc:
        raise DraftFormatError(["文件不存在，请检查路径"], str(path)) from exc
    except OSError as exc:
        raise DraftFormatError([f"无法读取文件：{exc.strerror or exc}"], str(path)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DraftFormatError(["文件里的文字本程序读不出，它不是“导出草稿文件”保存的草稿（可能是 Word、Excel "
                                "或其他程序的文件）"], str(path)) from exc
    return draft_from_json_text(text, str(path))


def draft_to_json_text(draft: Draft) -> str:
    return json.dumps(draft.data, ensure_ascii=False, indent=2)


def atomic_write_bytes(path: str | os.PathLike, payload: bytes) -> None:
    """Write beside the target, then replace it: a failure leaves the old file intact."""
    path = Path(path)
    # A short temporary name: a target whose name is already near the file system's
    # 255-byte limit must still be writable (".<name>.XXXXXXXX.tmp" added 14 bytes).
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes owner-only files; a book is an ordinary document, so keep
        # the replaced file's mode, or give the umask's usual one.
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_draft_file(draft: Draft, path: str | os.PathLike) -> None:
    """Save a draft as a .json file (validated first, so we never write a file we would refuse)."""
    problems = validate_document(draft.data)
    if problems:
        raise DraftFormatError(problems, str(path))
    atomic_write_bytes(path, draft_to_json_text(draft).encode("utf-8"))
