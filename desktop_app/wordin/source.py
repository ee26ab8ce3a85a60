"""Which files Word in takes, and how: .docx read directly; .doc, .wps, .odt (and .rtf)
converted to .docx by LibreOffice first, when it is installed.

Every refusal is a WordInError with a plain Chinese message; nothing is written
anywhere but a temporary folder that is removed afterwards.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from desktop_app.wordin.errors import WordInError
from desktop_app.wordin.reader import MAX_BYTES, read_blocks

CONVERTED = (".doc", ".wps", ".odt", ".rtf", ".wpt", ".dot")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
#: Conversions of a long plan take a few seconds; a stuck LibreOffice is given up on.
CONVERT_TIMEOUT = 180


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def check_file(path: Path) -> str:
    """'docx' or 'convert' for a file worth trying; WordInError for one that is not."""
    if not path.exists():
        raise WordInError(f"找不到文件：{path}")
    if path.is_dir():
        raise WordInError(f"{path} 是一个文件夹，请选择 Word 文件。")
    size = path.stat().st_size
    if size == 0:
        raise WordInError(f"{path.name} 是空文件（0 字节），没有可导入的内容。")
    if size > MAX_BYTES:
        raise WordInError(f"{path.name} 有 {_size_text(size)}，超过可导入的 {_size_text(MAX_BYTES)} 上限。"
                          "方案正文一般不到 5 MB；请删去其中的大图片或附件后另存再试。")
    try:
        with path.open("rb") as fh:
            head = fh.read(1 << 16)
    except OSError as exc:
        raise WordInError(f"无法读取文件 {path.name}：{exc.strerror or exc}。") from exc
    suffix = path.suffix.lower()
    if head.startswith(_OLE):
        # An encrypted .docx is an OLE container holding EncryptionInfo; so is a .doc with a password.
        if "EncryptionInfo".encode("utf-16-le") in head or "EncryptedPackage".encode("utf-16-le") in head:
            raise WordInError(f"{path.name} 设置了打开密码（已加密），无法导入。请在 Word 或 WPS 中取消密码后另存再试。")
        if suffix == ".docx":
            raise WordInError(f"{path.name} 实际上是旧版 Word 文件（.doc），请改名为 .doc 后再试，"
                              "或在 Word/WPS 中另存为 .docx。")
        return "convert"
    if head.startswith(_ZIP):
        if b"mimetype" in head[:100] and b"opendocument" in head[:200]:
            return "convert"
        return "docx"
    if head.lstrip().startswith(b"{\\rtf"):
        return "convert"
    if suffix in (".docx", ".doc", ".wps", ".odt", ".rtf"):
        raise WordInError(f"{path.name} 已损坏或不是 Word 文档，无法读取（可在 Word 或 WPS 中打开后另存为 .docx 再试）。")
    raise WordInError(f"{path.name} 不是 Word 文档。请选择 .docx、.doc、.wps 或 .odt 文件。")


def convert_to_docx(source: Path, out_dir: Path, timeout: float = CONVERT_TIMEOUT) -> Path:
    """`source` converted to out_dir/source.docx by LibreOffice (book/pdf.py convert_to_docx:
    a profile and a process group of its own, nothing left running after a time-out)."""
    from desktop_app.book.pdf import ConvertError
    from desktop_app.book.pdf import convert_to_docx as convert

    with tempfile.TemporaryDirectory(prefix="wordin-") as work:
        try:
            converted = convert(source, Path(work), timeout)
        except ConvertError as exc:
            raise WordInError(_CONVERT_MESSAGES[exc.reason].format(
                name=source.name, seconds=int(timeout), detail=exc.detail)) from exc
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / "source.docx"
        shutil.move(str(converted), out)
    return out


_CONVERT_MESSAGES = {
    "no_office": "{name} 需先转换为 .docx 才能导入，但本机没有安装 LibreOffice。请在 Word 或 WPS 中把它另存为 .docx 后再导入。",
    "start": "无法启动 LibreOffice 转换 {name}：{detail}。",
    "timeout": "LibreOffice 转换 {name} 超过 {seconds} 秒仍未完成，已停止。请在 Word 或 WPS 中把它另存为 .docx 后再导入。",
    "failed": "LibreOffice 无法转换 {name}（文件可能已损坏或设置了密码）。请在 Word 或 WPS 中打开，另存为 .docx 后再导入。",
}


def open_document(path: str | os.PathLike) -> list:
    """The blocks of any Word file we take (see module doc); WordInError otherwise."""
    path = Path(path)
    how = check_file(path)
    if how == "docx":
        return read_blocks(path)
    with tempfile.TemporaryDirectory(prefix="wordin-") as tmp:
        converted = convert_to_docx(path, Path(tmp))
        return read_blocks(converted)
