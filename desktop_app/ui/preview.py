"""The book before it is exported: its pages and the outline's headings beside them.

With LibreOffice (the usual case) the preview *is* the print: the export page has the
program's warm LibreOffice make the very PDF 导出 PDF would write (ui/pdf_job.PreviewJob),
and shows its pages as pdftoppm draws them (show_layout, then set_page_images chunk by
chunk), the outline taken from the PDF's own bookmarks, so page count, page numbers,
blank versos and 目录 are the PDF's.

Without LibreOffice, an approximation (show_book): compose() gives the same Book the
.docx is written from; book/html.py turns it into rich text, which a QTextDocument
lays out on A4 pages with the layout's margins (at 72 dpi, so one unit is one point).
It is labelled approximate, its page count "约 N 页".

Either way clicking a heading shows the page it is on.
"""
from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor, QFont, QIcon, QImage, QPainter, QPixmap, QTextBlockFormat, QTextCursor, QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QHeaderView, QLabel, QListView, QListWidget, QListWidgetItem, QSplitter, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from desktop_app.book.html import book_to_html
from desktop_app.book.layout import Layout
from desktop_app.book.model import Book

#: 72 dots per inch in dots per metre: layout units are then points, as in the .docx.
_DPM_72 = round(72 / 0.0254)


def layout_document(book: Book, layout: Layout | None = None) -> QTextDocument:
    """The book laid out on A4 pages (units: points)."""
    layout = layout or Layout()
    device = QImage(1, 1, QImage.Format.Format_RGB32)  # fixes the DPI, whatever the screen's
    device.setDotsPerMeterX(_DPM_72)
    device.setDotsPerMeterY(_DPM_72)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc._device = device  # the layout keeps only a pointer: the image must live as long as the document
    doc.setDocumentMargin(0)
    doc.setPageSize(QSize(round(layout.page_width / 20), round(layout.page_height / 20)).toSizeF())
    doc.setHtml(book_to_html(book, layout))
    frame = doc.rootFrame().frameFormat()
    frame.setTopMargin(layout.margin_top / 20)
    frame.setBottomMargin(layout.margin_bottom / 20)
    frame.setLeftMargin(layout.margin_left / 20)
    frame.setRightMargin(layout.margin_right / 20)
    doc.rootFrame().setFrameFormat(frame)
    _set_line_pitch(doc, book, layout)
    return doc


def _set_line_pitch(doc: QTextDocument, book: Book, layout: Layout) -> None:
    """Body lines on the book's grid (22 to the page), headings at body size; Qt's rich
    text has no CSS for either, so the blocks are adjusted after the HTML is read."""
    # Qt scales a block's line height by the device's dpi over its default 96 (its own
    # unit is the 96-dpi pixel), so 28.95 pt is asked for as 28.95 × 96 / 72.
    pitch = layout.line_pitch / 20 * 96 / 72
    headings = iter(book.headings())
    # Table cells keep their own spacing: the tables' position ranges, asked once.
    tables = [(f.firstPosition(), f.lastPosition()) for f in doc.rootFrame().childFrames()]
    edit = QTextCursor(doc)
    edit.beginEditBlock()  # one relayout at the end, not one per block (1.7 s → ms)
    block = doc.begin()
    while block.isValid():
        cursor = QTextCursor(block)
        if not any(first <= block.position() <= last for first, last in tables):
            fmt = block.blockFormat()
            fmt.setLineHeight(pitch, QTextBlockFormat.LineHeightTypes.MinimumHeight.value)
            cursor.setBlockFormat(fmt)
        if block.blockFormat().headingLevel():
            heading = next(headings, None)
            bold = heading is not None and heading.rank == 3 and layout.bold_rank3
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                chars = fragment.charFormat()
                # <h1>–<h4> bring their own size (an adjustment and a pixel size): the book's is the body's
                chars.clearProperty(QTextFormat.Property.FontSizeAdjustment)
                chars.clearProperty(QTextFormat.Property.FontPixelSize)
                chars.setFontPointSize(layout.body_size_pt)
                chars.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
                cursor.setCharFormat(chars)
                it += 1
        block = block.next()
    edit.endEditBlock()


