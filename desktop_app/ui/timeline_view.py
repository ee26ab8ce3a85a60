"""进度安排 as a timeline: the plan years across, one lane per 建设举措 (or per 牵头部门).

Placement comes from core/timeline.py; this widget turns its fractions into pixels.
Every size is a multiple of the font's height, so the picture stays legible at
200 % scaling. Hovering a bar shows its row; clicking one emits row_clicked.

Signals:
    row_clicked(int): index of the schedule row under the click.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget,
)

from desktop_app.core.draft import Draft
from desktop_app.core.program import Program
from desktop_app.core.timeline import BY_LEAD, BY_TASK, Bar, Timeline, build_timeline
from desktop_app.ui.picture import ExportPictureButton, RowPicture

BAR = QColor("#3f6fb5")
BAR_TEXT = QColor("#ffffff")
MILESTONE = QColor("#d9822b")
GRID = QColor("#c9d3e2")
LANE_BG = (QColor("#f6f8fb"), QColor("#ffffff"))
TEXT = QColor("#1f2733")


class TimelineView(RowPicture):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.timeline = Timeline([], [], [])
        self._hits: list[tuple[Bar, QRectF]] = []
        self._left_labels: set[int] = set()  # milestones whose label sits left of the marker
        self.setAccessibleName("进度安排时间轴")
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(self.backgroundRole(), QColor("#ffffff"))
        self.setPalette(pal)

    # geometry ----------------------------------------------------------------------
    def _metrics(self):
        fm = QFontMetricsF(self.font())
        line = fm.height()
        return fm, line, fm.horizontalAdvance("中")

    def _label_width(self) -> float:
        _fm, _line, em = self._metrics()
        return 11 * em

    def _lane_heights(self) -> list[float]:
        fm, line, em = self._metrics()
        bar_h = line * 1.7
        width = self._label_width() - em
        heights = []
        for lane in self.timeline.lanes:
            need = fm.boundingRect(QRectF(0, 0, width, 10000), Qt.TextFlag.TextWordWrap, lane.title).height()
            heights.append(max(lane.depth * (bar_h + line * 0.4) + line * 0.4, need + line * 0.8))
        return heights

    def _header_height(self) -> float:
        return self._metrics()[1] * 2.2

    def layout_height(self) -> int:
        return int(self._header_height() + sum(self._lane_heights()) + self._metrics()[1] * 1.5)

    def set_timeline(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.setMinimumHeight(self.layout_height())
        self.setMinimumWidth(int(self._label_width() + 3 * self._metrics()[2] * 12))
        self._place()
        self.update()

    def resizeEvent(self, event) -> None:
        self._place()
        super().resizeEvent(event)

    def _place(self) -> None:
        """The hit rectangles of every bar, for painting, hover and click."""
        _fm, line, em = self._metrics()
        left = self._label_width()
        span = max(1.0, self.width() - left - em)
        bar_h = line * 1.7
        top = self._header_height()
        lane_tops = []
        for h in self._lane_heights():
            lane_tops.append(top)
            top += h
        self._hits = []
        self._left_labels: set[int] = set()
        for bar in self.timeline.bars:
            y = lane_tops[bar.lane] + line * 0.4 + bar.slot * (bar_h + line * 0.4)
            if bar.milestone:
                x = left + bar.start * span
                # The marker and its label within its year: to the right of the marker,
                # or to its left when the deadline is late in the year (年底前…).
                k = self.timeline.years.index(bar.year)
                year_start = left + k / len(self.timeline.years) * span
                year_end = left + (k + 1) / len(self.timeline.years) * span
                # Kept inside its year: a 年底前 marker must not sit on next year's bar.
                x = min(max(x, year_start + bar_h / 2 + em * 0.3), year_end - bar_h / 2 - em * 0.3)
                if year_end - x >= x - year_start or year_end - x > 8 * em:
                    rect = QRectF(x - bar_h / 2, y, max(bar_h, year_end - x + bar_h / 2 - em * 0.3), bar_h)
                else:
                    rect = QRectF(year_start + em * 0.3, y, x + bar_h / 2 - year_start - em * 0.3, bar_h)
                    self._left_labels.add(bar.row)
            else:
                x0, x1 = left + bar.start * span, left + bar.end * span
                rect = QRectF(x0 + em * 0.15, y, x1 - x0 - em * 0.3, bar_h)
            self._hits.append((bar, rect))

    def _label_left(self, bar: Bar, _rect: QRectF) -> bool:
        return bar.row in self._left_labels

    def bars(self) -> list[tuple[Bar, QRectF]]:
        """Every bar with its rectangle in widget coordinates (hit-test areas)."""
        return list(self._hits)

    def bar_at(self, pos: QPointF) -> Bar | None:
        # Later bars are drawn on top: the last hit wins.
        for bar, rect in reversed(self._hits):
            if rect.contains(pos):
                return bar
        return None

    # painting ----------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        fm, line, em = self._metrics()
        tl = self.timeline
        left = self._label_width()
        span = max(1.0, self.width() - left - em)
        header = self._header_height()
        p.fillRect(self.rect(), QColor("#ffffff"))
        if not tl.years:
            return
        # lanes
        top = header
        for i, (lane, h) in enumerate(zip(tl.lanes, self._lane_heights())):
            p.fillRect(QRectF(0, top, self.width(), h), LANE_BG[i % 2])
            p.setPen(TEXT)
            p.drawText(QRectF(em * 0.4, top, left - em, h),
                       Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap, lane.title)
            top += h
        bottom = top
        # years and quarter lines
        n = len(tl.years)
        bold = p.font()
        bold.setBold(True)
        for k, year in enumerate(tl.years):
            x0 = left + k / n * span
            x1 = left + (k + 1) / n * span
            p.setFont(bold)
            p.setPen(TEXT)
            p.drawText(QRectF(x0, 0, x1 - x0, header * 0.6), Qt.AlignmentFlag.AlignCenter, f"{year}年")
            p.setFont(self.font())
            p.setPen(QColor("#6b7686"))
            for q in range(4):
                qx = x0 + q / 4 * (x1 - x0)
                p.drawText(QRectF(qx, header * 0.55, (x1 - x0) / 4, header * 0.45),
                           Qt.AlignmentFlag.AlignCenter, f"{q * 3 + 1}—{q * 3 + 3}月")
                pen = QPen(GRID, 1, Qt.PenStyle.SolidLine if q == 0 else Qt.PenStyle.DotLine)
                p.setPen(pen)
                p.drawLine(QPointF(qx, header * 0.55 if q else 0), QPointF(qx, bottom))
                p.setPen(QColor("#6b7686"))
        p.setPen(QPen(GRID, 1))
        p.drawLine(QPointF(left + span, 0), QPointF(left + span, bottom))
        p.drawLine(QPointF(0, header), QPointF(left + span, header))
        # bars first, milestones on top of them
        for bar, rect in sorted(self._hits, key=lambda h: h[0].milestone):
            if bar.milestone:
                self._paint_milestone(p, bar, rect, fm)
            else:
                path = QPainterPath()
                path.addRoundedRect(rect, line * 0.3, line * 0.3)
                p.fillPath(path, BAR)
                p.setPen(BAR_TEXT)
                inner = rect.adjusted(em * 0.4, 0, -em * 0.4, 0)
                p.drawText(inner, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                           fm.elidedText(bar.label, Qt.TextElideMode.ElideRight, inner.width()))
        # legend and rows outside the period
        # legend: the two marks in their own colours, then how to use the picture
        y, h = bottom + line * 0.35, line
        x = em * 0.4
        p.fillRect(QRectF(x, y + h * 0.2, em * 1.6, h * 0.6), BAR)
        x += em * 2
        p.setPen(TEXT)
        text = "全年推进的工作"
        p.drawText(QRectF(x, y, fm.horizontalAdvance(text) + em, h), Qt.AlignmentFlag.AlignVCenter, text)
        x += fm.horizontalAdvance(text) + em * 1.5
        r = h * 0.38
        cx, cy = x + r, y + h / 2
        p.setPen(QPen(QColor("#9a5412"), 1))
        p.setBrush(MILESTONE)
        p.drawPolygon(QPolygonF([QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r), QPointF(cx - r, cy)]))
        p.setBrush(Qt.BrushStyle.NoBrush)
        x += 2 * r + em * 0.5
        legend = "有完成时限的节点（如“6月底前印发…”）　悬停查看详情，单击在表格中打开"
        if tl.outside:
            legend += f"　另有 {len(tl.outside)} 条不在建设期内，未画出"
        p.setPen(TEXT)
        p.drawText(QRectF(x, y, self.width() - x - em * 0.4, h), Qt.AlignmentFlag.AlignVCenter,
                   fm.elidedText(legend, Qt.TextElideMode.ElideRight, self.width() - x - em * 0.4))
        p.end()

    def _paint_milestone(self, p: QPainter, bar: Bar, rect: QRectF, fm: QFontMetricsF) -> None:
        h = rect.height()
        label_left = self._label_left(bar, rect)
        cx = rect.right() - h / 2 if label_left else rect.left() + h / 2
        cy = rect.center().y()
        r = h * 0.38
        diamond = QPolygonF([QPointF(cx, cy - r), QPointF(cx + r, cy), QPointF(cx, cy + r), QPointF(cx - r, cy)])
        p.setPen(QPen(QColor("#9a5412"), 1))
        p.setBrush(MILESTONE)
        p.drawPolygon(diamond)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(TEXT)
        gap = h * 0.2
        if label_left:
            text_rect = QRectF(rect.left(), rect.top(), cx - r - gap - rect.left(), h)
            align = Qt.AlignmentFlag.AlignRight
        else:
            text_rect = QRectF(cx + r + gap, rect.top(), rect.right() - cx - r - gap, h)
            align = Qt.AlignmentFlag.AlignLeft
        if text_rect.width() > fm.horizontalAdvance("中…"):
            p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | align,
                       fm.elidedText(bar.label, Qt.TextElideMode.ElideRight, text_rect.width()))

    # interaction (RowPicture) -------------------------------------------------------
    def mark_at(self, pos: QPointF) -> tuple[int, str] | None:
        bar = self.bar_at(pos)
        return (bar.row, bar.tooltip) if bar else None


class TimelinePanel(QWidget):
    """The view in a scroll area, with the lane switch and 导出图片…."""

    def __init__(self, program: Program, draft: Draft, part_id: str, parent=None):
        super().__init__(parent)
        self.program, self.draft, self.part_id = program, draft, part_id
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("分组："))
        self.lanes = QComboBox()
        self.lanes.setAccessibleName("时间轴分组")
        self.lanes.addItem("按建设举措", BY_TASK)
        self.lanes.addItem("按牵头部门", BY_LEAD)
        self.lanes.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.lanes)
        bar.addStretch(1)
        self.view = TimelineView()
        self.export_button = ExportPictureButton(self.view, "进度安排时间轴", caption=self.caption)
        bar.addWidget(self.export_button)
        layout.addLayout(bar)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.view)
        layout.addWidget(self.scroll, 1)
        self.refresh()

    def caption(self) -> str:
        """The picture's title: the plan, this part's heading as the program has it, the lanes."""
        heading = self.program.node(self.part_id).title if self.part_id else "进度安排"
        years = self.view.timeline.years
        span = f"（{years[0]}—{years[-1]}年，{self.lanes.currentText()}）" if years else ""
        return f"{self.draft.city}{heading}{span}"

    def showEvent(self, event) -> None:
        # Edits elsewhere (the plan years on 基本信息, a restored version) show on arrival.
        self.refresh()
        super().showEvent(event)

    def refresh(self) -> None:
        self.view.set_timeline(build_timeline(self.program, self.draft, self.part_id, self.lanes.currentData()))
