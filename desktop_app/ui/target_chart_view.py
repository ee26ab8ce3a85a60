"""建设目标 as small multiples: one mini bar chart per indicator (their units and
magnitudes differ too much for one shared axis), baseline in grey, each year's target
in blue, the guide's line in red dashes. A target that falls short of the guide is
drawn red and its chart framed red with “低于指南要求”.

What is short, and the line, come from core/target_chart.py (the rules' own
arithmetic); sizes are multiples of the font height, legible at 200 %.

Signals:
    row_clicked(int): index of the indicator row whose chart was clicked.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop_app.core.draft import Draft
from desktop_app.core.figures import format_number
from desktop_app.core.program import Program
from desktop_app.core.target_chart import IndicatorChart, build_charts
from desktop_app.ui.picture import ExportPictureButton, RowPicture

BASELINE = QColor("#9aa5b4")
TARGET = QColor("#3f6fb5")
SHORT = QColor("#c62828")
GUIDE = QColor("#c62828")
TEXT = QColor("#1f2733")
MUTED = QColor("#5f6b7a")
FRAME = QColor("#c9d3e2")


def _num(v: float) -> str:
    return format_number(int(v) if float(v).is_integer() else round(v, 2))


class TargetChartView(RowPicture):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.charts: list[IndicatorChart] = []
        self._cells: list[tuple[IndicatorChart, QRectF]] = []
        self.setAccessibleName("绩效目标图表")

    def _metrics(self):
        fm = QFontMetricsF(self.font())
        return fm, fm.height(), fm.horizontalAdvance("中")

    def _cell_size(self) -> tuple[float, float]:
        _fm, line, em = self._metrics()
        return 22 * em, line * 17

    def _columns(self, width: float) -> int:
        return max(1, int(width // self._cell_size()[0]))

    def set_charts(self, charts: list[IndicatorChart]) -> None:
        self.charts = charts
        self._place()
        self.update()

    def resizeEvent(self, event) -> None:
        self._place()
        super().resizeEvent(event)

    def _place(self) -> None:
        cw, ch = self._cell_size()
        cols = self._columns(self.width())
        w = self.width() / cols
        self._cells = [(c, QRectF((i % cols) * w, (i // cols) * ch, w, ch)) for i, c in enumerate(self.charts)]
        rows = math.ceil(len(self.charts) / cols) if self.charts else 1
        self.setMinimumHeight(int(rows * ch + self._metrics()[1]))
        self.setMinimumWidth(int(cw))

    def cells(self) -> list[tuple[IndicatorChart, QRectF]]:
        """Each indicator's chart with its rectangle (hit-test areas)."""
        return list(self._cells)

    def chart_at(self, pos: QPointF) -> IndicatorChart | None:
        return next((c for c, r in self._cells if r.contains(pos)), None)

    # painting ----------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        if not self._cells:
            p.setPen(MUTED)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "还没有绩效目标指标")
        for chart, rect in self._cells:
            self._paint_cell(p, chart, rect)
        p.end()

    def _paint_cell(self, p: QPainter, c: IndicatorChart, cell: QRectF) -> None:
        fm, line, em = self._metrics()
        box = cell.adjusted(em * 0.4, em * 0.4, -em * 0.4, -em * 0.4)
        p.setPen(QPen(SHORT if c.below else FRAME, 2 if c.below else 1))
        p.setBrush(QColor("#fff6f6") if c.below else QColor("#ffffff"))
        p.drawRoundedRect(box, em * 0.3, em * 0.3)
        p.setBrush(Qt.BrushStyle.NoBrush)
        inner = box.adjusted(em * 0.6, em * 0.4, -em * 0.6, -em * 0.4)
        # title: up to two lines, then the unit and the verdict
        bold = p.font()
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(TEXT)
        title_rect = QRectF(inner.left(), inner.top(), inner.width(), line * 2.1)
        p.drawText(title_rect, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                   c.name or "（未命名指标）")
        p.setFont(self.font())
        y = title_rect.bottom()
        verdict = "低于指南要求" if c.below else ("符合指南要求" if c.lines and all(
            v is not None for v in c.values) else ("" if c.lines else "指南无数量要求"))
        p.setPen(MUTED)
        p.drawText(QRectF(inner.left(), y, inner.width(), line), Qt.AlignmentFlag.AlignLeft,
                   f"单位：{c.unit or '—'}")
        if verdict:
            p.setPen(SHORT if c.below else QColor("#2e7d32"))
            p.drawText(QRectF(inner.left(), y, inner.width(), line), Qt.AlignmentFlag.AlignRight,
                       ("✖ " if c.below else "✔ ") + verdict if c.lines else verdict)
        y += line * 1.3
        # legend: the guide's words and how to read each line (dashes, then dots)
        marks = ("虚线", "点线")
        if len(c.lines) > 1:
            legend = "指南——" + "；".join(f"{marks[k % 2]}：{ln.legend.removeprefix('指南：')}"
                                         for k, ln in enumerate(c.lines))
        else:
            legend = c.lines[0].legend if c.lines else "指南对此指标没有数量门槛，仅显示基期值和目标值。"
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom
        legend_h = max(line * 2.2, fm.boundingRect(QRectF(0, 0, inner.width(), line * 20), flags, legend).height())
        plot = QRectF(inner.left(), y + line, inner.width(), inner.bottom() - legend_h - line * 1.2 - (y + line))
        self._paint_bars(p, c, plot, fm, line, em)
        p.setPen(MUTED)
        p.drawText(QRectF(inner.left(), inner.bottom() - legend_h, inner.width(), legend_h), flags, legend)

    def _paint_bars(self, p: QPainter, c: IndicatorChart, plot: QRectF, fm, line, em) -> None:
        n = len(c.values)
        tops = [v for v in c.values if v is not None]
        tops += [v for ln in c.lines for v in ln.values if v is not None]
        top = max(tops) * 1.12 if tops and max(tops) > 0 else 1.0
        p.setPen(QPen(FRAME, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        slot = plot.width() / max(n, 1)
        bar_w = min(slot * 0.6, em * 3.5)
        years = c.labels
        labels = []  # value labels, drawn last: over the guide's line, on a white ground
        for i, v in enumerate(c.values):
            cx = plot.left() + slot * (i + 0.5)
            label = years[i] if i else "基期"
            p.setPen(MUTED)
            p.drawText(QRectF(cx - slot / 2, plot.bottom() + line * 0.1, slot, line),
                       Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
            if v is None:
                p.drawText(QRectF(cx - slot / 2, plot.bottom() - line * 1.2, slot, line),
                           Qt.AlignmentFlag.AlignCenter, "未填")
                continue
            h = max(0.0, v) / top * plot.height()
            short = i > 0 and self._short(c, i)
            color = BASELINE if i == 0 else (SHORT if short else TARGET)
            rect = QRectF(cx - bar_w / 2, plot.bottom() - h, bar_w, h)
            p.fillRect(rect, color)
            labels.append((i, QRectF(cx - slot / 2, rect.top() - line * 1.05, slot, line), _num(v), short))
        # the guide's line: a dashed tick across each year's slot at what that year must reach
        guide_y: dict[int, list[float]] = {}
        for k, ln in enumerate(c.lines):
            pen = QPen(GUIDE, max(1.5, line / 9), Qt.PenStyle.DashLine if k == 0 else Qt.PenStyle.DotLine)
            p.setPen(pen)
            prev = None
            for i, v in enumerate(ln.values):
                if v is None:
                    prev = None
                    continue
                y = plot.bottom() - v / top * plot.height()
                x0, x1 = plot.left() + slot * i, plot.left() + slot * (i + 1)
                if prev is not None:
                    p.drawLine(QPointF(x0, prev), QPointF(x0, y))
                p.drawLine(QPointF(x0, y), QPointF(x1, y))
                guide_y.setdefault(i, []).append(y)
                prev = y
        for i, rect, text, short in labels:
            # A figure the guide's line would cross sits just above the line instead.
            crossing = [y for y in guide_y.get(i, []) if rect.top() - line * 0.2 < y < rect.bottom() + line * 0.2]
            if crossing:
                rect = rect.translated(0, min(crossing) - line * 0.15 - rect.bottom())
            width = fm.horizontalAdvance(text) + em * 0.4
            box = QRectF(rect.center().x() - width / 2, rect.top(), width, rect.height())
            p.fillRect(box, QColor("#fff6f6") if c.below else QColor("#ffffff"))
            p.setPen(SHORT if short else TEXT)
            p.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, text)

    def _short(self, c: IndicatorChart, i: int) -> bool:
        year = int(c.labels[i].rstrip("年"))
        return year in c.short_years

    # interaction (RowPicture) -------------------------------------------------------
    def mark_at(self, pos: QPointF) -> tuple[int, str] | None:
        chart = self.chart_at(pos)
        return (chart.row, "\n".join(chart.findings) or "单击在表格中打开此指标") if chart else None


class TargetChartPanel(QWidget):
    """The charts in a scroll area, with a one-line summary and 导出图片…."""

    def __init__(self, program: Program, draft: Draft, parent=None):
        super().__init__(parent)
        self.program, self.draft = program, draft
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        self.summary = QLabel()
        bar.addWidget(self.summary, 1)
        self.view = TargetChartView()
        self.export_button = ExportPictureButton(self.view, "绩效目标图表", caption=self.caption)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.view)
        layout.addWidget(self.scroll, 1)
        self.refresh()

    def caption(self) -> str:
        """The picture's title: the plan's targets against the guide, in the program's words."""
        node = self.program.part_of_kind("targets")
        title = self.program.book.get("indicator_table_title") or (node.title if node else "绩效目标")
        years = self.draft.plan_years
        return f"{self.draft.city}{title}（{years[0]}—{years[-1]}年目标与指南要求）"

    def showEvent(self, event) -> None:
        # Edits elsewhere (the plan years on 基本信息, a restored version) show on arrival.
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        charts = build_charts(self.program, self.draft)
        self.view.set_charts(charts)
        below = [c.name for c in charts if c.below]
        self.summary.setText(
            f"<span style='color:#c62828'>{len(below)} 项指标低于指南要求（红框）：{'、'.join(below)}</span>"
            if below else "各指标：灰色为基期值，蓝色为目标值，红色虚线为指南要求。单击图表在表格中打开该指标。")
