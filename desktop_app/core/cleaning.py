"""Make pasted text safe to store and print.

Word, WPS and web pages paste control characters, NBSPs and odd line breaks;
python-docx refuses XML-invalid characters outright, so they are removed here
once, where text enters the draft and again where it leaves for the book.
"""
from __future__ import annotations

import re

# XML 1.0 forbids these; \t \n \r are allowed.
_INVALID_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"
)
_SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009\u200b]+")


def xml_safe(text: str) -> str:
    """Remove characters an XML document cannot hold."""
    return _INVALID_XML.sub("", text)


def clean_paragraphs(text: str) -> str:
    """Normalise a prose field: one paragraph per line, no empty lines, no edge spaces.

    Inner ASCII spaces are kept (numbers like "DB32/T 4308" need them); runs of
    spaces shrink to one. Full-width indents typed by hand are dropped because
    the book indents every paragraph itself.
    """
    # Word's manual line break arrives as \x0b: a paragraph break, before xml_safe drops it.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = xml_safe(text.replace("\u2028", "\n").replace("\u2029", "\n"))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def paragraphs(text: str) -> list[str]:
    """Split a stored prose field into printable paragraphs."""
    return [p for p in clean_paragraphs(text).split("\n") if p]
