"""Layout settings for the printed book: GB/T 9704-2012 figures plus what local rules vary.

All lengths are in twips (1/20 pt) unless the name says otherwise; FORMAT.md in
shared/ explains each number.
"""
from __future__ import annotations

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
