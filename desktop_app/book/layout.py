"""Layout settings for the printed book: GB/T 9704-2012 figures plus what local rules vary.

All lengths are in twips (1/20 pt) unless the name says otherwise; FORMAT.md in
shared/ explains each number.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

MM = 56.6929  # twips per millimetre
CJK_CHAR = 320  # one CJK character at 3号 (16 pt) in twips


def mm(value: float) -> int:
    return round(value * MM)


@dataclass(frozen=True)
class Fonts:
    """Font names per role; the Windows names the standard uses, replaceable by settings."""

    title: str = "方正小标宋简体"
    body: str = "仿宋_GB2312"
    kai: str = "楷体_GB2312"
    hei: str = "黑体"
    song: str = "宋体"
    latin: str = "Times New Roman"


@dataclass(frozen=True)
class Layout:
    """One book's layout. Defaults are GB/T 9704-2012."""

    fonts: Fonts = Fonts()
    bold_rank3: bool = False  # many local rules print 1. headings bold
    mirror_margins: bool = False  # binding edge alternates for duplex printing
    page_width: int = 11906  # A4 210 mm
    page_height: int = 16838  # A4 297 mm
    margin_top: int = mm(37)
    margin_bottom: int = mm(35)
    margin_left: int = mm(28)  # binding side
    margin_right: int = mm(26)
    footer_distance: int = mm(25.5)  # puts "— N —" about 7 mm below the type area
    header_distance: int = mm(15)
    line_pitch: int = 579  # 22 lines in the 225 mm type area
    body_size_pt: float = 16  # 3号
    title_size_pt: float = 22  # 2号
    page_number_size_pt: float = 14  # 4号
    table_size_pt: float = 12  # 小四 keeps an 8-column indicator table legible
    char_spacing: int = -5  # twentieths of a point: 28 characters per 156 mm line

    @property
    def text_width(self) -> int:
        return self.page_width - self.margin_left - self.margin_right


#: What local rules vary, as the settings dialog offers them: key → (label, choices).
#: Stored as JSON in the draft store's settings; unknown or missing keys fall back
#: to GB/T 9704 defaults, so an old settings file never breaks an export.
SETTING_CHOICES: dict[str, tuple[str, tuple]] = {
    "font_body": ("正文字体", ("仿宋_GB2312", "仿宋")),
    "font_kai": ("二级标题字体", ("楷体_GB2312", "楷体")),
    "font_hei": ("一级标题字体", ("黑体",)),
    "font_title": ("标题字体", ("方正小标宋简体", "小标宋体", "华文中宋", "宋体")),
    "bold_rank3": ("三级标题（1.）加粗", (False, True)),
    "mirror_margins": ("双面打印对称页边距", (False, True)),
}


def layout_from_settings(settings: dict | None) -> Layout:
    """A Layout from saved settings; anything not offered by SETTING_CHOICES is ignored."""
    settings = settings or {}

    def pick(key):
        value = settings.get(key)
        return value if value in SETTING_CHOICES[key][1] else SETTING_CHOICES[key][1][0]

    fonts = Fonts(title=pick("font_title"), body=pick("font_body"), kai=pick("font_kai"), hei=pick("font_hei"))
    return Layout(fonts=fonts, bold_rank3=pick("bold_rank3"), mirror_margins=pick("mirror_margins"))


# measuring text for table columns ------------------------------------------------------------
#: Cell margins left + right (Word's and LibreOffice's default 108 twips each) and a little slack
#: for fonts whose digits are wider than half an em.
CELL_PAD = 2 * 108 + 40
#: A cell text this wide or narrower (in em) is one word: 序号, 万元, 2021年, 亿元 never break.
SHORT_EM = 4


