"""PySide6 user interface. Importing it first guards against PySide6's None leak (none_guard.py)."""
from desktop_app.ui import none_guard  # noqa: F401  (applied on import)
