"""Which paragraphs are headings, how deep, and what they say without their number.

Three kinds of evidence, strongest first:
- an outline level (Word's heading styles 标题 1…, Heading 1…, or a paragraph's own
  大纲级别) — depth = level + 1;
- a number of official-document form at the start: 第一部分/第一章 (depth 0), 一、 (1),
  （一） (2), 1. (3), （1） (4), ① (5) — on a short line without closing punctuation,
  so a run-in paragraph "（一）加强组织实施。坚持……" stays a paragraph;
- hand formatting: a short line, not centred, all bold or all 黑体/楷体 (depth 1 for 黑体,
  2 for 楷体, 3 for bold).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.wordin.reader import Para

_NUMBERS = (
    (0, re.compile(r"^第[一二三四五六七八九十百零〇\d]+[部分章篇节]\s*")),
    (1, re.compile(r"^[一二三四五六七八九十]+\s*[、.．]\s*")),
    (2, re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[）)]\s*[、.．]?\s*")),
    (3, re.compile(r"^\d{1,2}\s*[.．、](?!\d)\s*")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*")),
    (5, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*")),
)
_CLOSING = re.compile(r"[。；;：:，,！!？?]$")
_STYLE_LEVEL = re.compile(r"^(?:heading|标题|title)\s*(\d)$", re.IGNORECASE)
_HEI = ("黑体", "SimHei", "方正黑体", "微软雅黑", "Microsoft YaHei", "方正小标宋", "小标宋")
_KAI = ("楷体", "KaiTi", "楷体_GB2312", "方正楷体")
#: Longest line read as a heading from its number or its formatting alone.
MAX_NUMBERED = 40
MAX_FORMATTED = 30
MAX_STYLED = 60
#: Not headings whatever their form: attachment labels and the 附件 list.
_NOT_HEADING = re.compile(r"^(附件\s*\d*\s*$|附件[:：]|专栏)")


@dataclass
class Heading:
    """A heading paragraph: its depth (0 = 第一部分, 1 = 一、/标题 1, …), its number, its title."""

    para: Para
    depth: int
    number: str
    title: str
    how: str  # "outline" | "numbering" | "format"

    @property
    def text(self) -> str:
        return self.para.text.strip()


def split_number(text: str) -> tuple[int | None, str, str]:
    """(depth of the number form or None, the number, the rest): "（一）总体思路" → (2, "（一）", "总体思路")."""
    text = text.strip()
    for depth, pattern in _NUMBERS:
        m = pattern.match(text)
        if m and m.end() < len(text):
            return depth, text[: m.end()].strip(), text[m.end():].strip()
    return None, "", text


def clean_title(title: str) -> str:
    """A title as compared with the outline: no spaces, no closing punctuation or quotes."""
    title = re.sub(r"[\s\u3000]+", "", title)
    return title.strip("。；;：:，,！!？?“”\"")


def _style_level(para: Para) -> int | None:
    m = _STYLE_LEVEL.match(para.style.strip())
    if m and int(m.group(1)) >= 1:
        return int(m.group(1)) - 1
    return para.outline


def detect(para: Para) -> Heading | None:
    """The paragraph as a heading, or None for body text."""
    if para.toc:
        return None
    text = para.text.strip()
    if not text or "\n" in text or _NOT_HEADING.match(text):
        return None
    depth, number, title = split_number(text)
    closing = bool(_CLOSING.search(text))
    level = _style_level(para)
    if level is not None and len(text) <= MAX_STYLED and not closing:
        return Heading(para, level + 1, number, title, "outline")
    if depth is not None and len(text) <= MAX_NUMBERED and not closing:
        return Heading(para, depth, number, title, "numbering")
    if len(text) <= MAX_FORMATTED and not closing and para.align not in ("center", "right"):
        font = para.font or ""
        if any(f in font for f in _HEI):
            return Heading(para, 1 if depth is None else depth, number, title, "format")
        if any(f in font for f in _KAI) and para.bold:
            return Heading(para, 2 if depth is None else depth, number, title, "format")
        if para.bold:
            return Heading(para, 3 if depth is None else depth, number, title, "format")
    return None
