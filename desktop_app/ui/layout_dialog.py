"""版式设置: the few things local rules vary (fonts, bold 1. headings, mirrored margins).

The dialog shows and asks; where the settings are kept (the open draft's record in
DraftStore, and the default for drafts without their own) is app/layout.py's."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout

from desktop_app.book.layout import SETTING_CHOICES
from desktop_app.core.store import DraftStore
from desktop_app.ui.dialog_buttons import ok_cancel


class LayoutDialog(QDialog):
    def __init__(self, store: DraftStore, parent=None, draft_id: str | None = None):
        """`draft_id`: the open draft, whose own settings are shown and saved (None: the default)."""
        from desktop_app.app.layout import layout_settings

        super().__init__(parent)
        self.setWindowTitle("版式设置")
        self.store = store
        self.draft_id = draft_id
        current = layout_settings(store, draft_id)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("默认按 GB/T 9704-2012《党政机关公文格式》排版；如本地要求不同，可在此调整。\n"
                                "若电脑没有“仿宋_GB2312”“楷体_GB2312”，请改选“仿宋”“楷体”。"))
        form = QFormLayout()
        self.widgets = {}
        for key, (label, choices) in SETTING_CHOICES.items():
            if isinstance(choices[0], bool):
                w = QCheckBox()
                w.setChecked(bool(current.get(key, choices[0])))
            else:
                w = QComboBox()
                w.addItems(list(choices))
                w.setCurrentText(current.get(key, choices[0]) if current.get(key) in choices else choices[0])
            form.addRow(label, w)
            self.widgets[key] = w
        layout.addLayout(form)
        self.buttons = ok_cancel("保存", self._save, self.reject)
        layout.addWidget(self.buttons)

    def values(self) -> dict:
        return {k: (w.isChecked() if isinstance(w, QCheckBox) else w.currentText()) for k, w in self.widgets.items()}

    def _save(self) -> None:
        from desktop_app.app.layout import save_layout_settings
        from desktop_app.core.store import StoreError

        try:
            save_layout_settings(self.store, self.values(), self.draft_id)
        except StoreError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "版式设置", str(exc))
            return
        self.accept()
