"""Keep Python alive under a PySide6 build that drops a reference to None.

PySide6/shiboken6 6.12.0 on Python 3.11 returns None from every void method
(setText, setBlockFormat, …) without taking a reference to it. None starts with
a few thousand references, so after some thousands of Qt calls its count reaches
zero and the interpreter aborts ("Fatal Python error: none_dealloc") — in the
middle of a session, not only at exit. Python 3.12 made None immortal; here we do
the same by hand, once, and only when a probe shows the leak (a fixed PySide6, or
Python ≥ 3.12, is left alone).
"""
from __future__ import annotations

import ctypes
import sys

#: References added to None: more than any session can leak (2**40 ≈ 10**12 calls).
_BALLAST = 1 << 40


def none_refcount_leaks() -> bool:
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(20):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 10


def apply() -> bool:
    """Make None immortal if this PySide6 leaks it; True when the guard was applied."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython" or not none_refcount_leaks():
        return False
    # ob_refcnt is the first field of every CPython object (non-debug builds).
    ctypes.c_ssize_t.from_address(id(None)).value += _BALLAST
    return True


APPLIED = apply()
