"""打印装订清单 dialog: the sheet from book/bind_sheet.py, printed on its own page
(never bound into the book), or saved as PDF or PNG."""
from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtWidgets import (
    QDialog, QFileDialog, QHBoxLayout, QMessageBox, QPushButton, QTextBrowser, QVBoxLayout,
)

from desktop_app.book.bind_sheet import BindSheet, build_bind_sheet, load_pdf_pages
from desktop_app.ui.picture import EXPORT_SCALE
from desktop_app.ui.screen_fit import resize_to_fit
from desktop_app.ui.session import DraftSession


def sheet_html(sheet: BindSheet) -> str:
    """The sheet as simple HTML (QTextDocument's subset), for screen and paper alike."""
    e = html.escape
    rows = []
    for n, part in enumerate(sheet.parts, 1):
        items = "".join(f"<br>　{e(i)}" for i in part.items)
        seal = f"<b style='color:#b3261e'>★ {e(part.seal)}</b>" if part.seal else ""
        rows.append(f"<tr><td align='center'>{n}</td><td>{e(part.name)}{items}</td>"
                    f"<td>{e(part.pages_text) if part.pages else '—'}</td><td>{seal}</td></tr>")
    seals = [f"<li><b>{e(p.name)}</b>：{e(p.seal)}</li>" for p in sheet.parts if p.seal]
    seals += [f"<li>{e(s)}</li>" for s in sheet.seals]
    missing = "".join(f"<li style='color:#b3261e'>{e(m)}</li>" for m in sheet.missing) or "<li>无</li>"
    notes = "".join(f"<li>{e(n)}</li>" for n in sheet.notes)
    deadline = e(sheet.deadline) if sheet.deadline else "项目数据未给出截止日期，请以通知为准"
    binding = f"<br>装订：{e(sheet.binding)}" if sheet.binding else ""
    return f"""
<h2 align='center'>打印装订清单</h2>
<p align='center' style='color:#5f6b7a'>本页单独打印，供打印、盖章、装订时逐项核对，不装订入册</p>
<p><b>{e(sheet.title)}</b><br>申报单位：{e(sheet.applicant or '—')}</p>
<h3>一、装订顺序与页码</h3>
<p style='color:{"#5f6b7a" if any(p.pages for p in sheet.parts) else "#b3261e"}'>{e(sheet.pages_note)}</p>
<table border='1' cellspacing='0' cellpadding='5' width='100%'>
<tr><th width='8%'>序号</th><th>部分</th><th width='20%'>页码</th><th width='32%'>签字盖章</th></tr>
{''.join(rows)}
</table>
<p></p>
<h3>二、签字盖章</h3><ul>{''.join(seals) or '<li>指南未写明</li>'}</ul>
<h3>三、份数与装订</h3><p>份数：{e(sheet.copies)}{binding}</p>
<h3>四、尚缺附件</h3><ul>{missing}</ul>
<h3>五、截止时间</h3><p><b>{deadline}</b></p>
{f'<h3>六、其他要求</h3><ul>{notes}</ul>' if notes else ''}
"""


class BindSheetDialog(QDialog):
    def __init__(self, session: DraftSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("打印装订清单")
        resize_to_fit(self, 760, 820)
        layout = QVBoxLayout(self)
        self.view = QTextBrowser()
        self.view.setAccessibleName("打印装订清单")
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("打印…")
        self.pdf_button = QPushButton("另存为 PDF…")
        self.png_button = QPushButton("导出图片…")
        self.close_button = QPushButton("关闭")
        for b in (self.print_button, self.pdf_button, self.png_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.print_button.clicked.connect(self.print_sheet)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.png_button.clicked.connect(self.save_image)
        self.close_button.clicked.connect(self.close)
        self.refresh()

    def refresh(self) -> None:
        draft = self.session.draft
        self.sheet = build_bind_sheet(self.session.program, draft, load_pdf_pages(draft, self.session.store))
        self.view.setHtml(sheet_html(self.sheet))

    def document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.setHtml(sheet_html(self.sheet))
        return doc

    def _printer(self):
        from PySide6.QtPrintSupport import QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                          QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter))
        return printer

    def print_sheet(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog

        printer = self._printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印装订清单")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._print_to(printer)

    def _print_to(self, printer) -> None:
        doc = self.document()
        doc.setPageSize(QSizeF(printer.pageRect(printer.Unit.Point).size()))
        doc.print_(printer)

    # file choices are methods of their own so tests can answer for the officer
    def choose_pdf_path(self) -> str:
        start = str(Path.home() / f"{self.session.draft.city}打印装订清单.pdf")
        path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", start, "PDF 文件 (*.pdf)")
        return path

    def choose_png_path(self) -> str:
        start = str(Path.home() / f"{self.session.draft.city}打印装订清单.png")
        path, _ = QFileDialog.getSaveFileName(self, "导出图片", start, "PNG 图片 (*.png)")
        return path

    def save_pdf(self) -> str:
        from PySide6.QtPrintSupport import QPrinter

        path = self.choose_pdf_path()
        if not path:
            return ""
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        printer = self._printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(path)
        self._print_to(printer)
        if not Path(path).is_file():
            QMessageBox.warning(self, "另存为 PDF", f"无法写入 {path}：请检查文件夹是否可写，或另选位置。")
            return ""
        return path

    def save_image(self) -> str:
        path = self.choose_png_path()
        if not path:
            return ""
        if not path.lower().endswith(".png"):
            path += ".png"
        if not self.render_image().save(path, "PNG"):
            QMessageBox.warning(self, "导出图片", f"无法写入 {path}：请检查文件夹是否可写，或另选位置。")
            return ""
        return path

    def render_image(self, width: int = 720) -> QImage:
        """The whole sheet (not the part scrolled into view) at twice its size, on white."""
        doc = self.document()
        doc.setTextWidth(width)
        size = doc.size().toSize()
        image = QImage(size.width() * EXPORT_SCALE, size.height() * EXPORT_SCALE,
                       QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(EXPORT_SCALE)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        try:
            doc.drawContents(painter)
        finally:
            painter.end()
        return image
