"""Runs under LibreOffice's own Python (the one that can `import uno`), started by
desktop_app/book/pdf.py:

    python convert_pdf.py PIPE_NAME INPUT.docx OUTPUT.pdf

Connects to the soffice that pdf.py started with --accept=pipe,name=PIPE_NAME;urp;
opens the .docx hidden, updates every index (the 目录 is empty until something
does) and every field, then exports a PDF that keeps the blank pages odd-page
section breaks insert, so a duplex print puts each part on a right-hand page.
Finally it asks soffice to quit.

After the export it prints "sections:FIRST_PAGES/TOTAL" — the page each Word section
(= each bound part of the book) starts on — for the 打印装订清单.

Standard library and uno only. Progress goes to stdout as "step:NAME" lines;
errors to stderr, exit code 1 (could not connect), 2 (could not load), 3 (other).
"""
import os
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 20


def step(name):
    print("step:" + name, flush=True)


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)


def update_indexes(doc):
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        indexes.getByIndex(i).update()
    return indexes.getCount()


def _first_range(element):
    """Where a body element (paragraph or table) starts, as a text range."""
    if element.supportsService("com.sun.star.text.TextTable"):
        return element.getCellByName(element.getCellNames()[0]).getText().getStart()
    return element.getStart()


def section_pages(doc):
    """The page each Word section starts on, as LibreOffice has laid the book out.

    A Word section becomes a page style here; the first paragraph (or table) of each
    one carries its PageDescName. The view cursor reports the layout's physical page
    number, blank pages of odd-page breaks included, as in the exported PDF.
    Returns (starts, total) or None when the document has no view (no layout).
    """
    controller = doc.getCurrentController()
    if controller is None:
        return None
    cursor = controller.getViewCursor()
    starts = []
    enum = doc.getText().createEnumeration()
    first = True
    while enum.hasMoreElements():
        element = enum.nextElement()
        try:
            style = element.getPropertyValue("PageDescName")
        except Exception:  # an element without page properties
            style = ""
        if first or style:
            cursor.gotoRange(_first_range(element), False)
            page = cursor.getPage()
            if not starts or page > starts[-1]:
                starts.append(page)
        first = False
    cursor.jumpToLastPage()
    return starts, cursor.getPage()


def convert(desktop, src, dst):
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    if doc is None:
        print("LibreOffice could not open %s" % src, file=sys.stderr)
        return 2
    try:
        step("loaded")
        count = 0
        if hasattr(doc, "getDocumentIndexes"):
            count = update_indexes(doc)
        if hasattr(doc, "getTextFields"):
            doc.getTextFields().refresh()
        if hasattr(doc, "refresh"):
            doc.refresh()
        if count:
            # The filled 目录 may have grown by a page: a second pass settles its page numbers.
            update_indexes(doc)
        step("indexes:%d" % count)
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", (
            prop("IsSkipEmptyPages", False),  # keep the blank pages odd-page breaks insert
            prop("UseTaggedPDF", True),
            prop("ExportBookmarks", True),
            prop("ExportNotes", False),
        ))
        args = (prop("FilterName", "writer_pdf_Export"), prop("FilterData", filter_data))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(dst), args))
        step("exported")
        try:
            pages = section_pages(doc)
        except Exception as exc:  # page numbers are a courtesy: the PDF is made already
            print("no section pages: %s" % (getattr(exc, "Message", "") or exc), file=sys.stderr)
            pages = None
        if pages:
            # "sections:1,3,5,7,41/52": each Word section's first page / pages in all.
            print("sections:%s/%d" % (",".join(str(p) for p in pages[0]), pages[1]), flush=True)
    finally:
        doc.close(True)
    return 0


def main(argv):
    if len(argv) != 4:
        print("usage: convert_pdf.py PIPE_NAME INPUT OUTPUT", file=sys.stderr)
        return 3
    pipe, src, dst = argv[1:4]
    try:
        ctx = connect(pipe)
    except NoConnectException as exc:
        print("could not connect to LibreOffice: %s" % exc.Message, file=sys.stderr)
        return 1
    step("connected")
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    try:
        return convert(desktop, src, dst)
    except Exception as exc:  # a UNO exception carries its text in .Message
        print("%s: %s" % (type(exc).__name__, getattr(exc, "Message", "") or exc), file=sys.stderr)
        return 3
    finally:
        try:
            desktop.terminate()
        except Exception:  # the bridge closes as soffice quits
            pass


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: with soffice gone, pyuno can crash while it disposes
    # the bridge's proxies (seen as SIGSEGV after a good export).
    os._exit(code)
