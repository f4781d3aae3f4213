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


class ConfigError(AssistantError):
    """A flag or environment variable has a value that cannot work (a bad path, port or choice)."""


class IndexWriteError(IndexError_):
    """The index cannot be written (read-only folder, full disk, a file where a folder should be)."""


class OutputError(AssistantError):
    """Standard output or an output file cannot be written (a full disk)."""