def heading_pages(doc: QTextDocument) -> list[tuple[str, int, int]]:
    """(text, level, page index) of each outline heading, in book order."""
    height = doc.pageSize().height()
    found = []
    block = doc.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level:
            top = doc.documentLayout().blockBoundingRect(block).top()
            found.append((block.text(), level, int(top // height)))
        block = block.next()
    return found


def frame_page(image: QImage) -> QImage:
    """A page picture with its edge drawn, as the approximation's pages have (any thread)."""
    framed = image.convertToFormat(QImage.Format.Format_RGB32)
    painter = QPainter(framed)
    painter.setPen(QColor("#9a9a9a"))
    painter.drawRect(0, 0, framed.width() - 1, framed.height() - 1)
    painter.end()
    return framed


def render_page(doc: QTextDocument, index: int, width_px: int) -> QPixmap:
    """Page `index` drawn at `width_px` wide, with its edge and page number."""
    size = doc.pageSize()
    scale = width_px / size.width()
    image = QImage(width_px, round(size.height() * scale), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.scale(scale, scale)
    painter.translate(0, -index * size.height())
    doc.drawContents(painter, QRectF(0, index * size.height(), size.width(), size.height()))
    painter.resetTransform()
    painter.setPen(QColor("#9a9a9a"))
    painter.drawRect(0, 0, image.width() - 1, image.height() - 1)
    font = QFont()
    font.setPixelSize(max(8, round(14 * scale)))
    painter.setFont(font)
    painter.drawText(QRectF(0, image.height() - 40 * scale, image.width(), 20 * scale),
                     Qt.AlignmentFlag.AlignCenter, f"— {index + 1} —")
    painter.end()
    return QPixmap.fromImage(image)


class BookPreview(QWidget):
    """Headings on the left, page thumbnails on the right.

    Signals:
        refreshed(int): the preview was rebuilt; the number of pages.
    """

    refreshed = Signal(int)
    #: What the pages are: "" (nothing yet), "approximate" (show_book) or "pdf" (show_layout).
    mode = ""
    #: Thumbnail width in device-independent pixels (Qt scales it on high-DPI screens).
    THUMB_WIDTH = 400

    def __init__(self, parent=None):
        super().__init__(parent)
        self.doc: QTextDocument | None = None
        self.headings = QTreeWidget()
        self.headings.setAccessibleName("大纲标题")
        self.headings.setColumnCount(2)
        self.headings.setHeaderLabels(["大纲标题（点击跳到所在页）", "页"])
        self.headings.setRootIsDecorated(False)
        self.headings.header().setStretchLastSection(False)
        self.headings.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.headings.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.headings.itemClicked.connect(self._on_heading)
        self.headings.itemActivated.connect(self._on_heading)
        self.pages = QListWidget()
        self.pages.setAccessibleName("预览页面")
        self.pages.setViewMode(QListView.ViewMode.IconMode)
        self.pages.setResizeMode(QListView.ResizeMode.Adjust)
        self.pages.setMovement(QListView.Movement.Static)
        self.pages.setSpacing(8)
        self.pages.setUniformItemSizes(True)
        self.pages.setStyleSheet("QListWidget { background: #d9d9d9; } "
                                 "QListWidget::item:selected { background: #8fb4e3; }")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.caption.setAccessibleName("预览说明")
        self.stale = False
        self._caption_text = ""
        self._placeholder: tuple[str, QIcon] | None = None
        self._undrawable = False
        self._drawn: set[int] = set()
        self._pending: list = []  # (page index, QImage) not yet on their page
        self._pending_timer = QTimer(self)  # a child: it goes with the widget, callbacks and all
        self._pending_timer.setSingleShot(True)
        self._pending_timer.setInterval(0)
        self._pending_timer.timeout.connect(self._apply_pending)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.headings)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(1, 1)
        em = self.fontMetrics().horizontalAdvance("中")
        self.splitter.setSizes([em * 18, em * 40])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.splitter, 1)
        self._heading_pages: list[tuple[str, int, int]] = []

    def _fill_headings(self) -> None:
        self.headings.clear()
        for text, level, page in self._heading_pages:
            item = QTreeWidgetItem([("　" * (level - 1)) + text, str(page + 1)])
            item.setToolTip(0, text)
            item.setData(0, Qt.ItemDataRole.UserRole, page)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight)
            self.headings.addTopLevelItem(item)

    def show_book(self, book: Book, layout: Layout | None = None) -> None:
        """The approximation (no LibreOffice): Qt's own layout of the book, drawn at once."""
        self.mode = "approximate"
        self.doc = layout_document(book, layout)
        count = self.doc.pageCount()
        self._heading_pages = heading_pages(self.doc)
        self._fill_headings()
        self.pages.clear()
        width = self.THUMB_WIDTH
        ratio = self.devicePixelRatioF() or 1.0
        for index in range(count):
            pixmap = render_page(self.doc, index, round(width * ratio))
            pixmap.setDevicePixelRatio(ratio)  # sharp on a 150 %/200 % screen
            icon = QIcon(pixmap)
            icon.addPixmap(pixmap, QIcon.Mode.Selected)  # a chosen page is framed, not tinted blue
            item = QListWidgetItem(icon, f"第 {index + 1} 页")
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.pages.addItem(item)
        self.pages.setIconSize(QSize(width, round(width * 297 / 210)))
        self.stale = False
        self._set_caption("<b>近似预览</b>：未找到 LibreOffice，按 A4 和版式设置近似排版，"
                          f"约 {count} 页；实际页数、页码和目录以 Word/WPS 打开或导出的 PDF 为准。")
        self.refreshed.emit(count)

    # the real pages ---------------------------------------------------------------------------
    def thumb_width_px(self) -> int:
        """The width pages are drawn at, in device pixels (sharp on a 150 %/200 % screen)."""
        return round(self.THUMB_WIDTH * (self.devicePixelRatioF() or 1.0))

    def show_layout(self, book_layout, when: str = "", drawable: bool = True) -> None:
        """The PDF is made: its outline, and one page slot per PDF page (drawn as they come;
        `drawable` False: no pdftoppm on this computer, the slots say so)."""
        self.mode = "pdf"
        self._undrawable = not drawable
        self.doc = None
        count = book_layout.pages
        self._heading_pages = [(text, level, max(0, page - 1)) for text, level, page in book_layout.headings]
        self._fill_headings()
        current = max(0, self.pages.currentRow())
        self.pages.setUpdatesEnabled(False)
        try:
            self.pages.clear()
            width = self.THUMB_WIDTH
            icon = self._placeholder_icon("正在绘制…" if drawable else "未安装 pdftoppm\n无法绘出页面")
            for index in range(count):
                item = QListWidgetItem(icon, f"第 {index + 1} 页")
                item.setData(Qt.ItemDataRole.UserRole, index)
                self.pages.addItem(item)
            self.pages.setIconSize(QSize(width, round(width * 297 / 210)))
        finally:
            self.pages.setUpdatesEnabled(True)
        self._drawn = set()
        self._pending = []
        if 0 < current < count:
            self.pages.scrollToItem(self.pages.item(current), QListWidget.ScrollHint.PositionAtTop)
        self.stale = False
        self._set_caption(f"与导出的 PDF 完全相同（LibreOffice 排版）：共 {count} 页，"
                          f"含各部分从奇数页开始插入的空白页" + (f"；{when} 生成" if when else "") + "。"
                          + ("" if drawable else "这台电脑没有 pdftoppm（poppler），只列出页码和大纲，"
                             "页面内容请导出 PDF 后查看。"))
        self.refreshed.emit(count)

    #: Pictures put on pages per turn of the event loop (each is a few ms on a busy machine).
    IMAGES_PER_TURN = 3

    def set_page_images(self, first: int, images: list) -> None:
        """Pictures of pages first, first+1, … (QImage, drawn thumb_width_px() wide, framed
        by frame_page): put on their pages a few per turn of the event loop, so that the
        window never waits for a dozen at once."""
        self._pending += [(first + offset, image) for offset, image in enumerate(images)]
        if not self._pending_timer.isActive():
            self._pending_timer.start()

    def _apply_pending(self) -> None:
        ratio = self.devicePixelRatioF() or 1.0
        batch, self._pending = self._pending[:self.IMAGES_PER_TURN], self._pending[self.IMAGES_PER_TURN:]
        for index, image in batch:
            item = self.pages.item(index)
            if item is None or image.isNull():
                continue
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            icon = QIcon(pixmap)
            icon.addPixmap(pixmap, QIcon.Mode.Selected)  # a chosen page is framed, not tinted blue
            item.setIcon(icon)
            self._drawn.add(index)
        if self._pending:
            self._pending_timer.start()

    def drawn_count(self) -> int:
        return len(self._drawn)

    def complete(self) -> bool:
        """Every page shown as it will be (or, without pdftoppm, every page listed)."""
        if self.mode != "pdf":
            return self.mode == "approximate"
        return self._undrawable or self.drawn_count() == self.page_count()

    def _placeholder_icon(self, text: str = "正在绘制…") -> QIcon:
        if self._placeholder is None or self._placeholder[0] != text:
            width = self.THUMB_WIDTH
            pixmap = QPixmap(width, round(width * 297 / 210))
            pixmap.fill(QColor("#f4f4f4"))
            painter = QPainter(pixmap)
            painter.setPen(QColor("#9a9a9a"))
            painter.drawRect(0, 0, pixmap.width() - 1, pixmap.height() - 1)
            painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, text)
            painter.end()
            self._placeholder = (text, QIcon(pixmap))
        return self._placeholder[1]

    def set_stale(self, stale: bool, text: str = "") -> None:
        """Say that the pages shown are older than the draft (or no longer are)."""
        self.stale = stale
        self._set_caption(self._caption_text, text)

    def _set_caption(self, text: str, note: str = "") -> None:
        self._caption_text = text
        if self.stale:
            note = note or "草稿已修改，正在重新生成预览…"
            shown = f"<span style='color:#9a5b00'><b>{note}</b>（下面仍是修改前的页面）</span><br>{text}"
        else:
            shown = text
        self.caption.setText(shown)

    def page_count(self) -> int:
        return self.pages.count()

    def heading_texts(self) -> list[str]:
        return [text for text, _level, _page in self._heading_pages]

    def show_page(self, index: int) -> None:
        if 0 <= index < self.pages.count():
            item = self.pages.item(index)
            self.pages.setCurrentItem(item)
            self.pages.scrollToItem(item, QListWidget.ScrollHint.PositionAtTop)

    def _on_heading(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.show_page(item.data(0, Qt.ItemDataRole.UserRole))
