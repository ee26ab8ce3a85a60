"""Pictures for a briefing: a widget rendered to a PNG at twice its on-screen size,
and the 导出图片… button every picture carries."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

#: Device pixels per layout pixel in an exported picture: sharp on a projector and in print.
EXPORT_SCALE = 2


def render_image(widget: QWidget, scale: float = EXPORT_SCALE) -> QImage:
    """The whole widget (not just what a scroll area shows) on white, at `scale`."""
    size = widget.size()
    image = QImage(int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(Qt.GlobalColor.white)
    widget.render(image)  # the image's device pixel ratio makes text and lines sharp, not scaled up
    return image


def save_png(widget: QWidget, path: str | Path, scale: float = EXPORT_SCALE) -> bool:
    path = str(path)
    if not path.lower().endswith(".png"):
        path += ".png"
    return render_image(widget, scale).save(path, "PNG")


class ExportPictureButton(QPushButton):
    """导出图片…: asks where (choose_path, patched by tests), then writes the PNG."""

    def __init__(self, target: QWidget, default_name: str, parent=None):
        super().__init__("导出图片…", parent)
        self.target = target
        self.default_name = default_name
        self.setToolTip("把这幅图另存为 PNG 图片（2 倍清晰度），可插入汇报材料")
        self.clicked.connect(self.export)

    def choose_path(self) -> str:
        start = str(Path.home() / f"{self.default_name}.png")
        path, _ = QFileDialog.getSaveFileName(self, "导出图片", start, "PNG 图片 (*.png)")
        return path

    def export(self) -> str:
        path = self.choose_path()
        if not path:
            return ""
        if not save_png(self.target, path):
            QMessageBox.warning(self, "导出图片", f"无法写入 {path}：请检查文件夹是否可写，或另选位置。")
            return ""
        return path if path.lower().endswith(".png") else path + ".png"
