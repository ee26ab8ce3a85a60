"""The button row of the program's dialogs: OK under the dialog's own verb, and 取消."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox

_OK = QDialogButtonBox.StandardButton.Ok
_CANCEL = QDialogButtonBox.StandardButton.Cancel


def ok_cancel(ok_text: str, on_ok: Callable[[], object], on_cancel: Callable[[], object]) -> QDialogButtonBox:
    """OK saying what it does (创建, 保存, 导入为新草稿…) and 取消, wired to `on_ok` and
    `on_cancel`; Qt's own button words would follow the system language."""
    buttons = QDialogButtonBox(_OK | _CANCEL)
    buttons.button(_OK).setText(ok_text)
    buttons.button(_CANCEL).setText("取消")
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(on_cancel)
    return buttons
