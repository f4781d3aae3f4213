"""One error family for everything a user can get wrong; each message says how to fix it."""

from __future__ import annotations


class AssistantError(Exception):
    """A user-facing error: printed as ``Error: <what> - <fix>``, exit status 1, no traceback."""

    def __init__(self, what: str, fix: str = "") -> None:
        self.what = what
        self.fix = fix
        super().__init__(f"{what} - {fix}" if fix else what)


class CorpusError(AssistantError):
    """The corpus cannot be read or holds nothing to index."""


class IndexError_(AssistantError):
    """The index on disk is missing, stale or corrupt."""


class QuestionError(AssistantError):
    """A question, or a file of questions, is malformed."""


class ModelError(AssistantError):
    """The embedding model cannot be loaded."""
