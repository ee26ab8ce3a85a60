"""Pictures for a briefing: a widget rendered to a PNG at twice its on-screen size,
and the 导出图片… button every picture carries."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage

#: Device pixels per layout pixel in an exported picture: sharp on a projector and in print.
EXPORT_SCALE = 2


def render_image(widget: QWidget, scale: float = EXPORT_SCALE, caption: str = "") -> QImage:
    """The whole widget (not just what a scroll area shows) on white, at `scale`, under
    an optional caption line (what the picture shows, for a briefing slide)."""
    # Imported here: 申报总览 carries this button from the first paint, a picture is
    # made only when asked for (each PySide6 class costs its first use a little).
    from PySide6.QtCore import QPoint, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter

    size = widget.size()
    fm = QFontMetricsF(widget.font())
    top = int(fm.height() * 2.2) if caption else 0
    image = QImage(int(size.width() * scale), int((size.height() + top) * scale),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)  # text and lines drawn sharp at `scale`, not scaled up
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        if caption:
            font = QFont(widget.font())
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.25)
            painter.setFont(font)
            painter.setPen(QColor("#1f2733"))
            painter.drawText(QRectF(fm.height() * 0.4, 0, size.width() - fm.height() * 0.8, top),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, caption)
        widget.render(painter, QPoint(0, top))
    finally:
        painter.end()
    return image


def save_png(widget: QWidget, path: str | Path, scale: float = EXPORT_SCALE, caption: str = "") -> bool:
    path = str(path)
    if not path.lower().endswith(".png"):
        path += ".png"
    return render_image(widget, scale, caption).save(path, "PNG")


class ExportPictureButton(QPushButton):
    """导出图片…: asks where (choose_path, patched by tests), then writes the PNG."""

    def __init__(self, target: QWidget, default_name: str, parent=None, caption=lambda: ""):
        super().__init__("导出图片…", parent)
        self.target = target
        self.default_name = default_name
        self.caption = caption  # called at export: the title line over the picture
        self.setToolTip("把这幅图另存为 PNG 图片（2 倍清晰度），可插入汇报材料")
        self.clicked.connect(self.export)

    def choose_path(self) -> str:
        from PySide6.QtWidgets import QFileDialog

        start = str(Path.home() / f"{self.default_name}.png")
        path, _ = QFileDialog.getSaveFileName(self, "导出图片", start, "PNG 图片 (*.png)")
        return path

    def export(self) -> str:
        path = self.choose_path()
        if not path:
            return ""
        if not save_png(self.target, path, caption=self.caption()):
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "导出图片", f"无法写入 {path}：请检查文件夹是否可写，或另选位置。")
            return ""
        return path if path.lower().endswith(".png") else path + ".png"


class RowPicture(QWidget):
    """A picture whose marks stand for table rows (图表, 时间轴): hovering a mark shows its
    tooltip and a pointing hand, a left click on it emits row_clicked(row).

    Subclasses say what is where through mark_at(pos) -> (row, tooltip) or None."""

    row_clicked = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMouseTracking(True)

    def mark_at(self, pos: QPointF) -> tuple[int, str] | None:
        raise NotImplementedError

    def mouseMoveEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        # The hovered mark's text becomes the widget's tooltip; Qt shows it after the usual pause.
        mark = self.mark_at(e.position())
        self.setToolTip(mark[1] if mark else "")
        shape = QtCore.Qt.CursorShape
        self.setCursor(shape.PointingHandCursor if mark else shape.ArrowCursor)
        super().mouseMoveEvent(e)

    def mousePressEvent(self, e) -> None:  # noqa: N802 (Qt's name)
        mark = self.mark_at(e.position()) if e.button() == QtCore.Qt.MouseButton.LeftButton else None
        if mark is not None:
            self.row_clicked.emit(mark[0])
            return
        super().mousePressEvent(e)

