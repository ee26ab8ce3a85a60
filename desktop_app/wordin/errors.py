"""The one error Word in raises: its message is plain Chinese, shown to the officer as is."""
from __future__ import annotations


class WordInError(ValueError):
    """A document that cannot be imported; the message says why and what to do."""