def text_twips(text: str, size_pt: float) -> int:
    """Printed width of one line of `text` at `size_pt`: CJK characters and CJK punctuation
    (including —, “”) full width, ASCII and Latin letters half, and a quarter em where a
    letter or digit meets a CJK character (Word's and LibreOffice's automatic spacing
    between Asian text and alphanumerics: "2021 年")."""
    full = round(size_pt * 20)
    width = sum(full // 2 if ord(ch) < 0x2000 else full for ch in text)
    return width + full // 4 * len(_AUTOSPACE.findall(text))


_AUTOSPACE = re.compile(r"(?<=[A-Za-z0-9])(?=[\u2e80-\u9fff\uff00-\uffef])|(?<=[\u2e80-\u9fff\uff00-\uffef])(?=[A-Za-z0-9])")
_BREAKABLE = re.compile(r"[A-Za-z0-9.,%+\-~/:]+|.", re.S)


def atoms(text: str) -> list[str]:
    """The pieces of a cell text no line break may split: the whole text when it is short,
    else each Latin or number run (20%, 2021, 18.6) and each CJK character."""
    lines = [ln for ln in str(text).split("\n") if ln]
    out: list[str] = []
    for line in lines:
        if sum(1 if ord(ch) >= 0x2000 else 0.5 for ch in line) <= SHORT_EM:
            out.append(line)
        else:
            out.extend(_BREAKABLE.findall(line))
    return out


def _bracket_parts(text: str) -> list[str]:
    return [part for line in str(text).split("\n") for part in re.split(r"(?=（)", line) if part]


def header_atoms(text: str) -> list[str]:
    """The words of a column header, never split: it breaks only before a bracket (基期值 /
    （2020年）) and between the two words of a four-character heading (指南 / 要求)."""
    out: list[str] = []
    for part in _bracket_parts(text):
        if len(part) == 4 and all(ord(ch) >= 0x2E80 for ch in part):
            out += [part[:2], part[2:]]
        else:
            out.append(part)
    return out


_UNIT = re.compile(r"[（《“‘(]*(?:[A-Za-z0-9.%+\-]+|.)[）》”’)，。、；：！？,;:]*", re.S)


def wrap_breaks(text: str, room: int, size_pt: float) -> list[int]:
    """Where a line breaker fills lines `room` twips wide with `text`: offsets of the breaks.
    Breaks fall between CJK characters or Latin words, never after an opening bracket nor
    before closing punctuation (what LibreOffice and Word do for Chinese)."""
    breaks, line, at = [], "", 0
    for unit in _UNIT.findall(text):
        if line and text_twips(line + unit, size_pt) > room:
            breaks.append(at)
            line = ""
        line += unit
        at += len(unit)
    return breaks


@functools.lru_cache(maxsize=4096)
def wraps_cleanly(header: str, width: int, size_pt: float) -> bool:
    """Whether `header` in a column `width` twips wide breaks only between its words."""
    if text_twips(header, size_pt) <= width - CELL_PAD:
        return True
    allowed, at = set(), 0
    for word in header_atoms(header):
        at += len(word)
        allowed.add(at)
    return set(wrap_breaks(header.replace("\n", ""), width - CELL_PAD, size_pt)) <= allowed


def name_atoms(text: str, limit_em: int = 6) -> list[str]:
    """Department names (市科技局、市财政局): each name of up to `limit_em` characters whole, a
    longer one split before its bracket (市市场监管局 / （知识产权局）), a longer part still
    left to wrap (市地方金融监管局), so two department columns leave 进度安排 room."""
    out: list[str] = []
    for name in re.split(r"[、，,；;\s]+", str(text)):
        for part in _bracket_parts(name):
            out.extend([part] if len(part) <= limit_em else atoms(part))
    return out


def fit_widths(columns: list[tuple[list[str], list[str]]], total: int, size_pt: float,
               headers: list[str] | None = None) -> list[int]:
    """Column widths (twips, summing to `total`) from content. `columns` holds, per column,
    the pieces no line break may split (`atoms`: header words, numbers, names) and the cell
    texts, one per row. Each column starts at its widest piece; the rest of the width goes,
    a little at a time, to the column whose widening most lowers the table (the sum over
    rows of the row's tallest cell, in lines) — never to a width at which its header
    (`headers`) would break inside a word (指南要 / 求). If even the pieces do not fit, they
    are scaled down together."""
    mins = [max((text_twips(p, size_pt) for p in pieces), default=0) + CELL_PAD for pieces, _ in columns]
    if sum(mins) >= total:
        widths = [m * total // sum(mins) for m in mins]
        widths[-1] += total - sum(widths)
        return widths
    heads = list(headers or [""] * len(columns))
    # each cell as its lines' widths, so a cell's height at any width is cheap to compute
    cells = [[[text_twips(ln, size_pt) for ln in str(t).split("\n")] for t in texts] for _, texts in columns]
    n_rows = max((len(c) for c in cells), default=0)

    def heights(col: int, width: int) -> list[float]:
        room = max(1, width - CELL_PAD)
        out = [sum(max(1.0, w / room) for w in lines) for lines in cells[col]]
        return out + [1.0] * (n_rows - len(out))

    def clean_from(col: int, width: int, limit: int) -> int | None:
        """The narrowest width ≥ `width` (and ≤ `limit`) at which the header breaks cleanly."""
        while width <= limit:
            if wraps_cleanly(heads[col], width, size_pt):
                return width
            width += 20
        return None

    widths = list(mins)
    per_col = [heights(c, w) for c, w in enumerate(widths)]
    spare = total - sum(widths)
    step = max(60, spare // 24)
    while spare > 0:
        # per row: the tallest cell, which column holds it, and the next tallest
        top = []
        for col_h in zip(*per_col):
            high = max(col_h)
            first = col_h.index(high)
            second = max(col_h[:first] + col_h[first + 1:], default=0.0)
            top.append((first, high, second))
        now = sum(high for _, high, _ in top)
        best = None
        for c in range(len(widths)):
            target = clean_from(c, widths[c] + min(step, spare), widths[c] + spare)
            if target is None:
                continue
            trial = heights(c, target)
            cost = sum(max(second if first == c else high, t) for (first, high, second), t in zip(top, trial))
            gain = (now - cost) / (target - widths[c])
            if best is None or gain > best[0] + 1e-12:
                best = (gain, c, target, trial)
        if best is None:
            break
        _, c, target, trial = best
        spare -= target - widths[c]
        widths[c], per_col[c] = target, trial
    # what is left (less than a clean step) goes to a column whose header stays whole
    for c in sorted(range(len(widths)), key=lambda k: -sum(per_col[k])):
        if wraps_cleanly(heads[c], widths[c] + spare, size_pt):
            widths[c] += spare
            break
    else:
        widths[-1] += spare
    return widths
